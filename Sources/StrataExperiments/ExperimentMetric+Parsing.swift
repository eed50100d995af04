public import StrataCore
public import StrataPlanner
import StrataSQL

extension ExperimentMetric {
    /// Parses the metric syntax of `strata experiment --metric`:
    ///
    /// ```
    /// NAME=AGGREGATE [window=FROM..TO] [cap=FRACTION|cap=abs:VALUE] [cuped=DURATION] [lower-is-better]
    /// ```
    ///
    /// Aggregates (filters are SQL conditions on the table's columns, as in a WHERE clause):
    /// - `count()`, `count(*)`, `count(FILTER)`: matching rows per unit;
    /// - `sum(COLUMN)`, `sum(COLUMN, FILTER)`: the column's sum per unit;
    /// - `binomial(FILTER)`: 1 if the unit has a matching row;
    /// - `ratio(A, B)` with `A` and `B` each a `count(…)` or `sum(…)`: Σ A / Σ B;
    /// - `quantile(COLUMN, LEVEL)`, `quantile(COLUMN, LEVEL, FILTER)`: event-level quantile.
    ///
    /// Any `count`, `sum` or `quantile` also takes SQL's `FILTER (WHERE …)` suffix instead of the filter
    /// argument. Durations are an integer and a unit `ms`, `s`, `m`, `h`, `d` or `w`; a window `FROM..TO`
    /// is relative to each unit's first exposure and may leave `TO` out (to the end of the data).
    ///
    /// Examples: `purchases=count(event='purchase')`, `revenue=sum(revenue) cap=0.99 cuped=14d`,
    /// `converted=binomial(event = 'purchase') window=0d..7d`,
    /// `aov=ratio(sum(revenue), count(event='purchase'))`,
    /// `p95_latency=quantile(latency_ms, 0.95) lower-is-better`.
    ///
    /// - Parameter text: The metric definition.
    /// - Returns: The metric.
    /// - Throws: `syntax` (with the position in `text`) for malformed text, `unsupported` for
    ///   expressions that are not a metric of the list above.
    public static func parse(_ text: String) throws(StrataError) -> ExperimentMetric {
        guard let equals = text.firstIndex(of: "=") else {
            throw StrataError(.syntax, "a metric is NAME=AGGREGATE, e.g. purchases=count(event='purchase'): '\(text)'")
        }
        let name = text[..<equals].trimmingSpaces()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
        else {
            throw StrataError(.syntax, "a metric name is letters, digits, '_', '-' or '.': '\(name)'")
        }
        // Options are the trailing space-separated words that look like options.
        let afterEquals = text[text.index(after: equals)...]
        let expressionOffset =
            text.utf8.distance(from: text.startIndex, to: afterEquals.startIndex)
            + afterEquals.prefix { $0 == " " }.utf8.count
        var rest = Substring(afterEquals.trimmingSpaces())
        var options: [Substring] = []
        while let space = rest.lastIndex(of: " "), Self.isOption(rest[rest.index(after: space)...]) {
            options.insert(rest[rest.index(after: space)...], at: 0)
            rest = Substring(rest[..<space].trimmingSpaces())
        }
        let expressionText = String(rest)
        let metric: ExperimentMetric
        do {
            metric = ExperimentMetric(name, try kind(of: try SQLParser.parseExpression(expressionText), metric: name))
        } catch {
            let message = error.message.hasPrefix("metric '") ? error.message : "metric '\(name)': " + error.message
            throw SQLSourceText(text).error(
                error.code, message, at: expressionOffset + (error.location?.offset ?? 0))
        }
        return try applying(options, to: metric, text: text, expressionOffset: expressionOffset)
    }

    /// Sets the metric's options; an error points at its option in `text`.
    private static func applying(
        _ options: [Substring], to metric: ExperimentMetric, text: String, expressionOffset: Int
    ) throws(StrataError) -> ExperimentMetric {
        var metric = metric
        for option in options {
            let parts = option.split(separator: "=", maxSplits: 1)
            let key = parts[0].lowercased()
            let value = parts.count > 1 ? String(parts[1]) : ""
            do {
                switch key {
                case "window": metric.window = try MetricWindow.parse(value)
                case "cap": metric.capping = try Capping.parse(value)
                case "cuped": metric.cupedLookback = try MetricWindow.parseDuration(value)
                default: metric.lowerIsBetter = true
                }
            } catch {
                let offset =
                    expressionOffset + option.base.utf8.distance(from: option.base.startIndex, to: option.startIndex)
                throw SQLSourceText(text).error(error.code, "metric '\(metric.name)': " + error.message, at: offset)
            }
        }
        return metric
    }

    private static func isOption(_ token: Substring) -> Bool {
        let lower = token.lowercased()
        if lower == "lower-is-better" || lower == "lower_is_better" { return true }
        return ["window=", "cap=", "cuped="].contains { lower.hasPrefix($0) }
    }

    private static func kind(of e: SQLExpression, metric: String) throws(StrataError) -> Kind {
        guard case .function(let call) = e.kind else {
            throw unsupported(metric, "expected count(…), sum(…), binomial(…), ratio(…) or quantile(…), got \(e)")
        }
        let args = call.arguments
        switch call.name.normalized {
        case "count", "sum":
            let aggregate = try self.aggregate(call, metric: metric)
            return switch aggregate {
            case .count(let filter): .count(filter: filter)
            case .sum(let column, let filter): .sum(column: column, filter: filter)
            }
        case "binomial":
            guard args.count <= 1, call.filter == nil || args.isEmpty else {
                throw unsupported(metric, "binomial takes one condition: binomial(event = 'purchase')")
            }
            return .binomial(filter: try (args.first ?? call.filter).map { a throws(StrataError) in try filter(a) })
        case "ratio":
            guard args.count == 2, case .function(let n) = args[0].kind, case .function(let d) = args[1].kind else {
                throw unsupported(metric, "ratio takes two aggregates: ratio(sum(revenue), count(event = 'purchase'))")
            }
            return .ratio(numerator: try aggregate(n, metric: metric), denominator: try aggregate(d, metric: metric))
        case "quantile":
            guard args.count == 2 || args.count == 3, let column = columnName(args[0]),
                let level = number(args[1])
            else {
                throw unsupported(metric, "quantile takes a column and a level: quantile(latency_ms, 0.95)")
            }
            let condition = args.count == 3 ? args[2] : call.filter
            return .quantile(
                column: column, level: level, filter: try condition.map { c throws(StrataError) in try filter(c) })
        default:
            throw unsupported(
                metric, "unknown metric aggregate '\(call.name.name)' (count, sum, binomial, ratio, quantile)")
        }
    }

    private static func aggregate(_ call: FunctionCall, metric: String) throws(StrataError) -> Aggregate {
        let args = call.arguments
        switch call.name.normalized {
        case "count":
            guard args.count <= 1, !(args.count == 1 && call.filter != nil) else {
                throw unsupported(metric, "count takes at most one condition: count(event = 'purchase')")
            }
            let condition = args.first ?? call.filter
            return .count(filter: try condition.map { c throws(StrataError) in try filter(c) })
        case "sum":
            guard args.count == 1 || args.count == 2, let column = columnName(args[0]),
                !(args.count == 2 && call.filter != nil)
            else {
                throw unsupported(
                    metric, "sum takes a column and an optional condition: sum(revenue, event = 'purchase')")
            }
            let condition = args.count == 2 ? args[1] : call.filter
            return .sum(column: column, filter: try condition.map { c throws(StrataError) in try filter(c) })
        default:
            throw unsupported(metric, "a ratio's parts are count(…) or sum(…), not \(call.name.name)")
        }
    }

    private static func unsupported(_ metric: String, _ message: String) -> StrataError {
        StrataError(.unsupported, "metric '\(metric)': \(message)")
    }

    private static func columnName(_ e: SQLExpression) -> String? {
        if case .column(let c) = e.kind { return c.column.name }
        return nil
    }

    private static func number(_ e: SQLExpression) -> Double? {
        if case .literal(let literal) = e.kind, case .double(let d) = value(of: literal) { return d }
        if case .literal(.integer(let i)) = e.kind { return Double(i) }
        return nil
    }

    /// Converts a SQL condition on columns and literals into a native ``Filter``.
    ///
    /// - Throws: `unsupported` for expressions a filter cannot hold (arithmetic, functions, column-to-column
    ///   comparisons).
    static func filter(_ e: SQLExpression) throws(StrataError) -> Filter {
        func fail() -> StrataError {
            StrataError(
                .unsupported,
                "a metric or exposure condition compares columns with constants (=, <>, <, IN, BETWEEN, LIKE, IS NULL, "
                    + "AND, OR, NOT); cannot use \(e)", location: .init(offset: e.range.offset))
        }
        switch e.kind {
        case .binary(.and, let a, let b):
            return .and(flatten(try filter(a), try filter(b), and: true))
        case .binary(.or, let a, let b):
            return .or(flatten(try filter(a), try filter(b), and: false))
        case .unary(.not, let a):
            return .not(try filter(a))
        case .binary(let op, let a, let b) where op.isComparison:
            if let c = columnName(a), let v = literalValue(b) { return .compare(c, comparison(op), v) }
            if let c = columnName(b), let v = literalValue(a) { return .compare(c, comparison(op, flipped: true), v) }
            throw fail()
        case .isNull(let a, let negated):
            guard let c = columnName(a) else { throw fail() }
            return negated ? .not(.isNull(c)) : .isNull(c)
        case .inList(let a, let list, let negated):
            guard let c = columnName(a) else { throw fail() }
            var values: [Value] = []
            for item in list {
                guard let v = literalValue(item) else { throw fail() }
                values.append(v)
            }
            return negated ? .not(.in(c, values)) : .in(c, values)
        case .between(let a, let low, let high, let negated):
            guard let c = columnName(a), let lo = literalValue(low), let hi = literalValue(high) else { throw fail() }
            let range = Filter.and([.compare(c, .greaterThanOrEqual, lo), .compare(c, .lessThanOrEqual, hi)])
            return negated ? .not(range) : range
        case .like(let a, let pattern, let negated, let caseInsensitive):
            guard !caseInsensitive, let c = columnName(a), case .string(let p)? = literalValue(pattern) else {
                throw fail()
            }
            return negated ? .not(.like(c, p)) : .like(c, p)
        default:
            throw fail()
        }
    }

    private static func flatten(_ a: Filter, _ b: Filter, and: Bool) -> [Filter] {
        var out: [Filter] = []
        for f in [a, b] {
            switch f {
            case .and(let parts) where and: out += parts
            case .or(let parts) where !and: out += parts
            default: out.append(f)
            }
        }
        return out
    }

    private static func comparison(_ op: BinaryOperator, flipped: Bool = false) -> ComparisonOperator {
        switch op {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: flipped ? .greaterThan : .lessThan
        case .lessOrEqual: flipped ? .greaterThanOrEqual : .lessThanOrEqual
        case .greater: flipped ? .lessThan : .greaterThan
        default: flipped ? .lessThanOrEqual : .greaterThanOrEqual
        }
    }

    private static func literalValue(_ e: SQLExpression) -> Value? {
        switch e.kind {
        case .literal(let literal): return value(of: literal)
        case .unary(.negate, let inner):
            switch literalValue(inner) {
            case .int64(let i)?: return .int64(-i)
            case .double(let d)?: return .double(-d)
            default: return nil
            }
        default: return nil
        }
    }

    private static func value(of literal: Literal) -> Value? {
        switch literal {
        case .null: .null
        case .boolean(let b): .bool(b)
        case .integer(let i): .int64(i)
        case .decimal(let text): Double(text).map { .double($0) }
        case .string(let s): .string(s)
        case .typed(_, let text): .string(text)
        case .interval: nil
        }
    }
}

extension Filter {
    /// Parses a SQL condition on columns and constants, as in a WHERE clause: `event = 'purchase' AND
    /// revenue > 0`, `platform IN ('ios', 'android')`, `app_version LIKE '5.%'`.
    ///
    /// - Parameter text: The condition.
    /// - Returns: The filter.
    /// - Throws: `syntax` with the position of a malformed condition, `unsupported` for expressions a
    ///   filter cannot hold (arithmetic, functions, comparisons of two columns).
    public static func parse(condition text: String) throws(StrataError) -> Filter {
        try ExperimentMetric.filter(try SQLParser.parseExpression(text))
    }
}

extension ExperimentMetric.Capping {
    /// `0.99` (a percentile in (0, 1)) or `abs:500` (an absolute bound).
    /// - Throws: `syntax` for anything else.
    public static func parse(_ text: String) throws(StrataError) -> ExperimentMetric.Capping {
        let lower = text.lowercased()
        if lower.hasPrefix("abs:"), let value = Double(lower.dropFirst(4)), value.isFinite { return .absolute(value) }
        if let p = Double(lower), p > 0, p < 1 { return .percentile(p) }
        throw StrataError(
            .syntax, "a cap is a percentile in (0, 1) such as 0.99, or abs:VALUE such as abs:500; got '\(text)'")
    }
}

extension MetricWindow {
    /// `FROM..TO` or `FROM..` (to the end of the data), each a duration such as `0d`, `36h`, `-1d`.
    /// - Throws: `syntax` for anything else.
    public static func parse(_ text: String) throws(StrataError) -> MetricWindow {
        guard let dots = text.firstRange(of: "..") else {
            throw StrataError(.syntax, "a window is FROM..TO or FROM.. (e.g. 0d..7d, 1h..), got '\(text)'")
        }
        let from = String(text[..<dots.lowerBound])
        let to = String(text[dots.upperBound...])
        let delay = from.isEmpty ? 0 : try parseDuration(from, allowNegative: true)
        guard !to.isEmpty else { return MetricWindow(delay: delay) }
        let end = try parseDuration(to, allowNegative: true)
        guard end > delay else { throw StrataError(.syntax, "a window must end after it starts: '\(text)'") }
        return MetricWindow(delay: delay, duration: end - delay)
    }

    /// A duration in milliseconds: an integer then `ms`, `s`, `m`, `h`, `d` or `w` (`7d`, `90m`).
    /// - Throws: `syntax` for anything else, or a negative duration unless allowed.
    public static func parseDuration(_ text: String, allowNegative: Bool = false) throws(StrataError) -> Int64 {
        let units: [(String, Int64)] = [
            ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
        ]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let n = Int64(text.dropLast(suffix.count)), allowNegative || n >= 0 else { break }
            let (ms, overflow) = n.multipliedReportingOverflow(by: scale)
            if overflow { break }
            return ms
        }
        throw StrataError(.syntax, "a duration is an integer and a unit ms, s, m, h, d or w (e.g. 7d); got '\(text)'")
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
