import StrataCore
import StrataExecution
import StrataSQL

/// A SELECT with every clause bound: the planner's input.
struct BoundSelect {
    var source: SQLPlanner.Source
    var filter: BoundExpression?
    /// Whether the query aggregates (GROUP BY, HAVING or an aggregate call anywhere).
    var grouped: Bool
    var keys: [BoundExpression] = []
    /// How each key was written, for EXPLAIN.
    var keyTexts: [String] = []
    var aggregates: [AggregateCall] = []
    /// With GROUPING SETS, ROLLUP or CUBE: the keys (positions in ``keys``) of each grouping, one after another;
    /// the keys a set lacks are NULL in its rows. `nil` for one grouping by all keys.
    var groupingSets: [[Int]]?
    /// The `grouping(…)` calls: the keys (positions in ``keys``) each reads. The grouped row has their values
    /// after the aggregates.
    var groupingCalls: [[Int]] = []
    /// Over the grouped row (keys, then aggregates, then grouping calls).
    var having: BoundExpression?
    /// The select list (then any ORDER BY expressions not in it), over the grouped row or the input row.
    var outputs: [BoundExpression]
    var outputNames: [String]
    var hiddenCount: Int
    var isDistinct: Bool
    var order: [PlanNode.SortKey]
    var limit: Int?
    var offset: Int
    /// The window function calls, over the row the outputs read (input or grouped row); the outputs and
    /// ``qualify`` read call `j` at position `SQLPlanner.windowBase + j`.
    var windows: [BoundWindow] = []
    /// The `QUALIFY` condition, over the same row as the outputs.
    var qualify: BoundExpression?
}

extension SQLPlanner {
    /// Binds and plans a query.
    func plan(_ statement: SelectStatement, ctes outer: [Identifier: SelectStatement]) throws(StrataError)
        -> PlanNode
    {
        var ctes = outer
        for cte in statement.commonTableExpressions { ctes[cte.name] = cte.query }
        if !statement.setOperations.isEmpty { return try planSetOperations(statement, ctes: ctes) }
        if Self.hasSubqueries(statement) {
            let (rewritten, source) = try joiningSubqueries(
                statement, source: try bindSource(statement.from, ctes: ctes), ctes: ctes)
            return try makePlan(try bind(rewritten, ctes: ctes, source: source))
        }
        let bound = try bind(statement, ctes: ctes)
        return try makePlan(bound)
    }

    private struct Item {
        var expression: SQLExpression
        var name: String
        var alias: Identifier?
    }

    /// Binds every clause of `statement`; `source`, when given, is its FROM already bound (the rows of a set
    /// operation, which its ORDER BY and LIMIT read).
    func bind(
        _ statement: SelectStatement, ctes: [Identifier: SelectStatement], source bound: (Source, SQLScope)? = nil
    ) throws(StrataError) -> BoundSelect {
        let (from, scope): (Source, SQLScope)
        if let bound { (from, scope) = bound } else { (from, scope) = try bindSource(statement.from, ctes: ctes) }

        // The select list, with * expanded.
        var items: [Item] = []
        for item in statement.items {
            switch item {
            case .wildcard(let qualifier, let excluded, let replacements):
                guard !scope.columns.isEmpty else {
                    throw error(.binding, "SELECT * needs a FROM clause", at: statement.range)
                }
                let positions = try scope.starPositions(qualifier, source: source)
                let names = Set(positions.map { scope.columns[$0].name.lowercased() })
                for name in excluded.map(\.self) + replacements.map(\.column) where !names.contains(name.normalized) {
                    throw error(
                        .binding, "column '\(name.name)' in EXCLUDE or REPLACE is not one of the star's columns",
                        at: name.range)
                }
                if Set(excluded.map(\.normalized)).count >= names.count {
                    throw error(.binding, "SELECT * EXCLUDE leaves no columns", at: statement.range)
                }
                for position in positions {
                    let column = scope.columns[position]
                    let key = column.name.lowercased()
                    if excluded.contains(where: { $0.normalized == key }) { continue }
                    if let replacement = replacements.first(where: { $0.column.normalized == key }) {
                        items.append(
                            Item(expression: replacement.expression, name: column.name, alias: replacement.column))
                        continue
                    }
                    items.append(
                        Item(
                            expression: SQLExpression(.column(scope.reference(to: position, at: statement.range))),
                            name: column.name, alias: nil))
                }
            case .expression(let expression, let alias):
                let name: String
                if let alias {
                    name = alias.name
                } else if case .column(let reference) = expression.kind {
                    name = reference.column.name
                } else if case .parameter(let parameter) = expression.kind {
                    // DuckDB names a `?` column by its number.
                    name = parameter.position.map { "$\($0)" } ?? parameter.description
                } else if case .function(let call) = expression.kind, call.isStar, call.name.normalized == "count",
                    call.over == nil
                {
                    name = "count_star()"
                } else {
                    name = text(expression.range)
                }
                items.append(Item(expression: expression, name: name, alias: alias))
            }
        }

        let filter = try statement.whereClause.map { w throws(StrataError) in
            try expressions.requireBoolean(try bindInput(w, scope: scope, clause: "WHERE"), w, "WHERE")
        }

        let grouped =
            statement.groupBy != nil || statement.having != nil
            || items.contains { Self.containsAggregate($0.expression) }
            || statement.orderBy.contains { Self.containsAggregate($0.expression) }
            || (statement.qualify.map(Self.containsAggregate) ?? false)

        var result = BoundSelect(
            source: from, filter: filter, grouped: grouped, outputs: [], outputNames: items.map(\.name),
            hiddenCount: 0, isDistinct: statement.isDistinct, order: [], limit: nil, offset: 0)

        // GROUP BY: the key expressions, each with every way it was written.
        var keyASTs: [[SQLExpression]] = []
        if let groupBy = statement.groupBy {
            var written: [SQLExpression] = []
            // With grouping sets: each set's keys as positions in `written`.
            var writtenSets: [[Int]]?
            switch groupBy {
            case .all:
                written = items.map(\.expression).filter { !Self.containsAggregate($0) && !Self.containsWindow($0) }
            case .expressions(let list):
                for expression in list {
                    written.append(try groupKey(expression, items: items, scope: scope))
                }
            case .groupingSets(let elements):
                guard GroupingElement.setCount(of: elements) <= Self.maximumGroupingSets else {
                    throw error(
                        .limit, "GROUP BY lists more than \(Self.maximumGroupingSets) grouping sets",
                        at: statement.range)
                }
                writtenSets = try GroupingElement.expandedSets(of: elements).map { set throws(StrataError) in
                    try set.map { e throws(StrataError) in
                        let key = try groupKey(e, items: items, scope: scope)
                        if let i = written.firstIndex(of: key) { return i }
                        written.append(key)
                        return written.count - 1
                    }
                }
            }
            // Where each written key landed in `result.keys` (equal keys written twice are one).
            var keyOfWritten: [Int] = []
            for expression in written {
                let key = try bindInput(expression, scope: scope, clause: "GROUP BY")
                if key.type == .interval {
                    throw error(.type, "cannot group by an INTERVAL", at: expression.range)
                }
                if let existing = result.keys.firstIndex(of: key) {
                    keyASTs[existing].append(expression)
                    keyOfWritten.append(existing)
                } else {
                    keyOfWritten.append(result.keys.count)
                    result.keys.append(key)
                    result.keyTexts.append(
                        text(expression.range).isEmpty ? expression.description : text(expression.range))
                    keyASTs.append([expression])
                }
            }
            result.groupingSets = writtenSets.map { sets in
                sets.map { set in
                    var keys: [Int] = []
                    for k in set.map({ keyOfWritten[$0] }) where !keys.contains(k) { keys.append(k) }
                    return keys
                }
            }
        }

        // Expressions after grouping read keys and aggregates only.
        var aggregates: [AggregateCall] = []
        let keys = result.keys
        var windows: [BoundWindow] = []
        var groupingCalls: [[Int]] = []
        /// A window call, bound by `child` over the row the outputs read: a column past that row.
        func window(
            _ call: FunctionCall, _ e: SQLExpression, child: (SQLExpression) throws(StrataError) -> BoundExpression
        ) throws(StrataError) -> BoundExpression {
            let bound = try bindWindow(call, at: e, named: statement.windows, scope: scope, child: child)
            let j: Int
            if let existing = windows.firstIndex(of: bound) {
                j = existing
            } else {
                j = windows.count
                windows.append(bound)
            }
            return .column(Self.windowBase + j, bound.call.type, name: bound.call.text)
        }
        /// Binds a select item, QUALIFY or ORDER BY expression (window functions allowed), or with `clause` one
        /// of another clause after grouping (HAVING: none allowed).
        func bindOutput(_ e: SQLExpression, clause: String? = nil) throws(StrataError) -> BoundExpression {
            guard grouped else {
                return try bindInput(
                    e, scope: scope, clause: clause ?? "this clause",
                    window: clause == nil
                        ? { call, e throws(StrataError) in
                            try window(call, e) { a throws(StrataError) in
                                try self.bindInput(a, scope: scope, clause: "the argument of a window function")
                            }
                        } : nil)
            }
            func bind(_ e: SQLExpression) throws(StrataError) -> BoundExpression {
                if let k = keyASTs.firstIndex(where: { $0.contains(e) }) {
                    return .column(k, keys[k].type, name: keys[k].displayName(scope.columns))
                }
                switch e.kind {
                case .function(let call) where call.over != nil:
                    if let clause {
                        throw error(.binding, "window functions are not allowed in \(clause)", at: e.range)
                    }
                    return try window(call, e, child: bind)
                case .column(let reference):
                    let index = try scope.resolve(reference, source: source)
                    if let k = keys.firstIndex(where: { if case .column(index, _, _) = $0 { true } else { false } }) {
                        return .column(k, keys[k].type, name: scope.columns[index].name)
                    }
                    throw error(
                        .binding,
                        "column '\(reference.column.name)' must appear in the GROUP BY clause or be used in an "
                            + "aggregate function", at: e.range)
                case .function(let call) where call.over == nil && Self.isGroupingFunction(call):
                    let read = try groupingKeys(call, at: e)
                    let g: Int
                    if let existing = groupingCalls.firstIndex(of: read) {
                        g = existing
                    } else {
                        g = groupingCalls.count
                        groupingCalls.append(read)
                    }
                    return .column(Self.groupingBase + g, .bigint, name: text(e.range))
                case .function(let call) where Self.isAggregate(call):
                    let aggregate = try bindAggregate(call, at: e, scope: scope)
                    let j: Int
                    if let existing = aggregates.firstIndex(of: aggregate) {
                        j = existing
                    } else {
                        j = aggregates.count
                        aggregates.append(aggregate)
                    }
                    return .column(keys.count + j, aggregate.type, name: aggregate.text)
                case .function(let call):
                    return try expressions.fold(try expressions.bindScalarFunction(call, at: e, child: bind), at: e)
                default:
                    return try expressions.bind(e, child: bind)
                }
            }
            /// The keys a `grouping(…)` call reads, each argument a GROUP BY key as written there or a column.
            func groupingKeys(_ call: FunctionCall, at e: SQLExpression) throws(StrataError) -> [Int] {
                guard statement.groupBy != nil else {
                    throw error(.binding, "\(call.name.normalized)() needs a GROUP BY clause", at: e.range)
                }
                guard !call.isStar, !call.isDistinct, call.filter == nil, call.orderBy.isEmpty,
                    call.withinGroup == nil, !call.arguments.isEmpty, call.arguments.count <= 63
                else {
                    throw error(
                        .binding, "\(call.name.normalized)() takes 1 to 63 GROUP BY keys as its arguments",
                        at: e.range)
                }
                return try call.arguments.map { argument throws(StrataError) in
                    if let k = keyASTs.firstIndex(where: { $0.contains(argument) }) { return k }
                    if case .column(let reference) = argument.kind,
                        let index = try? scope.resolve(reference, source: source),
                        let k = keys.firstIndex(where: { if case .column(index, _, _) = $0 { true } else { false } })
                    {
                        return k
                    }
                    throw error(
                        .binding, "the argument of \(call.name.normalized)() must be a GROUP BY key",
                        at: argument.range)
                }
            }
            return try bind(e)
        }

        for item in items {
            let output = try bindOutput(item.expression)
            if output.type == .interval {
                throw error(.unsupported, "INTERVAL results are not supported", at: item.expression.range)
            }
            result.outputs.append(output)
        }
        if let having = statement.having {
            let substituted = substituteAliases(having, items: items, scope: scope)
            result.having = try expressions.requireBoolean(
                try bindOutput(substituted, clause: "HAVING"), having, "HAVING")
        }
        if let qualify = statement.qualify {
            let substituted = substituteAliases(qualify, items: items, scope: scope)
            result.qualify = try expressions.requireBoolean(try bindOutput(substituted), qualify, "QUALIFY")
        }

        // ORDER BY: an ordinal, an alias, a select-list expression, or another expression (hidden column).
        let orderBy = statement.orderBy.flatMap { item in
            guard item.isAll else { return [item] }
            return items.indices.map { i in
                OrderItem(
                    SQLExpression(.literal(.integer(Int64(i + 1))), range: item.expression.range),
                    direction: item.direction, nulls: item.nulls)
            }
        }
        for item in orderBy {
            var position: Int?
            if case .parameter = item.expression.kind {
                // As in DuckDB: whether a value would be a position or a constant key is not for a run to decide.
                throw error(.binding, "a parameter cannot be an ORDER BY key", at: item.expression.range)
            }
            if case .literal(.integer(let n)) = item.expression.kind {
                guard n >= 1, n <= items.count else {
                    throw error(
                        .binding, "ORDER BY position \(n) is not in the select list (1 to \(items.count))",
                        at: item.expression.range)
                }
                position = Int(n) - 1
            } else if case .column(let reference) = item.expression.kind, reference.table == nil,
                let i = items.firstIndex(where: { $0.alias == reference.column })
            {
                position = i
            } else if let i = items.firstIndex(where: { $0.expression == item.expression }) {
                position = i
            }
            if position == nil {
                let output = try bindOutput(item.expression)
                if let i = result.outputs.firstIndex(of: output) {
                    position = i
                } else {
                    if statement.isDistinct {
                        throw error(
                            .binding, "with SELECT DISTINCT, ORDER BY expressions must appear in the select list",
                            at: item.expression.range)
                    }
                    result.outputs.append(output)
                    result.hiddenCount += 1
                    position = result.outputs.count - 1
                }
            }
            result.order.append(
                PlanNode.SortKey(
                    column: position!, descending: item.direction == .descending, nullsFirst: item.nulls == .first))
        }
        // The grouping calls' values follow the aggregates in the grouped row.
        if !groupingCalls.isEmpty {
            let first = keys.count + aggregates.count
            let remap = { (c: Int) in
                c >= Self.groupingBase && c < Self.windowBase ? first + c - Self.groupingBase : c
            }
            result.outputs = result.outputs.map { $0.remapped(remap) }
            result.having = result.having?.remapped(remap)
            result.qualify = result.qualify?.remapped(remap)
            windows = windows.map { w in
                var copy = w
                copy.expressions = w.expressions.map { $0.remapped(remap) }
                return copy
            }
        }
        result.groupingCalls = groupingCalls
        result.aggregates = aggregates
        result.windows = windows
        if statement.qualify != nil, windows.isEmpty {
            throw error(.binding, "QUALIFY needs a window function in the query", at: statement.range)
        }
        result.limit = try constantCount(statement.limit, clause: "LIMIT")
        result.offset = try constantCount(statement.offset, clause: "OFFSET") ?? 0
        return result
    }

    /// A GROUP BY item: an ordinal or alias of the select list, or an expression over the input.
    private func groupKey(_ expression: SQLExpression, items: [Item], scope: SQLScope) throws(StrataError)
        -> SQLExpression
    {
        if case .parameter = expression.kind {
            throw error(.binding, "a parameter cannot be a GROUP BY key", at: expression.range)
        }
        if case .literal(.integer(let n)) = expression.kind {
            guard n >= 1, n <= items.count else {
                throw error(
                    .binding, "GROUP BY position \(n) is not in the select list (1 to \(items.count))",
                    at: expression.range)
            }
            let item = items[Int(n) - 1].expression
            if Self.containsAggregate(item) {
                throw error(.binding, "GROUP BY position \(n) refers to an aggregate", at: expression.range)
            }
            return item
        }
        if case .column(let reference) = expression.kind, reference.table == nil,
            !scope.columns.contains(where: { $0.name.lowercased() == reference.column.normalized }),
            let item = items.first(where: { $0.alias == reference.column })
        {
            return item.expression
        }
        return expression
    }

    /// HAVING may name select-list aliases that are not input columns (DuckDB allows it).
    private func substituteAliases(_ expression: SQLExpression, items: [Item], scope: SQLScope) -> SQLExpression {
        if case .column(let reference) = expression.kind, reference.table == nil,
            !scope.columns.contains(where: { $0.name.lowercased() == reference.column.normalized }),
            let item = items.first(where: { $0.alias == reference.column })
        {
            return item.expression
        }
        var copy = expression
        switch expression.kind {
        case .unary(let op, let x): copy.kind = .unary(op, substituteAliases(x, items: items, scope: scope))
        case .binary(let op, let a, let b):
            copy.kind = .binary(
                op, substituteAliases(a, items: items, scope: scope), substituteAliases(b, items: items, scope: scope))
        case .isNull(let x, let negated):
            copy.kind = .isNull(substituteAliases(x, items: items, scope: scope), negated: negated)
        default: break
        }
        return copy
    }

    private func constantCount(_ expression: SQLExpression?, clause: String) throws(StrataError) -> Int? {
        guard let expression else { return nil }
        let bound = try bindInput(expression, scope: .empty, clause: clause)
        guard case .constant(let value, _) = bound else {
            throw error(.binding, "\(clause) must be a constant", at: expression.range)
        }
        if value.isNull { return nil }
        guard case .int64(let n) = value, n >= 0 else {
            throw error(.type, "\(clause) must be a non-negative integer", at: expression.range)
        }
        return Int(clamping: n)
    }
}
