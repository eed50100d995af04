import StrataCore
import StrataExecution

extension Filter {
    /// The filter as SQL-like text for plans.
    var explainText: String { explainText { $0 } }

    /// The filter as text, with column names passed through `rename`.
    func explainText(rename: (String) -> String) -> String {
        func literal(_ value: Value) -> String {
            if case .timestamp = value { return BoundExpression.literalText(value, .timestamp) }
            return BoundExpression.literalText(value, .varchar)
        }
        switch self {
        case .compare(let c, let op, let value): return "\(rename(c)) \(op.rawValue) \(literal(value))"
        case .in(let c, let list): return "\(rename(c)) IN (\(list.map(literal).joined(separator: ", ")))"
        case .like(let c, let pattern): return "\(rename(c)) LIKE \(literal(.string(pattern)))"
        case .isNull(let c): return "\(rename(c)) IS NULL"
        case .and(let parts): return parts.map { "(\($0.explainText(rename: rename)))" }.joined(separator: " AND ")
        case .or(let parts): return parts.map { "(\($0.explainText(rename: rename)))" }.joined(separator: " OR ")
        case .not(let inner): return "NOT (\(inner.explainText(rename: rename)))"
        }
    }
}
