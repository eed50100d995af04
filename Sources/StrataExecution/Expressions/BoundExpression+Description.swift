import Foundation
package import StrataCore

extension BoundExpression {
    /// The expression as SQL-like text for plans.
    package var explainText: String {
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
            case .text(.concatenate): "(\(arguments.map(\.explainText).joined(separator: " || ")))"
            default: "\(f.name)(\(arguments.map(\.explainText).joined(separator: ", ")))"
            }
        }
    }

    package static func literalText(_ value: Value, _ type: SQLValueType) -> String {
        switch value {
        case .null: "NULL"
        case .string(let s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .timestamp: "\(type) '\(SQLEvaluation.text(value, type: type))'"
        default: SQLEvaluation.text(value, type: type)
        }
    }
}
