import StrataCore
import StrataExecution
import StrataSQL

extension SQLPlanner {
    /// `q1 UNION [ALL] q2 INTERSECT q3 EXCEPT q4 … [ORDER BY …] [LIMIT …]`: INTERSECT binds tighter than UNION
    /// and EXCEPT, which go left to right (as in DuckDB); the ORDER BY and LIMIT read the combined rows, whose
    /// columns have the first query's names.
    func planSetOperations(_ statement: SelectStatement, ctes: [Identifier: SelectStatement]) throws(StrataError)
        -> PlanNode
    {
        var first = statement
        first.commonTableExpressions = []
        first.setOperations = []
        first.orderBy = []
        first.limit = nil
        first.offset = nil
        var terms = [try plan(first, ctes: ctes)]
        for operation in statement.setOperations { terms.append(try plan(operation.query, ctes: ctes)) }
        // INTERSECT first, then UNION and EXCEPT left to right.
        var operands = [terms[0]]
        var operations: [SetOperation] = []
        for (i, operation) in statement.setOperations.enumerated() {
            if operation.kind == .intersect {
                operands[operands.count - 1] = try combine(operands[operands.count - 1], terms[i + 1], operation)
            } else {
                operands.append(terms[i + 1])
                operations.append(operation)
            }
        }
        var combined = operands[0]
        for (i, operation) in operations.enumerated() { combined = try combine(combined, operands[i + 1], operation) }

        var outer = SelectStatement(items: [.wildcard(qualifier: nil)], range: statement.range)
        outer.orderBy = statement.orderBy
        outer.limit = statement.limit
        outer.offset = statement.offset
        let bound = try bind(
            outer, ctes: ctes, source: (.relation(combined), SQLScope(columns: combined.columns, qualifiers: [])))
        return try makePlan(bound)
    }

    /// `left <operation> right`, rows matched by position.
    private func combine(_ left: PlanNode, _ right: PlanNode, _ operation: SetOperation) throws(StrataError)
        -> PlanNode
    {
        let name = operation.kind.rawValue.uppercased()
        guard left.columns.count == right.columns.count else {
            throw error(
                .binding,
                "each side of \(name) must have the same number of columns (\(left.columns.count) and "
                    + "\(right.columns.count))", at: operation.range)
        }
        // Each column's type is the one both sides convert to; its name the left side's.
        var columns: [SQLScope.Column] = []
        for (i, (a, b)) in zip(left.columns, right.columns).enumerated() {
            guard let type = SQLValueType.common(a.type, b.type) else {
                throw error(.type, "\(name) cannot combine \(a.type) and \(b.type) (column \(i + 1))", at: operation.range)
            }
            columns.append(SQLScope.Column(name: a.name, type: type == .null ? .varchar : type))
        }
        let n = columns.count
        func cast(_ input: PlanNode, tag: Int64?) -> PlanNode {
            var expressions: [BoundExpression] = input.columns.enumerated().map { i, column in
                let read = BoundExpression.column(i, column.type, name: column.name)
                return column.type == columns[i].type ? read : .cast(read, columns[i].type)
            }
            var output = columns
            if let tag {
                expressions.append(.constant(.int64(tag), .bigint))
                output.append(SQLScope.Column(name: "#side", type: .bigint))
            } else if zip(input.columns, columns).allSatisfy({ $0.type == $1.type && $0.name == $1.name }) {
                return input
            }
            return .project(input, expressions, columns: output)
        }
        let keys = columns.enumerated().map { i, c in BoundExpression.column(i, c.type, name: c.name) }
        switch operation.kind {
        case .union:
            var inputs: [PlanNode] = []
            for side in [cast(left, tag: nil), cast(right, tag: nil)] {
                if case .unionAll(let nested) = side { inputs += nested } else { inputs.append(side) }
            }
            let all = PlanNode.unionAll(inputs)
            return operation.all ? all : .aggregate(all, keys: keys, aggregates: [])
        case .intersect, .except:
            guard !operation.all else {
                throw error(.unsupported, "\(name) ALL is not supported yet; \(name) (without ALL) is", at: operation.range)
            }
            // Which sides each distinct row came from: the smallest and largest side tag of its group.
            let side = BoundExpression.column(n, .bigint, name: "#side")
            let tagged = PlanNode.unionAll([cast(left, tag: 0), cast(right, tag: 1)])
            let aggregates = [
                AggregateCall(function: .min, argument: side, isDistinct: false, text: "min(#side)"),
                AggregateCall(function: .max, argument: side, isDistinct: false, text: "max(#side)"),
            ]
            let grouped = PlanNode.aggregate(tagged, keys: keys, aggregates: aggregates)
            let lowest = BoundExpression.column(n, .bigint, name: "min(#side)")
            let highest = BoundExpression.column(n + 1, .bigint, name: "max(#side)")
            let zero = BoundExpression.constant(.int64(0), .bigint)
            let one = BoundExpression.constant(.int64(1), .bigint)
            let keep: BoundExpression =
                operation.kind == .intersect
                ? .and([.compare(.equal, lowest, zero), .compare(.equal, highest, one)])
                : .compare(.equal, highest, zero)
            return .project(.filter(grouped, keep), keys, columns: columns)
        }
    }
}
