import StrataCore
import StrataExecution

/// Translates bound expressions into the native query model where it expresses them: comparisons of a
/// column with a constant, IN, LIKE, IS NULL, AND/OR/NOT; time ranges on the time column become
/// intervals that prune segments and blocks.
struct NativeLowering {
    /// Column names by input position.
    let names: [String]

    /// The intervals and filter equivalent to a WHERE condition, or nil when the filter cannot say it.
    func whereClause(_ condition: BoundExpression) -> ([Range<Int64>], Filter?)? {
        var conjuncts: [BoundExpression]
        if case .and(let parts) = condition { conjuncts = parts } else { conjuncts = [condition] }
        var lower = Int64.min
        var upper = Int64.max
        var sawTime = false
        conjuncts.removeAll { part in
            guard let (lo, hi) = Self.timeBound(part) else { return false }
            lower = max(lower, lo)
            upper = min(upper, hi)
            sawTime = true
            return true
        }
        var filters: [Filter] = []
        for part in conjuncts {
            if case .constant(.bool(true), _) = part { continue }
            guard let native = filter(part) else { return nil }
            filters.append(native)
        }
        let intervals = sawTime ? [lower..<max(lower, upper)] : []
        let native: Filter? = filters.isEmpty ? nil : filters.count == 1 ? filters[0] : .and(filters)
        return (intervals, native)
    }

    /// A WHERE condition split into what a native scan filters (intervals and a filter) and the residual
    /// conjuncts the general path evaluates.
    func split(_ condition: BoundExpression) -> (intervals: [Range<Int64>], filter: Filter?, residual: BoundExpression?)
    {
        let conjuncts: [BoundExpression]
        if case .and(let parts) = condition { conjuncts = parts } else { conjuncts = [condition] }
        var pushed: [BoundExpression] = []
        var residual: [BoundExpression] = []
        for part in conjuncts {
            if Self.timeBound(part) != nil || filter(part) != nil { pushed.append(part) } else { residual.append(part) }
        }
        let (intervals, native) =
            pushed.isEmpty ? ([], nil) : whereClause(pushed.count == 1 ? pushed[0] : .and(pushed)) ?? ([], nil)
        let rest: BoundExpression? = residual.isEmpty ? nil : residual.count == 1 ? residual[0] : .and(residual)
        return (intervals, native, rest)
    }

    /// The hull of the time bounds among a condition's conjuncts (for pruning a general scan).
    static func timeRange(of condition: BoundExpression) -> Range<Int64>? {
        let conjuncts: [BoundExpression]
        if case .and(let parts) = condition { conjuncts = parts } else { conjuncts = [condition] }
        var lower = Int64.min
        var upper = Int64.max
        var sawTime = false
        for part in conjuncts {
            guard let (lo, hi) = timeBound(part) else { continue }
            lower = max(lower, lo)
            upper = min(upper, hi)
            sawTime = true
        }
        return sawTime ? lower..<max(lower, upper) : nil
    }

    /// `condition` without the conjuncts that bound the time column by a constant (``timeRange(of:)``'s):
    /// a scan reading only that range keeps no row they would drop. `nil` when nothing else is left.
    static func withoutTimeBounds(_ condition: BoundExpression) -> BoundExpression? {
        let conjuncts: [BoundExpression]
        if case .and(let parts) = condition { conjuncts = parts } else { conjuncts = [condition] }
        let rest = conjuncts.filter { timeBound($0) == nil }
        if rest.count == conjuncts.count { return condition }
        return rest.isEmpty ? nil : rest.count == 1 ? rest[0] : .and(rest)
    }

    /// `[lo, hi)` when `part` bounds the time column (position 0) by a constant instant.
    static func timeBound(_ part: BoundExpression) -> (Int64, Int64)? {
        guard case .compare(let op, let a, let b) = part else { return nil }
        var comparison = op
        var constant: Int64
        switch (a, b) {
        case (.column(0, let type, _), .constant(.timestamp(let t), _)) where type == .timestamp:
            constant = t
        case (.constant(.timestamp(let t), _), .column(0, let type, _)) where type == .timestamp:
            constant = t
            comparison = op.flipped
        default:
            return nil
        }
        switch comparison {
        case .greaterThanOrEqual: return (constant, .max)
        case .greaterThan: return (constant == .max ? .max : constant + 1, .max)
        case .lessThan: return (.min, constant)
        case .lessThanOrEqual: return (.min, constant == .max ? .max : constant + 1)
        case .equal: return (constant, constant == .max ? .max : constant + 1)
        case .notEqual:
            _ = constant
            return nil
        }
    }

    /// The native filter equivalent to a boolean expression, or nil.
    func filter(_ condition: BoundExpression) -> Filter? {
        switch condition {
        case .and(let parts):
            var out: [Filter] = []
            for part in parts {
                guard let f = filter(part) else { return nil }
                out.append(f)
            }
            return .and(out)
        case .or(let parts):
            var out: [Filter] = []
            for part in parts {
                guard let f = filter(part) else { return nil }
                out.append(f)
            }
            return .or(out)
        case .not(let inner):
            return filter(inner).map { .not($0) }
        case .column(let i, .boolean, _):
            return .compare(names[i], .equal, .bool(true))
        case .compare(let op, let a, let b):
            if case .column(let i, let type, _) = a, let value = b.constantValue, !value.isNull {
                return Self.compare(names[i], op, value, columnType: type)
            }
            if case .column(let i, let type, _) = b, let value = a.constantValue, !value.isNull {
                return Self.compare(names[i], op.flipped, value, columnType: type)
            }
            return nil
        case .inList(.column(let i, let type, _), let list, let negated):
            var values: [Value] = []
            for item in list {
                guard let value = item.constantValue else { return nil }
                values.append(value)
            }
            guard let native = Self.in(names[i], values, columnType: type) else { return nil }
            return negated ? .not(native) : native
        case .like(.column(let i, .varchar, _), .constant(.string(let pattern), _), let negated, false):
            let native = Filter.like(names[i], pattern)
            return negated ? .not(native) : native
        case .isNull(.column(let i, _, _), let negated):
            return negated ? .not(.isNull(names[i])) : .isNull(names[i])
        default:
            return nil
        }
    }

    /// `column op constant` natively, exact as SQL compares: a decimal column takes exact constants (the
    /// native binder turns them into bounds on its units); a BIGINT column compares with a decimal
    /// through integer bounds; a DOUBLE column with a decimal as doubles. A decimal column against a
    /// DOUBLE (compared as doubles in SQL) stays on the general path.
    static func compare(_ name: String, _ op: ComparisonOperator, _ value: Value, columnType: SQLValueType)
        -> Filter?
    {
        let exact: Bool = if case .decimal = value { true } else if case .hugeint = value { true } else { false }
        switch columnType {
        case .decimal:
            if case .double = value { return nil }
            return .compare(name, op, value)
        case .bigint where exact:
            return try? DecimalFilter.compare(name, op, value, precision: DecimalValue.maxInt64Precision, scale: 0)
        case .double where exact:
            return value.doubleValue.map { .compare(name, op, .double($0)) }
        default:
            return exact ? nil : .compare(name, op, value)
        }
    }

    /// `column IN (constants)` natively, by the rules of ``compare(_:_:_:columnType:)``.
    static func `in`(_ name: String, _ values: [Value], columnType: SQLValueType) -> Filter? {
        let exact = values.contains { v in
            if case .decimal = v { true } else if case .hugeint = v { true } else { false }
        }
        switch columnType {
        case .decimal:
            if values.contains(where: { if case .double = $0 { true } else { false } }) { return nil }
            return .in(name, values)
        case .bigint where exact:
            return try? DecimalFilter.in(name, values, precision: DecimalValue.maxInt64Precision, scale: 0)
        case .double where exact:
            return .in(name, values.map { v in v.isNull ? v : v.doubleValue.map(Value.double) ?? v })
        default:
            return exact ? nil : .in(name, values)
        }
    }

    func groupKey(_ key: BoundExpression) -> GroupKey? {
        switch key {
        case .column(let i, _, _):
            return .column(names[i])
        case .function(let function, let arguments, _):
            guard arguments.count == 1, case .column(0, .timestamp, _) = arguments[0] else { return nil }
            switch function {
            case .dateTrunc(let unit):
                return .timeBucket(unit)
            case .timeBucket(let width):
                if let fixed = width.fixedMilliseconds {
                    if fixed == 7 * Timestamp.millisecondsPerDay { return .timeBucket(.week) }
                    // The engine counts buckets from the epoch, DuckDB from 2000-01-03: the same buckets when
                    // the width divides the difference.
                    guard SQLEvaluation.timeBucketOrigin % fixed == 0 else { return nil }
                    return .fixedBucket(milliseconds: fixed)
                }
                switch width.months {
                case 1: return .timeBucket(.month)
                case 3: return .timeBucket(.quarter)
                case 12: return .timeBucket(.year)
                default: return nil
                }
            default:
                return nil
            }
        default:
            return nil
        }
    }

    func aggregation(_ call: AggregateCall, name: String) -> Aggregation? {
        var column: String?
        switch call.argument {
        case nil: column = nil
        case .column(let i, let type, _)?:
            // SQL's quantiles of decimals are DECIMALs interpolated in units (DuckDB's); the engine answers
            // doubles, and its DDSketch would bucket units, not values: the general path computes them.
            if type.decimalScale != nil, call.function == .approxQuantile || call.function == .quantile { return nil }
            column = names[i]
        default: return nil
        }
        var filter: Filter?
        if let condition = call.filter {
            guard let native = self.filter(condition) else { return nil }
            filter = native
        }
        let function: AggregateFunction
        switch (call.function, call.isDistinct) {
        case (.countStar, false): function = .count
        case (.count, false): function = .count
        case (.count, true): function = .countDistinct
        case (.sum, false): function = .sum
        case (.min, _): function = .min
        case (.max, _): function = .max
        case (.avg, false): function = .avg
        case (.varianceSample, false): function = .varianceSample
        case (.standardDeviationSample, false): function = .standardDeviationSample
        case (.approxCountDistinct, _): function = .approxCountDistinct
        case (.quantile, false): function = .quantile(call.fraction ?? 0.5)
        case (.approxQuantile, false): function = .approxQuantile(call.fraction ?? 0.5)
        default: return nil
        }
        return Aggregation(name, function, column: column, filter: filter)
    }
}
