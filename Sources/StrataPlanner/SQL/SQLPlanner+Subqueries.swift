import StrataCore
import StrataExecution
import StrataSQL

extension SQLPlanner {
    /// Whether an expression of the SELECT's own clauses holds a subquery.
    static func hasSubqueries(_ statement: SelectStatement) -> Bool {
        var expressions: [SQLExpression] = statement.items.compactMap { item in
            if case .expression(let e, _) = item { return e }
            return nil
        }
        expressions += [statement.whereClause, statement.having].compactMap { $0 }
        expressions += statement.orderBy.map(\.expression)
        if case .expressions(let keys)? = statement.groupBy { expressions += keys }
        if case .groupingSets(let elements)? = statement.groupBy { expressions += elements.flatMap(\.expressions) }
        return expressions.contains { $0.contains(where: isSubquery) }
    }

    /// The operands of a chain of ANDs (the expression itself when it is not one).
    static func andConjuncts(_ expression: SQLExpression) -> [SQLExpression] {
        if case .binary(.and, let a, let b) = expression.kind { return andConjuncts(a) + andConjuncts(b) }
        return [expression]
    }

    static func isSubquery(_ expression: SQLExpression) -> Bool {
        switch expression.kind {
        case .subquery, .inSubquery, .exists: true
        default: false
        }
    }

    /// The statement with its subqueries (uncorrelated, in the select list, WHERE, GROUP BY, HAVING and ORDER BY)
    /// turned into LEFT JOINs under its source, each adding columns only the rewritten expressions read (names
    /// starting with `#`, which `*` leaves out). Every join keeps the source's rows, one for one:
    /// - `(SELECT …)` as a value: the subquery, checked to give at most one row (NULL when none);
    /// - `EXISTS (SELECT …)`: its row count, compared with 0;
    /// - `x IN (SELECT y …)`: the distinct `y` with a TRUE mark, joined on `x = y`, and the counts of rows and of
    ///   non-NULL `y`, so that the answer follows SQL: TRUE on a match, FALSE for an empty subquery, NULL when `x`
    ///   is NULL or the subquery has a NULL and nothing matched, else FALSE.
    /// In a grouped query a subquery outside aggregate arguments is read through `min(…)` (one value per query).
    func joiningSubqueries(
        _ statement: SelectStatement, source: (Source, SQLScope), ctes: [Identifier: SelectStatement]
    ) throws(StrataError) -> (SelectStatement, (Source, SQLScope)) {
        var (plan, scope) = try relation(source.0, scope: source.1, at: statement.from?.range ?? statement.range)
        let outer = scope
        var count = 0
        let grouped =
            statement.groupBy != nil || statement.having != nil
            || statement.items.contains { item in
                if case .expression(let e, _) = item { return Self.containsAggregate(e) }
                return false
            }

        func reference(_ name: String, at range: SourceRange, afterGrouping: Bool) -> SQLExpression {
            let column = SQLExpression(
                .column(ColumnReference(column: Identifier(name, isQuoted: true, range: range))), range: range)
            guard afterGrouping else { return column }
            return SQLExpression(
                .function(FunctionCall(name: Identifier("min", range: range), arguments: [column])), range: range)
        }
        func join(
            _ right: PlanNode, names: [String], leftKeys: [BoundExpression] = [], rightKeys: [BoundExpression] = [],
            residual: [SQLExpression] = []
        ) throws(StrataError) {
            let columns = zip(right.columns, names).map { SQLScope.Column(name: $1, type: $0.type) }
            let renamed = PlanNode.project(
                right, right.columns.enumerated().map { i, c in .column(i, c.type, name: c.name) }, columns: columns)
            let joined = scope.joined(with: SQLScope(columns: columns, qualifiers: []))
            let condition = try Self.conjunction(residual, at: statement.range).map {
                (e: SQLExpression) throws(StrataError) in
                try bindInput(e, scope: joined, clause: "a correlated subquery")
            }
            plan = .join(
                JoinNode(
                    kind: .left, left: plan, right: renamed, leftKeys: leftKeys, rightKeys: rightKeys,
                    residual: condition))
            scope = joined
        }
        /// Joins a correlated subquery's groups to the rows they belong to; the names of its columns.
        func join(_ subquery: DecorrelatedSubquery, at range: SourceRange) throws(StrataError) -> [String] {
            let n = count
            count += 1
            let names = subquery.plan.columns.indices.map { "#correlated\(n)_\($0)" }
            var leftKeys: [BoundExpression] = []
            var rightKeys: [BoundExpression] = []
            var residual: [SQLExpression] = []
            for (i, written) in subquery.outer.enumerated() {
                let x = try bindInput(written, scope: outer, clause: "a correlated subquery")
                let column = subquery.plan.columns[i]
                if subquery.nullSafe[i] {
                    // x IS NOT DISTINCT FROM the group's value.
                    let y = reference(names[i], at: range, afterGrouping: false)
                    func isNull(_ e: SQLExpression) -> SQLExpression {
                        SQLExpression(.isNull(e, negated: false), range: range)
                    }
                    residual.append(
                        SQLExpression(
                            .binary(
                                .or, SQLExpression(.binary(.equal, written, y), range: range),
                                SQLExpression(.binary(.and, isNull(written), isNull(y)), range: range)), range: range))
                    continue
                }
                guard let (left, right) = Self.keyPair(x, .column(i, column.type, name: column.name)) else {
                    throw error(
                        .type, "cannot compare \(x.type) with \(column.type) in a correlated subquery",
                        at: written.range)
                }
                leftKeys.append(left)
                rightKeys.append(right)
            }
            try join(subquery.plan, names: names, leftKeys: leftKeys, rightKeys: rightKeys, residual: residual)
            return names
        }
        /// `body`, with a name it cannot resolve but the outer query has (a correlation the subquery reads
        /// outside its WHERE, or from a subquery of its own) reported as such.
        func correlationReported<T>(at range: SourceRange, _ body: () throws(StrataError) -> T) throws(StrataError) -> T
        {
            do {
                return try body()
            } catch {
                let outerNames = outer.columns.map(\.name) + outer.qualifiers
                if error.code == .binding,
                    let name = outerNames.first(where: { error.message.contains("named '\($0)'") })
                {
                    throw self.error(
                        .unsupported,
                        "this correlated subquery is not supported yet ('\(name)' belongs to the outer query): a "
                            + "subquery may read the outer query in conditions of its own WHERE; write a JOIN",
                        at: range)
                }
                throw error
            }
        }
        /// How `query` reads the outer query (``SQLPlanner/correlation(of:outer:ctes:)``), `nil` when it does not.
        func correlated(_ query: SelectStatement, at range: SourceRange) throws(StrataError) -> Correlation? {
            try correlationReported(at: range) { () throws(StrataError) in
                try correlation(of: query, outer: outer, ctes: ctes)
            }
        }
        /// A correlated subquery's groups (``SQLPlanner/decorrelated(_:_:values:extraKeys:outerStatement:ctes:)``)
        /// joined to the rows; the names of their columns.
        func joinDecorrelated(
            _ query: SelectStatement, _ correlation: Correlation, values: [SQLExpression],
            extraKeys: [(inner: SQLExpression, outer: SQLExpression)] = [], grouping: Bool = true,
            at range: SourceRange
        ) throws(StrataError) -> [String] {
            let groups = try correlationReported(at: range) { () throws(StrataError) in
                try decorrelated(
                    query, correlation, values: values, extraKeys: extraKeys, grouping: grouping,
                    outerStatement: statement, ctes: ctes)
            }
            return try join(groups, at: range)
        }
        func subquery(_ query: SelectStatement, at range: SourceRange, oneColumn: Bool = true) throws(StrataError)
            -> PlanNode
        {
            let planned = try correlationReported(at: range) { () throws(StrataError) in
                try self.plan(query, ctes: ctes)
            }
            guard planned.columns.count == 1 || !oneColumn else {
                throw self.error(
                    .binding, "a subquery used as a value must return one column, not \(planned.columns.count)",
                    at: range)
            }
            return planned
        }
        func literal(_ value: Literal, _ range: SourceRange) -> SQLExpression {
            SQLExpression(.literal(value), range: range)
        }
        func refuse(_ query: SelectStatement, at range: SourceRange, if refused: Bool, _ form: String)
            throws(StrataError)
        {
            if refused || query.limit != nil || query.offset != nil {
                throw error(
                    .unsupported,
                    "\(refused ? form : "a correlated subquery with LIMIT or OFFSET") is not supported yet; the "
                        + "correlated forms are EXISTS, aggregates as values and IN, over conditions of the subquery's "
                        + "WHERE", at: range)
            }
        }
        func isNotNull(_ e: SQLExpression) -> SQLExpression { SQLExpression(.isNull(e, negated: true), range: e.range) }
        /// `(SELECT aggregate FROM … WHERE correlated)`: the aggregate of the outer row's group, or (when the
        /// aggregate is not NULL over no rows, like count) its value over no rows where the row has no group.
        /// `(SELECT v FROM … WHERE correlated)`: the outer row's one row's `v`, NULL when it has none.
        func correlatedValue(
            _ query: SelectStatement, _ correlation: Correlation, at range: SourceRange, afterGrouping: Bool
        ) throws(StrataError) -> SQLExpression {
            guard query.items.count == 1, case .expression(let value, _) = query.items[0] else {
                throw error(.binding, "a correlated subquery used as a value must select one expression", at: range)
            }
            try refuse(
                query, at: range, if: query.groupBy != nil, "a correlated subquery used as a value with GROUP BY")
            // Without an aggregate, the one row of the outer row's values (NULL when none).
            let aggregating = Self.containsAggregate(value) || query.having != nil
            let names = try joinDecorrelated(query, correlation, values: [value], grouping: aggregating, at: range)
            let found = reference(names[names.count - 2], at: range, afterGrouping: afterGrouping)
            if !aggregating || Self.isNullWhenEmpty(value) { return found }
            var empty = query
            empty.whereClause = literal(.boolean(false), range)
            empty.orderBy = []
            let name = "#empty\(count)"
            count += 1
            try join(.atMostOneRow(try subquery(empty, at: range), perKey: 0), names: [name])
            let mark = reference(names[names.count - 1], at: range, afterGrouping: afterGrouping)
            return SQLExpression(
                .caseWhen(
                    CaseExpression(
                        branches: [.init(when: isNotNull(mark), then: found)],
                        elseResult: reference(name, at: range, afterGrouping: afterGrouping))), range: range)
        }
        /// `x IN (SELECT y FROM … WHERE correlated)`: a match is a group of the subquery with `y = x` added to its
        /// correlation; the row's group of the subquery as written counts its rows and non-NULL `y`s, for the
        /// same answer as the uncorrelated IN.
        func correlatedIn(
            _ operand: SQLExpression, _ query: SelectStatement, _ correlation: Correlation, at range: SourceRange,
            afterGrouping: Bool
        ) throws(StrataError) -> SQLExpression {
            guard query.items.count == 1, case .expression(let y, _) = query.items[0] else {
                throw error(.binding, "a correlated IN (SELECT …) must select one expression", at: range)
            }
            try refuse(
                query, at: range, if: query.groupBy != nil || query.having != nil || Self.containsAggregate(y),
                "IN over an aggregating correlated subquery")
            let matches = try joinDecorrelated(query, correlation, values: [], extraKeys: [(y, operand)], at: range)
            func call(_ name: String, _ arguments: [SQLExpression], star: Bool = false) -> SQLExpression {
                SQLExpression(
                    .function(FunctionCall(name: Identifier(name, range: range), arguments: arguments, isStar: star)),
                    range: range)
            }
            let counts = try joinDecorrelated(
                query, correlation, values: [call("count", [], star: true), call("count", [y])], at: range)
            // A row without a group has NULL counts: an empty subquery.
            return inAnswer(
                operand, match: reference(matches[matches.count - 1], at: range, afterGrouping: afterGrouping),
                rows: reference(counts[counts.count - 3], at: range, afterGrouping: afterGrouping),
                values: reference(counts[counts.count - 2], at: range, afterGrouping: afterGrouping), at: range)
        }
        /// `x IN (S)` from a mark of a match (TRUE or NULL) and the counts of S's rows (NULL: none) and non-NULL
        /// values: TRUE on a match, FALSE for an empty S, NULL when `x` is NULL or S has a NULL, else FALSE.
        func inAnswer(
            _ operand: SQLExpression, match: SQLExpression, rows: SQLExpression, values: SQLExpression,
            at range: SourceRange
        ) -> SQLExpression {
            func or(_ a: SQLExpression, _ b: SQLExpression) -> SQLExpression {
                SQLExpression(.binary(.or, a, b), range: range)
            }
            let empty = or(
                SQLExpression(.isNull(rows, negated: false), range: range),
                SQLExpression(.binary(.equal, rows, literal(.integer(0), range)), range: range))
            let unknown = or(
                SQLExpression(.isNull(operand, negated: false), range: range),
                SQLExpression(.binary(.less, values, rows), range: range))
            return SQLExpression(
                .caseWhen(
                    CaseExpression(
                        branches: [
                            .init(when: isNotNull(match), then: literal(.boolean(true), range)),
                            .init(when: empty, then: literal(.boolean(false), range)),
                            .init(when: unknown, then: literal(.null, range)),
                        ], elseResult: literal(.boolean(false), range))), range: range)
        }

        /// `x IN (SELECT y …)` (uncorrelated) planned: `x` and `y` as join keys of one type, the subquery's plan,
        /// and its distinct values of `y`.
        func inValues(_ operand: SQLExpression, _ query: SelectStatement, at range: SourceRange) throws(StrataError)
            -> (left: BoundExpression, right: BoundExpression, planned: PlanNode, distinct: PlanNode)
        {
            let x = try bindInput(operand, scope: outer, clause: "IN (SELECT …)")
            let planned = try subquery(query, at: range)
            let y = BoundExpression.column(0, planned.columns[0].type, name: planned.columns[0].name)
            guard let (left, right) = Self.keyPair(x, y) else {
                throw error(.type, "cannot compare \(x.type) with \(y.type) in IN (SELECT …)", at: operand.range)
            }
            return (left, right, planned, PlanNode.aggregate(planned, keys: [right], aggregates: []))
        }

        /// A WHERE conjunct `x IN (SELECT …)` (uncorrelated): WHERE keeps only TRUE, which is a match, so the
        /// join to the subquery's distinct values is all it needs (no counts for FALSE against NULL), and
        /// `IS NOT NULL` of the match lets the planner make the join an inner one (``filtered(_:by:)``).
        func whereIn(_ expression: SQLExpression) throws(StrataError) -> SQLExpression? {
            guard case .inSubquery(let operand, let query, false) = expression.kind,
                !Self.containsAggregate(operand), !operand.contains(where: Self.isSubquery),
                try correlated(query, at: expression.range) == nil
            else { return nil }
            let range = expression.range
            let (left, right, _, distinct) = try inValues(operand, query, at: range)
            let n = count
            count += 1
            try join(
                distinct, names: ["#in_value\(n)"], leftKeys: [left], rightKeys: [.column(0, right.type, name: "y")])
            return SQLExpression(
                .isNull(reference("#in_value\(n)", at: range, afterGrouping: false), negated: true), range: range)
        }

        /// A WHERE conjunct `[NOT] EXISTS (SELECT … FROM … WHERE …)` correlated by its WHERE, without grouping,
        /// aggregates or LIMIT: the outer rows go through a semi (anti) join with the subquery's rows under its
        /// own conditions, hashed on the `inner = outer` equalities, the other correlated conditions checked on
        /// each candidate pair (TPC-H Q21's `l2.l_suppkey <> l1.l_suppkey`), as DuckDB plans it — instead of
        /// grouping the subquery by the outer values. TRUE (nothing left to check) when it did; `nil` when the
        /// conjunct is not such.
        func whereExists(_ expression: SQLExpression) throws(StrataError) -> SQLExpression? {
            var negated = false
            var target = expression
            if case .unary(.not, let operand) = expression.kind {
                negated = true
                target = operand
            }
            guard case .exists(var query) = target.kind, query.groupBy == nil, query.having == nil,
                query.offset == nil, query.setOperations.isEmpty,
                !query.items.contains(where: {
                    if case .expression(let e, _) = $0 { Self.containsAggregate(e) } else { false }
                })
            else { return nil }
            // What it selects does not matter; `LIMIT n` (n > 0) keeps a row if there is one.
            if let limit = query.limit {
                guard case .literal(.integer(let n)) = limit.kind, n > 0 else { return nil }
                query.limit = nil
            }
            query.items = [.expression(SQLExpression(.literal(.integer(1)), range: target.range), alias: nil)]
            guard let correlation = try correlated(query, at: expression.range) else { return nil }
            let range = expression.range
            let n = count
            count += 1
            // The subquery's rows: its key sides, then each of its columns the other conditions read.
            var innerColumns: [ColumnReference] = []
            for conjunct in correlation.residual {
                for (reference, _) in Self.columnReferences(conjunct) where !correlation.isOuter(reference) {
                    if !innerColumns.contains(reference) { innerColumns.append(reference) }
                }
            }
            func name(_ text: String) -> Identifier { Identifier(text, isQuoted: true, range: range) }
            var rows = query
            rows.isDistinct = false
            rows.orderBy = []
            rows.items =
                correlation.keys.enumerated().map { i, key in .expression(key.inner, alias: name("#semi\(n)_k\(i)")) }
                + innerColumns.enumerated().map { i, c in
                    .expression(SQLExpression(.column(c), range: range), alias: name("#semi\(n)_c\(i)"))
                }
            rows.whereClause = Self.conjunction(correlation.local, at: range)
            let planned = try subquery(rows, at: range, oneColumn: false)
            var leftKeys: [BoundExpression] = []
            var rightKeys: [BoundExpression] = []
            for (i, key) in correlation.keys.enumerated() {
                let x = try bindInput(key.outer, scope: outer, clause: "a correlated subquery")
                let column = planned.columns[i]
                guard let (left, right) = Self.keyPair(x, .column(i, column.type, name: column.name)) else {
                    throw error(
                        .type, "cannot compare \(x.type) with \(column.type) in a correlated subquery",
                        at: key.outer.range)
                }
                leftKeys.append(left)
                rightKeys.append(right)
            }
            let names = planned.columns.indices.map { i in
                i < correlation.keys.count ? "#semi\(n)_k\(i)" : "#semi\(n)_c\(i - correlation.keys.count)"
            }
            let columns = zip(planned.columns, names).map { SQLScope.Column(name: $1, type: $0.type) }
            let renamed = PlanNode.project(
                planned, planned.columns.enumerated().map { i, c in .column(i, c.type, name: c.name) }, columns: columns
            )
            // The other conditions over the outer row's columns, then the subquery's (by their new names).
            let residual = correlation.residual.map { conjunct in
                Self.replacingColumns(conjunct) { reference in
                    guard !correlation.isOuter(reference), let i = innerColumns.firstIndex(of: reference) else {
                        return nil
                    }
                    return ColumnReference(column: name("#semi\(n)_c\(i)"))
                }
            }
            let joined = scope.joined(with: SQLScope(columns: columns, qualifiers: []))
            let condition = try Self.conjunction(residual, at: range).map { (e: SQLExpression) throws(StrataError) in
                try bindInput(e, scope: joined, clause: "a correlated subquery")
            }
            plan = .join(
                JoinNode(
                    kind: negated ? .anti : .semi, left: plan, right: renamed, leftKeys: leftKeys, rightKeys: rightKeys,
                    residual: condition))
            return SQLExpression(.literal(.boolean(true)), range: range)
        }

        func rewrite(_ expression: SQLExpression, afterGrouping: Bool) throws(StrataError) -> SQLExpression {
            let range = expression.range
            switch expression.kind {
            case .subquery(let query):
                if let correlation = try correlated(query, at: range) {
                    return try correlatedValue(query, correlation, at: range, afterGrouping: afterGrouping)
                }
                let planned = try subquery(query, at: range)
                let name = "#subquery\(count)"
                count += 1
                try join(.atMostOneRow(planned, perKey: 0), names: [name])
                return reference(name, at: range, afterGrouping: afterGrouping)
            case .exists(let query):
                // What an EXISTS subquery selects does not matter, unless it aggregates.
                let aggregating =
                    query.groupBy != nil || query.having != nil
                    || query.items.contains {
                        if case .expression(let e, _) = $0 { Self.containsAggregate(e) } else { false }
                    }
                var selectingOne = query
                if !aggregating { selectingOne.items = [.expression(literal(.integer(1), range), alias: nil)] }
                // `LIMIT 1` (any positive count, without OFFSET) keeps a row if there is one.
                if case .literal(.integer(let n))? = query.limit?.kind, n > 0, query.offset == nil {
                    selectingOne.limit = nil
                }
                if let correlation = try correlated(selectingOne, at: range) {
                    try refuse(selectingOne, at: range, if: aggregating, "an aggregating correlated EXISTS")
                    let names = try joinDecorrelated(selectingOne, correlation, values: [], at: range)
                    return SQLExpression(
                        .isNull(
                            reference(names[names.count - 1], at: range, afterGrouping: afterGrouping), negated: true),
                        range: range)
                }
                let planned = try subquery(selectingOne, at: range, oneColumn: false)
                let rows = PlanNode.aggregate(
                    planned, keys: [],
                    aggregates: [AggregateCall(function: .countStar, isDistinct: false, text: "count_star()")])
                let name = "#exists\(count)"
                count += 1
                try join(rows, names: [name])
                return SQLExpression(
                    .binary(
                        .greater, reference(name, at: range, afterGrouping: afterGrouping), literal(.integer(0), range)),
                    range: range)
            case .inSubquery(let operand, let query, let negated):
                if Self.containsAggregate(operand) || operand.contains(where: Self.isSubquery) {
                    throw error(
                        .unsupported, "IN (SELECT …) of an aggregate or a subquery is not supported yet",
                        at: operand.range)
                }
                if let correlation = try correlated(query, at: range) {
                    let answer = try correlatedIn(operand, query, correlation, at: range, afterGrouping: afterGrouping)
                    return negated ? SQLExpression(.unary(.not, answer), range: range) : answer
                }
                let (left, right, planned, distinct) = try inValues(operand, query, at: range)
                let y = BoundExpression.column(0, planned.columns[0].type, name: planned.columns[0].name)
                let marked = PlanNode.project(
                    distinct, [.column(0, right.type, name: "y"), .constant(.bool(true), .boolean)],
                    columns: [SQLScope.Column(name: "y", type: right.type), SQLScope.Column(name: "m", type: .boolean)])
                let n = count
                count += 1
                try join(
                    marked, names: ["#in_value\(n)", "#in_match\(n)"], leftKeys: [left],
                    rightKeys: [.column(0, right.type, name: "y")])
                let counts = PlanNode.aggregate(
                    planned, keys: [],
                    aggregates: [
                        AggregateCall(function: .countStar, isDistinct: false, text: "count_star()"),
                        AggregateCall(function: .count, argument: y, isDistinct: false, text: "count(y)"),
                    ])
                try join(counts, names: ["#in_rows\(n)", "#in_values\(n)"])
                let answer = inAnswer(
                    operand, match: reference("#in_match\(n)", at: range, afterGrouping: afterGrouping),
                    rows: reference("#in_rows\(n)", at: range, afterGrouping: afterGrouping),
                    values: reference("#in_values\(n)", at: range, afterGrouping: afterGrouping), at: range)
                return negated ? SQLExpression(.unary(.not, answer), range: range) : answer
            case .function(let call) where Self.isAggregate(call):
                // An aggregate's arguments are read per input row.
                let children = try expression.children.map { (e: SQLExpression) throws(StrataError) in
                    try rewrite(e, afterGrouping: false)
                }
                return expression.replacingChildren(children)
            default:
                guard expression.contains(where: Self.isSubquery) else { return expression }
                let children = try expression.children.map { (e: SQLExpression) throws(StrataError) in
                    try rewrite(e, afterGrouping: afterGrouping)
                }
                return expression.replacingChildren(children)
            }
        }

        // Select items that are group keys (GROUP BY ALL, an ordinal, the same expression) are read per row, and
        // an expression written both in GROUP BY and in the list is rewritten once, so the two stay equal.
        var keyItems = Set<Int>()
        var rewrittenKeys: [SQLExpression: SQLExpression] = [:]
        var rewritten = statement
        switch statement.groupBy {
        case .all?:
            for (i, item) in statement.items.enumerated() {
                if case .expression(let e, _) = item, !Self.containsAggregate(e) { keyItems.insert(i) }
            }
        case .expressions(let keys)?:
            var written: [SQLExpression] = []
            for key in keys {
                if case .literal(.integer(let n)) = key.kind, n >= 1, n <= statement.items.count {
                    keyItems.insert(Int(n) - 1)
                    written.append(key)
                    continue
                }
                let new = try rewrite(key, afterGrouping: false)
                rewrittenKeys[key] = new
                written.append(new)
            }
            rewritten.groupBy = .expressions(written)
        case .groupingSets(let elements)?:
            // Keys without subqueries stay as written (the rewrite leaves such expressions alone).
            if let key = elements.flatMap(\.expressions).first(where: { $0.contains(where: Self.isSubquery) }) {
                throw error(.unsupported, "a subquery in a grouping set's key is not supported", at: key.range)
            }
        case nil:
            break
        }
        rewritten.items = try statement.items.enumerated().map { (i, item) throws(StrataError) -> SelectItem in
            guard case .expression(let e, let alias) = item else { return item }
            // An item that was a bare subquery keeps its text as its name.
            let name = alias ?? (Self.isSubquery(e) ? Identifier(text(e.range), isQuoted: true, range: e.range) : nil)
            if let key = rewrittenKeys[e] { return .expression(key, alias: name) }
            let afterGrouping = grouped && !keyItems.contains(i)
            return .expression(try rewrite(e, afterGrouping: afterGrouping), alias: name)
        }
        rewritten.whereClause = try statement.whereClause.map { (e: SQLExpression) throws(StrataError) in
            var parts: [SQLExpression] = []
            for conjunct in Self.andConjuncts(e) {
                if let semi = try whereIn(conjunct) {
                    parts.append(semi)
                } else if let checked = try whereExists(conjunct) {
                    parts.append(checked)
                } else {
                    parts.append(try rewrite(conjunct, afterGrouping: false))
                }
            }
            return parts.dropFirst().reduce(parts[0]) { SQLExpression(.binary(.and, $0, $1), range: e.range) }
        }
        rewritten.having = try statement.having.map { (e: SQLExpression) throws(StrataError) in
            try rewrite(e, afterGrouping: true)
        }
        rewritten.orderBy = try statement.orderBy.map { (item: OrderItem) throws(StrataError) -> OrderItem in
            var copy = item
            copy.expression = try rewrite(item.expression, afterGrouping: grouped)
            return copy
        }
        return (rewritten, (.relation(plan), scope))
    }
}
