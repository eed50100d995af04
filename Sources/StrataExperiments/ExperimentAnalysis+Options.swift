public import StrataCore
import StrataPlanner
import StrataStats

extension ExperimentAnalysis {
    /// The settings ``applyOption(_:_:)`` takes, as written in SQL (`window = '0d..14d'`) and in the
    /// REPL (`--window 0d..14d`; `-` and `_` are the same).
    public static let optionNames = [
        "window", "cap", "cuped", "alpha", "sequential", "tuning", "correction", "breakdown", "baseline",
        "absolute", "unit", "variant", "experiment_column", "exposure", "from", "to",
    ]

    /// Whether the option named `name` is a switch (`--sequential`) that needs no value in the REPL.
    public static func isSwitchOption(_ name: String) -> Bool {
        let key = name.lowercased().replacingHyphens()
        return key == "sequential" || key == "absolute"
    }

    /// Applies one setting given as text, the way `strata experiment` takes its options.
    ///
    /// - `window`: the default metric window `FROM..TO` (`0d..14d`, `1h..`);
    /// - `cap`: the default cap of count, sum and ratio metrics without their own (`0.99`, `abs:500`);
    /// - `cuped`: the default CUPED lookback of count, sum and binomial metrics without their own (`7d`);
    /// - `alpha` (`0.05`), `sequential` and `absolute` (`true`/`false`), `tuning` (the sequential tuning
    ///   parameter, default 5000), `correction` (`none`, `holm`, `bh`);
    /// - `breakdown` (a string dimension), `baseline` (a variant);
    /// - `unit`, `variant`, `experiment_column` (column names), `exposure` (a SQL condition, `''` for every
    ///   row of the experiment);
    /// - `from`, `to`: only rows in `[from, to)` (`YYYY-MM-DD[ HH:MM:SS]`).
    ///
    /// Apply options after the metrics are in ``metrics``: `cap` and `cuped` fill in the metrics that
    /// do not set their own.
    ///
    /// - Parameters:
    ///   - name: The option's name (case-insensitive, `-` or `_`).
    ///   - value: Its value as text.
    /// - Throws: `binding` for an unknown option name (with the closest name), `syntax` or
    ///   `invalidArgument` for a value that does not parse or is out of range.
    public mutating func applyOption(_ name: String, _ value: String) throws(StrataError) {
        let key = name.lowercased().replacingHyphens()
        switch key {
        case "window":
            window = try MetricWindow.parse(value)
        case "cap":
            let cap = try ExperimentMetric.Capping.parse(value)
            for i in metrics.indices where metrics[i].capping == nil {
                switch metrics[i].kind {
                case .count, .sum, .ratio: metrics[i].capping = cap
                default: break
                }
            }
        case "cuped":
            let lookback = try MetricWindow.parseDuration(value)
            for i in metrics.indices where metrics[i].cupedLookback == nil {
                switch metrics[i].kind {
                case .count, .sum, .binomial: metrics[i].cupedLookback = lookback
                default: break
                }
            }
        case "alpha":
            guard let alpha = Double(value), alpha > 0, alpha < 1 else {
                throw StrataError(.invalidArgument, "alpha is a number in (0, 1) such as 0.05; got '\(value)'")
            }
            configuration.alpha = alpha
        case "sequential":
            sequential = try Self.boolean(value, key)
        case "absolute":
            configuration.difference = try Self.boolean(value, key) ? .absolute : .relative
        case "tuning":
            guard let tuning = Double(value), tuning > 0, tuning.isFinite else {
                throw StrataError(.invalidArgument, "tuning is a positive number such as 5000; got '\(value)'")
            }
            configuration.sequentialTuning = tuning
        case "correction":
            guard let correction = MultipleComparisonCorrection(rawValue: value.lowercased()) else {
                throw StrataError(.invalidArgument, "correction is none, holm or bh; got '\(value)'")
            }
            self.correction = correction
        case "breakdown": breakdown = try Self.name(value, key)
        case "baseline": baseline = try Self.name(value, key)
        case "unit": exposure.unitColumn = try Self.name(value, key)
        case "variant": exposure.variantColumn = try Self.name(value, key)
        case "experiment_column": exposure.experimentColumn = try Self.name(value, key)
        case "exposure":
            exposure.filter = value.allSatisfy(\.isWhitespace) ? nil : try Filter.parse(condition: value)
        case "from", "to":
            guard case .success(let instant) = Timestamp.parse(value) else {
                throw StrataError(
                    .invalidArgument, "\(key) is a time such as 2026-10-01 or 2026-10-01 12:00:00; got '\(value)'")
            }
            var lower = timeRange?.lowerBound ?? .min
            var upper = timeRange?.upperBound ?? .max
            if key == "from" { lower = instant } else { upper = instant }
            guard lower < upper else { throw StrataError(.invalidArgument, "from must be before to") }
            timeRange = lower..<upper
        default:
            var message = "unknown experiment option '\(name)'"
            if let suggestion = NameSuggestion.closest(to: key, among: Self.optionNames) {
                message += "; did you mean '\(suggestion)'?"
            } else {
                message += " (options: \(Self.optionNames.joined(separator: ", ")))"
            }
            throw StrataError(.binding, message)
        }
    }

    private static func boolean(_ value: String, _ key: String) throws(StrataError) -> Bool {
        switch value.lowercased() {
        case "true", "on", "1", "yes": return true
        case "false", "off", "0", "no": return false
        default: throw StrataError(.invalidArgument, "\(key) is true or false; got '\(value)'")
        }
    }

    private static func name(_ value: String, _ key: String) throws(StrataError) -> String {
        guard !value.isEmpty else { throw StrataError(.invalidArgument, "\(key) needs a name") }
        return value
    }
}

extension String {
    fileprivate func replacingHyphens() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
