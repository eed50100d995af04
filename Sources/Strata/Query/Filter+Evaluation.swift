public import StrataCore
import StrataExecution

extension Filter {
    /// Evaluates the predicate on one row, row at a time (HAVING, and the reference evaluator).
    /// - Parameter value: the row's value of a column (by name); `nil` for an unknown column.
    /// - Returns: `true`, `false`, or `nil` for SQL's unknown.
    public func evaluate(_ value: (String) -> Value?) -> Bool? {
        switch self {
        case .compare(let c, let op, let literal):
            guard let v = value(c), let order = ValueOrder.compare(v, literal) else { return nil }
            return op.holds(order)
        case .in(let c, let list):
            // No value is in an empty list, not even NULL (SQLite's and PostgreSQL's `= ANY('{}')`).
            guard !list.isEmpty else { return false }
            guard let v = value(c), !v.isNull else { return nil }
            var sawNull = false
            for item in list {
                if let order = ValueOrder.compare(v, item) {
                    if order == 0 { return true }
                } else {
                    sawNull = true
                }
            }
            return sawNull ? nil : false
        case .like(let c, let pattern):
            guard case .string(let s)? = value(c) else { return nil }
            return LikePattern(pattern).matches(s)
        case .isNull(let c):
            return value(c)?.isNull ?? true
        case .and(let parts):
            var result: Bool? = true
            for p in parts {
                switch p.evaluate(value) {
                case false?: return false
                case nil: result = nil
                case true?: break
                }
            }
            return result
        case .or(let parts):
            var result: Bool? = false
            for p in parts {
                switch p.evaluate(value) {
                case true?: return true
                case nil: result = nil
                case false?: break
                }
            }
            return result
        case .not(let f):
            return f.evaluate(value).map { !$0 }
        }
    }
}
