extension SQLExpression: CustomStringConvertible {
    /// The expression as canonical SQL: keywords upper case, names as written, single spaces around
    /// operators, `CAST(x AS T)` for every cast, and only the parentheses that precedence needs.
    /// Parsing the text again gives an equal expression.
    public var description: String {
        switch kind {
        case .literal(let literal):
            return literal.description
        case .column(let column):
            return column.description
        case .unary(.not, let operand):
            return "NOT " + operand.parenthesized(if: operand.precedence < .not)
        case .unary(.negate, let operand):
            return "-" + operand.parenthesized(if: operand.precedence <= .negate || operand.isNegativeNumber)
        case .binary(let op, let left, let right):
            // Left-associative, except comparisons, which do not associate at all.
            let precedence = op.precedence
            let leftNeeds = op.isComparison ? left.precedence <= precedence : left.precedence < precedence
            return left.parenthesized(if: leftNeeds) + " \(op) "
                + right.parenthesized(if: right.precedence <= precedence)
        case .isNull(let operand, let negated):
            return operand.parenthesized(if: operand.precedence < .isNull) + (negated ? " IS NOT NULL" : " IS NULL")
        case .inList(let operand, let list, let negated):
            return operand.parenthesized(if: operand.precedence <= .predicate) + (negated ? " NOT IN (" : " IN (")
                + list.map(\.description).joined(separator: ", ") + ")"
        case .between(let operand, let low, let high, let negated):
            return operand.parenthesized(if: operand.precedence <= .predicate)
                + (negated ? " NOT BETWEEN " : " BETWEEN ") + low.parenthesized(if: low.precedence <= .predicate)
                + " AND " + high.parenthesized(if: high.precedence <= .predicate)
        case .like(let operand, let pattern, let negated, let caseInsensitive):
            let keyword = (negated ? " NOT " : " ") + (caseInsensitive ? "ILIKE " : "LIKE ")
            return operand.parenthesized(if: operand.precedence <= .predicate) + keyword
                + pattern.parenthesized(if: pattern.precedence <= .predicate)
        case .caseWhen(let expression):
            return expression.description
        case .cast(let operand, let type):
            return "CAST(\(operand) AS \(type))"
        case .function(let call):
            // The parser's `TRY_CAST(x AS type)`, written back as such.
            if call.name.normalized == "try_cast", call.arguments.count == 1,
                case .cast(let operand, let type) = call.arguments[0].kind
            {
                return "TRY_CAST(\(operand) AS \(type))"
            }
            return call.description
        case .subquery(let query):
            return "(\(query))"
        case .inSubquery(let operand, let query, let negated):
            return operand.parenthesized(if: operand.precedence <= .predicate) + (negated ? " NOT IN (" : " IN (")
                + query.description + ")"
        case .exists(let query):
            return "EXISTS (\(query))"
        case .parameter(let parameter):
            return parameter.description
        }
    }

    /// How tightly the expression's outermost operator binds; atoms bind tightest.
    var precedence: Precedence {
        switch kind {
        case .unary(.not, _): .not
        case .unary(.negate, _): .negate
        case .binary(let op, _, _): op.precedence
        case .isNull: .isNull
        case .inList, .between, .like, .inSubquery: .predicate
        case .literal, .column, .caseWhen, .cast, .function, .subquery, .exists, .parameter: .postfix
        }
    }

    private var isNegativeNumber: Bool {
        switch kind {
        case .literal(.integer(let value)): value < 0
        case .literal(.decimal(let text)): text.hasPrefix("-")
        default: false
        }
    }

    private func parenthesized(if needed: Bool) -> String {
        needed ? "(\(self))" : description
    }
}

extension CaseExpression: CustomStringConvertible {
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    public var description: String {
        var text = "CASE"
        if let operand { text += " \(operand)" }
        for branch in branches {
            text += " WHEN \(branch.condition) THEN \(branch.result)"
        }
        if let elseResult { text += " ELSE \(elseResult)" }
        return text + " END"
    }
}

extension FunctionCall: CustomStringConvertible {
    /// `name([DISTINCT] arguments) [FILTER (WHERE condition)]`, or `name(*)`.
    public var description: String {
        var text = "\(name)("
        if isDistinct { text += "DISTINCT " }
        text += isStar ? "*" : arguments.map(\.description).joined(separator: ", ")
        if !orderBy.isEmpty { text += " ORDER BY " + orderBy.map(\.description).joined(separator: ", ") }
        if let ignoresNulls { text += ignoresNulls ? " IGNORE NULLS" : " RESPECT NULLS" }
        text += ")"
        if let withinGroup {
            text += " WITHIN GROUP (ORDER BY " + withinGroup.map(\.description).joined(separator: ", ") + ")"
        }
        if let filter { text += " FILTER (WHERE \(filter))" }
        if let over { text += " OVER \(over)" }
        return text
    }
}
