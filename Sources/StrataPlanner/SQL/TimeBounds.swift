import StrataCore
import StrataExecution

/// Conjuncts of a WHERE that bound the time column (position 0) by constant instants: the scan reads only
/// the time range they leave (segments and blocks outside it are skipped by their zone maps) and drops them
/// from the filter it evaluates.
enum TimeBounds {
    /// The hull of the time bounds among a condition's conjuncts.
    static func range(of condition: BoundExpression) -> Range<Int64>? {
        let conjuncts: [BoundExpression]
        if case .and(let parts) = condition { conjuncts = parts } else { conjuncts = [condition] }
        var lower = Int64.min
        var upper = Int64.max
        var sawTime = false
        for part in conjuncts {
            guard let (lo, hi) = bound(part) else { continue }
            lower = max(lower, lo)
            upper = min(upper, hi)
            sawTime = true
        }
        return sawTime ? lower..<max(lower, upper) : nil
    }

    /// `condition` without the conjuncts that bound the time column by a constant (``range(of:)``'s): a scan
    /// reading only that range keeps no row they would drop. `nil` when nothing else is left.
    static func removed(from condition: BoundExpression) -> BoundExpression? {
        let conjuncts: [BoundExpression]
        if case .and(let parts) = condition { conjuncts = parts } else { conjuncts = [condition] }
        let rest = conjuncts.filter { bound($0) == nil }
        if rest.count == conjuncts.count { return condition }
        return rest.isEmpty ? nil : rest.count == 1 ? rest[0] : .and(rest)
    }

    /// `[lo, hi)` when `part` bounds the time column by a constant instant.
    static func bound(_ part: BoundExpression) -> (Int64, Int64)? {
        guard case .compare(let op, let a, let b) = part else { return nil }
        var comparison = op
        var constant: Int64
        switch (a, b) {
        case (.column(0, let type, _), .constant(.timestamp(let t), _)) where type.isTemporal:
            constant = t
        case (.constant(.timestamp(let t), _), .column(0, let type, _)) where type.isTemporal:
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
        case .notEqual: return nil
        }
    }

    /// A native query's time intervals (half-open, epoch milliseconds) as a scan's time range (their hull)
    /// and, when there are several, the condition that keeps the rows inside one of them.
    static func of(_ intervals: [Range<Int64>], time name: String) -> (Range<Int64>?, BoundExpression?) {
        guard let lower = intervals.map(\.lowerBound).min(), let upper = intervals.map(\.upperBound).max() else {
            return (nil, nil)
        }
        guard intervals.count > 1 else { return (lower..<upper, nil) }
        let time = BoundExpression.column(0, .timestamp, name: name)
        let inside = BoundExpression.or(
            intervals.map { interval in
                .and([
                    .compare(.greaterThanOrEqual, time, .constant(.timestamp(interval.lowerBound), .timestamp)),
                    .compare(.lessThan, time, .constant(.timestamp(interval.upperBound), .timestamp)),
                ])
            })
        return (lower..<upper, inside)
    }
}
