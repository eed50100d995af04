import Foundation
public import StrataCore

/// An interactive SQL session over a database: what `strata repl` runs, usable from any front end.
///
/// Feed it lines with ``feed(_:)``; it collects a statement until a `;` that is not inside a string,
/// a quoted name or a comment, runs it and writes the result; lines starting with `.` (between
/// statements) are commands: `.tables`, `.schema TABLE`, `.mode table|csv|json`, `.timer on|off`,
/// `.explain [on|off|SQL]`, `.read FILE`, `.experiment E METRIC… [--option VALUE…]`, `.help`, `.quit`.
public final class SQLSession {
    public let database: Database
    /// How results are written.
    public var mode: ResultFormat = .table
    /// Whether each statement's time is written after its result.
    public var timer = false
    /// Whether statements are explained instead of run.
    public var explain = false
    /// The number of statements and commands that failed.
    public private(set) var failures = 0
    /// Whether `.quit` was given.
    public private(set) var finished = false
    /// Table mode shows at most this many rows.
    public var maxRows = 40

    let output: (String) -> Void
    private let errorOutput: (String) -> Void
    private var buffer = ""
    private var readDepth = 0

    /// - Parameters:
    ///   - database: The database statements run on.
    ///   - output: Receives results (text ending with a newline).
    ///   - errorOutput: Receives errors.
    public init(database: Database, output: @escaping (String) -> Void, errorOutput: @escaping (String) -> Void) {
        self.database = database
        self.output = output
        self.errorOutput = errorOutput
    }

    /// Whether a statement is partly typed (a continuation prompt is due).
    public var isContinuing: Bool { !Self.isBlank(buffer) }

    /// Handles one line of input.
    public func feed(_ line: String) {
        guard !finished else { return }
        if !isContinuing {
            buffer = ""  // blank lines between statements do not count in error positions
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(".") {
                command(trimmed)
                return
            }
        }
        buffer += line + "\n"
        while let end = Self.statementEnd(in: buffer) {
            let statement = String(buffer[..<end])
            buffer = String(buffer[buffer.index(after: end)...])
            run(statement)
            if finished { return }
        }
    }

    /// Runs what is left in the buffer at the end of input, if it is more than blanks and comments.
    public func finish() {
        let rest = buffer
        buffer = ""
        if !Self.isBlank(rest) { run(rest) }
    }

    /// Runs one statement and writes its result (or error).
    public func run(_ statement: String) {
        guard !Self.isBlank(statement) else { return }
        var sql = statement
        if explain, !sql.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().hasPrefix("explain") {
            sql = "EXPLAIN " + sql
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try database.query(sql)
            let elapsed = start.duration(to: clock.now)
            if result.columnNames == ["plan"] {
                output(result.rows.map { $0[0].description }.joined(separator: "\n") + "\n")
            } else {
                output(result.rendered(as: mode, maxRows: maxRows))
            }
            if timer {
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
                output(String(format: "Run Time: %.3f ms\n", ms))
            }
        } catch {
            fail("\(error)")
        }
    }

    func fail(_ message: String) {
        failures += 1
        errorOutput(message.hasSuffix("\n") ? message : message + "\n")
    }

    /// Handles a dot-command.
    public func command(_ line: String) {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let name = parts.first.map(String.init) ?? ""
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ".quit", ".exit":
            finished = true
        case ".help":
            output(Self.help)
        case ".tables":
            let names = database.tableNames
            output(names.isEmpty ? "(no tables)\n" : names.joined(separator: "\n") + "\n")
        case ".schema":
            schema(argument)
        case ".mode":
            guard let format = ResultFormat(rawValue: argument.lowercased()) else {
                fail(".mode needs one of: table, csv, json")
                return
            }
            mode = format
        case ".timer":
            guard let on = Self.onOff(argument) else {
                fail(".timer needs on or off")
                return
            }
            timer = on
        case ".explain":
            if argument.isEmpty {
                explain.toggle()
                output("explain \(explain ? "on" : "off")\n")
            } else if let on = Self.onOff(argument) {
                explain = on
            } else {
                var sql = argument
                if sql.hasSuffix(";") { sql.removeLast() }
                let saved = explain
                explain = true
                run(sql)
                explain = saved
            }
        case ".read":
            read(argument)
        case ".experiment":
            experiment(argument)
        default:
            fail("unknown command '\(name)'; .help lists the commands")
        }
    }

    private func schema(_ table: String) {
        let names = table.isEmpty ? database.tableNames : [table]
        for name in names {
            do {
                let spec = try database.table(named: name).spec
                var lines = ["\(spec.name): \(spec.segmentGranularity.rawValue) segments"]
                for column in spec.storedColumns {
                    let role: String =
                        switch column.role {
                        case .time: "time"
                        case .dimension: "dimension"
                        case .metric: "metric"
                        case .aggregate(let kind, _): "rollup \(kind)"
                        }
                    let type = SQLValueType(column.type).description
                    lines.append(
                        "  \(column.name)  \(type)  \(role)\(column.nullable ? "" : "  NOT NULL")")
                }
                output(lines.joined(separator: "\n") + "\n")
            } catch {
                fail("\(error)")
            }
        }
    }

    private func read(_ path: String) {
        guard !path.isEmpty else {
            fail(".read needs a file name")
            return
        }
        guard readDepth < 16 else {
            fail(".read nests too deeply")
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("cannot read '\(path)'")
            return
        }
        let saved = buffer
        buffer = ""
        readDepth += 1
        defer {
            readDepth -= 1
            buffer = saved
        }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            feed(String(line))
            if finished { return }
        }
        finish()
    }

    static func onOff(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "on", "true", "1": true
        case "off", "false", "0": false
        default: nil
        }
    }

    static let help = """
        Statements end with ';' and may span lines. Commands:
          .tables               list the tables
          .schema [TABLE]       show a table's columns
          .mode table|csv|json  how results are written
          .timer on|off         show each statement's time
          .explain [on|off]     show plans instead of results (toggles without an argument)
          .explain SQL          show one statement's plan
          .read FILE            run the statements and commands in a file
          .experiment E METRIC... [--window 0d..14d] [--cap 0.99] [--cuped 7d] [--table T] [--format json]
                                analyse experiment E: METRIC as in strata experiment --metric,
                                e.g. converted=binomial(event = 'purchase') revenue=sum(revenue) cap=0.99;
                                also --baseline, --breakdown, --alpha, --sequential, --correction holm|bh
          .help                 this text
          .quit                 leave

        """

    /// The index of the first `;` that ends a statement (not inside quotes or comments), if any.
    static func statementEnd(in text: String) -> String.Index? {
        var index = text.startIndex
        var quote: Character?
        var lineComment = false
        var blockComment = false
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            let following: Character? = next < text.endIndex ? text[next] : nil
            if lineComment {
                if c == "\n" { lineComment = false }
            } else if blockComment {
                if c == "*", following == "/" {
                    blockComment = false
                    index = text.index(after: next)
                    continue
                }
            } else if let open = quote {
                if c == open { quote = nil }  // a doubled quote closes and reopens: same effect
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "-", following == "-" {
                lineComment = true
            } else if c == "/", following == "*" {
                blockComment = true
            } else if c == ";" {
                return index
            }
            index = next
        }
        return nil
    }

    /// Whether the text holds only blanks, `;` and comments.
    static func isBlank(_ text: String) -> Bool {
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == ";" }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return false }
                rest = rest[end.upperBound...]
            } else {
                return rest.isEmpty
            }
        }
    }
}
