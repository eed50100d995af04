import Foundation
import StrataCore

extension BoundExpression {
    /// The expression as SQL-like text for plans.
    var explainText: String {
        switch self {
        case .constant(let value, let type): Self.literalText(value, type)
        case .intervalConstant(let interval): "INTERVAL '\(interval)'"
        case .column(_, _, let name): name
        case .not(let x): "NOT (\(x.explainText))"
        case .negate(let x): "-(\(x.explainText))"
        case .and(let parts): parts.map { "(\($0.explainText))" }.joined(separator: " AND ")
        case .or(let parts): parts.map { "(\($0.explainText))" }.joined(separator: " OR ")
        case .compare(let op, let a, let b): "\(a.explainText) \(op.rawValue) \(b.explainText)"
        case .arithmetic(let op, let a, let b, _): "(\(a.explainText) \(op.rawValue) \(b.explainText))"
        case .concat(let a, let b): "(\(a.explainText) || \(b.explainText))"
        case .addInterval(let x, let interval): "(\(x.explainText) + INTERVAL '\(interval)')"
        case .isNull(let x, let negated): "\(x.explainText) IS \(negated ? "NOT " : "")NULL"
        case .inList(let x, let list, let negated):
            "\(x.explainText) \(negated ? "NOT " : "")IN (\(list.map(\.explainText).joined(separator: ", ")))"
        case .like(let x, let pattern, let negated, let ci):
            "\(x.explainText) \(negated ? "NOT " : "")\(ci ? "ILIKE" : "LIKE") \(pattern.explainText)"
        case .caseWhen(let branches, let elseResult, _):
            "CASE"
                + branches.map { " WHEN \($0.condition.explainText) THEN \($0.result.explainText)" }.joined()
                + (elseResult.map { " ELSE \($0.explainText)" } ?? "") + " END"
        case .cast(let x, let type): "CAST(\(x.explainText) AS \(type))"
        case .function(let f, let arguments, _):
            switch f {
            case .dateTrunc(let unit): "date_trunc('\(unit.rawValue)', \(arguments[0].explainText))"
            case .timeBucket(let width): "time_bucket(INTERVAL '\(width)', \(arguments[0].explainText))"
            case .datePart(let part): "date_part('\(part.rawValue)', \(arguments[0].explainText))"
            default: "\(f.name)(\(arguments.map(\.explainText).joined(separator: ", ")))"
            }
        }
    }

    static func literalText(_ value: Value, _ type: SQLValueType) -> String {
        switch value {
        case .null: "NULL"
        case .string(let s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .timestamp: "\(type) '\(SQLEvaluation.text(value, type: type))'"
        default: SQLEvaluation.text(value, type: type)
        }
    }
}

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
