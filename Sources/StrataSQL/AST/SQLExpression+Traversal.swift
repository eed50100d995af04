extension SQLExpression {
    /// The direct subexpressions, in source order (a function's FILTER condition last).
    public var children: [SQLExpression] {
        switch kind {
        case .literal, .column:
            return []
        case .unary(_, let operand), .isNull(let operand, _), .cast(let operand, _):
            return [operand]
        case .binary(_, let left, let right):
            return [left, right]
        case .inList(let operand, let list, _):
            return [operand] + list
        case .between(let operand, let low, let high, _):
            return [operand, low, high]
        case .like(let operand, let pattern, _, _):
            return [operand, pattern]
        case .caseWhen(let expression):
            var result = expression.operand.map { [$0] } ?? []
            for branch in expression.branches {
                result.append(branch.condition)
                result.append(branch.result)
            }
            if let elseResult = expression.elseResult { result.append(elseResult) }
            return result
        case .function(let call):
            return call.arguments + (call.filter.map { [$0] } ?? [])
        }
    }

    /// Whether this expression or any expression inside it satisfies `predicate`, such as "is a call to
    /// an aggregate function". Visits parents before children; stops at the first match.
    /// - Complexity: O(n) in the number of nodes.
    public func contains(where predicate: (SQLExpression) throws -> Bool) rethrows -> Bool {
        if try predicate(self) { return true }
        for child in children where try child.contains(where: predicate) {
            return true
        }
        return false
    }
}
