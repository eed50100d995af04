import Foundation
public import StrataCore
import StrataExperiments

extension SQLSession {
    /// `.experiment E METRIC… [--option VALUE…]`: analyses experiment `E` of a table (default
    /// `events`) and writes the text report (or JSON with `--format json`).
    ///
    /// Metrics use the syntax of `strata experiment --metric`; a metric may be written bare, as long as
    /// its spaces are inside parentheses or quotes (`converted=binomial(event = 'purchase')`), or in
    /// double quotes. Words such as `cap=0.99` or `lower-is-better` after a metric are its options.
    /// Options are those of ``ExperimentAnalysis/applyOption(_:_:)`` as `--name VALUE` or
    /// `--name=VALUE` (`--sequential` and `--absolute` need no value), plus `--table` and `--format`.
    func experiment(_ argument: String) {
        let usage =
            ".experiment E METRIC... [--option VALUE...], e.g. "
            + ".experiment exp_000 converted=binomial(event = 'purchase') revenue=sum(revenue) --window 0d..14d"
        var words: [String]
        do {
            words = try Self.experimentWords(argument)
        } catch {
            fail(".experiment: \(error.message)")
            return
        }
        var experiment: String?
        var metrics: [String] = []
        var options: [(String, String)] = []
        var table = "events"
        var json = false
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if word.hasPrefix("--") {
                var name = String(word.dropFirst(2))
                var value: String
                if let equals = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                } else if ExperimentAnalysis.isSwitchOption(name) {
                    value = "true"
                } else {
                    guard index < words.count else {
                        fail(".experiment: --\(name) needs a value; usage: \(usage)")
                        return
                    }
                    value = words[index]
                    index += 1
                }
                switch name {
                case "table": table = value
                case "format":
                    guard value == "text" || value == "json" else {
                        fail(".experiment: --format is text or json, not '\(value)'")
                        return
                    }
                    json = value == "json"
                default: options.append((name, value))
                }
            } else if experiment == nil {
                experiment = word
            } else if !metrics.isEmpty, Self.isMetricOption(word) {
                metrics[metrics.count - 1] += " " + word
            } else {
                metrics.append(word)
            }
        }
        guard let experiment, !metrics.isEmpty else {
            fail(".experiment needs an experiment and at least one metric: \(usage)")
            return
        }
        var analysis = ExperimentAnalysis(experiment: experiment)
        do {
            for metric in metrics { analysis.metrics.append(try ExperimentMetric.parse(metric)) }
            for (name, value) in options {
                do {
                    try analysis.applyOption(name, value)
                } catch {
                    throw StrataError(error.code, "--\(name): \(error.message)")
                }
            }
            let clock = ContinuousClock()
            let start = clock.now
            let report = try running { context throws(StrataError) in
                try database.table(named: table).snapshot().analyze(analysis, context: context)
            }
            let elapsed = start.duration(to: clock.now)
            output(json ? report.json() : report.text())
            if timer {
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
                output(String(format: "Run Time: %.3f ms\n", ms))
            }
        } catch {
            fail(".experiment: \(error)")
        }
    }

    /// Words separated by blanks outside parentheses and quotes; double quotes around a word are removed
    /// (`""` inside stands for `"`), single quotes are kept (they are SQL strings inside a metric).
    ///
    /// - Parameter text: The arguments of `.experiment`.
    /// - Returns: The words.
    /// - Throws: `syntax` for an unclosed quote or parenthesis.
    public static func experimentWords(_ text: String) throws(StrataError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var depth = 0
        var quote: Character?
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? characters.next() {
            pending = nil
            if let open = quote {
                if c == open {
                    if open == "\"" {
                        let next = characters.next()
                        if next == "\"" {
                            word.append("\"")
                            continue
                        }
                        pending = next
                        quote = nil
                        continue
                    }
                    quote = nil
                }
                word.append(c)
                continue
            }
            switch c {
            case " " where depth == 0, "\t" where depth == 0:
                if inWord { words.append(word) }
                word = ""
                inWord = false
                continue
            case "\"":
                quote = c
            case "'":
                quote = c
                word.append(c)
            case "(":
                depth += 1
                word.append(c)
            case ")":
                depth -= 1
                word.append(c)
            default:
                word.append(c)
            }
            inWord = true
        }
        if quote != nil { throw StrataError(.syntax, "a quote is not closed: \(text)") }
        if depth != 0 { throw StrataError(.syntax, "a parenthesis is not closed: \(text)") }
        if inWord { words.append(word) }
        return words
    }

    private static func isMetricOption(_ word: String) -> Bool {
        let lower = word.lowercased()
        return lower == "lower-is-better" || lower == "lower_is_better"
            || ["window=", "cap=", "cuped="].contains { lower.hasPrefix($0) }
    }
}
