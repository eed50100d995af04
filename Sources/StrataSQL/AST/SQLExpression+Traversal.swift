extension SQLExpression {
    /// The direct subexpressions, in source order (a function's FILTER condition, then its window's PARTITION BY
    /// and ORDER BY expressions, last).
    public var children: [SQLExpression] {
        switch kind {
        case .literal, .column, .subquery, .exists, .parameter:
            return []
        case .unary(_, let operand), .isNull(let operand, _), .cast(let operand, _), .inSubquery(let operand, _, _):
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
            return call.arguments + call.orderBy.map(\.expression) + (call.withinGroup?.map(\.expression) ?? [])
                + (call.filter.map { [$0] } ?? []) + (call.over?.partitionBy ?? [])
                + (call.over?.orderBy.map(\.expression) ?? [])
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

extension SQLExpression {
    /// The expression with its direct subexpressions replaced by `children`, given in ``children``'s order
    /// (and count); the range stays.
    public func replacingChildren(_ children: [SQLExpression]) -> SQLExpression {
        var next = children.makeIterator()
        func take(_ old: SQLExpression) -> SQLExpression { next.next() ?? old }
        var copy = self
        switch kind {
        case .literal, .column, .subquery, .exists, .parameter:
            return self
        case .unary(let op, let operand): copy.kind = .unary(op, take(operand))
        case .isNull(let operand, let negated): copy.kind = .isNull(take(operand), negated: negated)
        case .cast(let operand, let type): copy.kind = .cast(take(operand), type)
        case .inSubquery(let operand, let query, let negated):
            copy.kind = .inSubquery(take(operand), query, negated: negated)
        case .binary(let op, let left, let right):
            let l = take(left)
            copy.kind = .binary(op, l, take(right))
        case .inList(let operand, let list, let negated):
            let o = take(operand)
            copy.kind = .inList(o, list.map(take), negated: negated)
        case .between(let operand, let low, let high, let negated):
            let o = take(operand)
            let l = take(low)
            copy.kind = .between(o, low: l, high: take(high), negated: negated)
        case .like(let operand, let pattern, let negated, let caseInsensitive):
            let o = take(operand)
            copy.kind = .like(o, pattern: take(pattern), negated: negated, caseInsensitive: caseInsensitive)
        case .caseWhen(var expression):
            expression.operand = expression.operand.map(take)
            expression.branches = expression.branches.map { branch in
                let condition = take(branch.condition)
                return CaseExpression.Branch(when: condition, then: take(branch.result))
            }
            expression.elseResult = expression.elseResult.map(take)
            copy.kind = .caseWhen(expression)
        case .function(var call):
            call.arguments = call.arguments.map(take)
            func takeItem(_ item: OrderItem) -> OrderItem {
                var copy = item
                copy.expression = take(item.expression)
                return copy
            }
            call.orderBy = call.orderBy.map(takeItem)
            call.withinGroup = call.withinGroup?.map(takeItem)
            call.filter = call.filter.map(take)
            if var over = call.over {
                over.partitionBy = over.partitionBy.map(take)
                over.orderBy = over.orderBy.map { item in
                    var copy = item
                    copy.expression = take(item.expression)
                    return copy
                }
                call.over = over
            }
            copy.kind = .function(call)
        }
        return copy
    }
}
