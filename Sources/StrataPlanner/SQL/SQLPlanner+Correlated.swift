import StrataCore
import StrataExecution
import StrataSQL
import StrataStorage

/// A correlated subquery's WHERE, split by what each conjunct reads.
struct Correlation {
    /// `inner = outer` conjuncts: `inner` reads only the subquery's columns, `outer` only the outer query's.
    var keys: [(inner: SQLExpression, outer: SQLExpression)]
    /// The other conjuncts that read the outer query (`l2.l_suppkey <> l1.l_suppkey`).
    var residual: [SQLExpression]
    /// The conjuncts that read only the subquery's own columns.
    var local: [SQLExpression]
    /// Whether a column reference in the subquery names the outer query's column.
    var isOuter: (ColumnReference) -> Bool
}

/// A correlated subquery as a relation of its own (``SQLPlanner/decorrelated(_:_:values:extraKeys:outerStatement:ctes:)``).
struct DecorrelatedSubquery {
    /// One row per value of the outer query's expressions it reads: those values (the first `outer.count`
    /// columns), then the subquery's `values` over its rows for them, then TRUE (a mark: NULL where a LEFT
    /// JOIN found no row).
    var plan: PlanNode
    /// The outer query's expressions, as written there, that the leading columns join with.
    var outer: [SQLExpression]
    /// Which of them a row may have as NULL and still match (a NULL-safe comparison, not a hash key).
    var nullSafe: [Bool]
}

extension SQLPlanner {
    /// The conjuncts of an AND as written.
    static func writtenConjuncts(_ expression: SQLExpression) -> [SQLExpression] {
        if case .binary(.and, let left, let right) = expression.kind {
            return writtenConjuncts(left) + writtenConjuncts(right)
        }
        return [expression]
    }

    /// `a AND b AND …` of the parts, `nil` for none.
    static func conjunction(_ parts: [SQLExpression], at range: SourceRange) -> SQLExpression? {
        parts.dropFirst().reduce(parts.first) { all, part in
            all.map { SQLExpression(.binary(.and, $0, part), range: range) }
        }
    }

    /// The column references of an expression (not those inside its subqueries).
    static func columnReferences(_ expression: SQLExpression) -> [(ColumnReference, SourceRange)] {
        var references: [(ColumnReference, SourceRange)] = []
        _ = expression.contains { node in
            if case .column(let reference) = node.kind { references.append((reference, node.range)) }
            return false
        }
        return references
    }

    /// The expression with the column references `replacement` gives a new one for replaced.
    static func replacingColumns(_ expression: SQLExpression, _ replacement: (ColumnReference) -> ColumnReference?)
        -> SQLExpression
    {
        if case .column(let reference) = expression.kind, let new = replacement(reference) {
            return SQLExpression(.column(new), range: expression.range)
        }
        guard !expression.children.isEmpty else { return expression }
        return expression.replacingChildren(expression.children.map { replacingColumns($0, replacement) })
    }

    /// How a subquery reads the outer query (whose FROM has `outer` as scope), or `nil` when it does not.
    /// A name is the outer query's when the subquery's FROM has no column (or qualifier) of that name and the
    /// outer one has. Only WHERE conjuncts may read the outer query.
    func correlation(of query: SelectStatement, outer: SQLScope, ctes: [Identifier: SelectStatement])
        throws(StrataError) -> Correlation?
    {
        guard query.setOperations.isEmpty, !outer.columns.isEmpty else { return nil }
        var ctes = ctes
        for cte in query.commonTableExpressions { ctes[cte.name] = cte.query }
        let inner = try bindSource(query.from, ctes: ctes).1
        func names(_ scope: SQLScope) -> Set<String> {
            Set(scope.columns.indices.filter { !scope.hidden.contains($0) }.map { scope.columns[$0].name.lowercased() })
        }
        let (innerNames, outerNames) = (names(inner), names(outer))
        let innerQualifiers = Set(inner.qualifiers.map { $0.lowercased() })
        let outerQualifiers = Set(outer.qualifiers.map { $0.lowercased() })
        let isOuter = { (reference: ColumnReference) -> Bool in
            if let table = reference.table {
                return !innerQualifiers.contains(table.normalized) && outerQualifiers.contains(table.normalized)
            }
            return !innerNames.contains(reference.column.normalized) && outerNames.contains(reference.column.normalized)
        }

        var elsewhere: [SQLExpression] = query.items.compactMap { item in
            if case .expression(let e, _) = item { return e }
            return nil
        }
        elsewhere += [query.having, query.limit, query.offset].compactMap { $0 } + query.orderBy.map(\.expression)
        if case .expressions(let keys)? = query.groupBy { elsewhere += keys }
        if case .groupingSets(let elements)? = query.groupBy { elsewhere += elements.flatMap(\.expressions) }
        if let (reference, range) = elsewhere.flatMap(Self.columnReferences).first(where: { isOuter($0.0) }) {
            throw error(
                .unsupported,
                "a correlated subquery may read the outer query only in its WHERE ('\(reference)' is the outer "
                    + "query's); not supported yet", at: range)
        }

        var correlation = Correlation(keys: [], residual: [], local: [], isOuter: isOuter)
        for conjunct in query.whereClause.map(Self.writtenConjuncts) ?? [] {
            let references = Self.columnReferences(conjunct).map(\.0)
            guard references.contains(where: isOuter) else {
                correlation.local.append(conjunct)
                continue
            }
            if conjunct.contains(where: Self.isSubquery) {
                throw error(
                    .unsupported, "a condition reading both the outer query and another subquery is not supported yet",
                    at: conjunct.range)
            }
            // `inner = outer` with each side reading one query only: a join key.
            func readsOnly(_ e: SQLExpression, outer: Bool) -> Bool {
                let references = Self.columnReferences(e).map(\.0)
                return !references.isEmpty && references.allSatisfy { isOuter($0) == outer }
            }
            if case .binary(.equal, let a, let b) = conjunct.kind {
                if readsOnly(a, outer: false), readsOnly(b, outer: true) {
                    correlation.keys.append((a, b))
                    continue
                }
                if readsOnly(b, outer: false), readsOnly(a, outer: true) {
                    correlation.keys.append((b, a))
                    continue
                }
            }
            correlation.residual.append(conjunct)
        }
        return correlation.keys.isEmpty && correlation.residual.isEmpty ? nil : correlation
    }

    /// A correlated subquery unnested into a grouping (after Neumann and Kemper, "Unnesting Arbitrary Queries"):
    /// - With only `inner = outer` correlations it is grouped by the inner sides: `SELECT k, values, TRUE FROM …
    ///   WHERE local GROUP BY k`, which the outer rows join on their outer sides (a NULL never matches, as in the
    ///   subquery).
    /// - Other conditions need the outer values themselves: the distinct values of the keys' outer sides and of
    ///   the outer columns the other conditions read (the domain, from the outer FROM and its WHERE conjuncts
    ///   without subqueries) are joined with the subquery's rows under all its conditions, and the result
    ///   grouped by them. Outer rows join back on those values: hashed on the keys' sides (`=` never holds for
    ///   a NULL) and on columns a condition fails for when NULL, NULL-safely on the others.
    /// `extraKeys` are further `inner = outer` pairs (`x IN (SELECT y …)` matches `y = x`). Not `grouping`,
    /// `values` are read per row instead (a subquery's value without an aggregate), and each outer value may
    /// have at most one row (DISTINCT ones, when the subquery says DISTINCT): over the domain, so that a key
    /// no outer row has may have many.
    func decorrelated(
        _ query: SelectStatement, _ correlation: Correlation, values: [SQLExpression],
        extraKeys: [(inner: SQLExpression, outer: SQLExpression)] = [], grouping: Bool = true,
        outerStatement: SelectStatement, ctes: [Identifier: SelectStatement]
    ) throws(StrataError) -> DecorrelatedSubquery {
        let range = query.range
        let keys = correlation.keys + extraKeys
        func name(_ text: String) -> Identifier { Identifier(text, isQuoted: true, range: range) }
        let mark = SelectItem.expression(SQLExpression(.literal(.boolean(true)), range: range), alias: name("#mark"))
        var grouped = query
        grouped.isDistinct = !grouping && query.isDistinct
        grouped.orderBy = []
        if correlation.residual.isEmpty, grouping {
            grouped.items =
                keys.enumerated().map { i, key in .expression(key.inner, alias: name("#key\(i)")) }
                + values.map { .expression($0, alias: nil) } + [mark]
            let restrictions = keys.compactMap { keyRestriction($0, outerStatement: outerStatement, ctes: ctes) }
            grouped.whereClause = Self.conjunction(correlation.local + restrictions, at: range)
            grouped.groupBy = .expressions(keys.map(\.inner))
            return DecorrelatedSubquery(
                plan: try self.plan(grouped, ctes: ctes), outer: keys.map(\.outer), nullSafe: keys.map { _ in false })
        }

        // The domain: the outer sides of the keys, then the outer columns the other conditions read (once each,
        // and not again when a key is that column alone).
        var outerValues = keys.map(\.outer)
        for conjunct in correlation.residual {
            for (reference, _) in Self.columnReferences(conjunct) where correlation.isOuter(reference) {
                let column = SQLExpression(.column(reference), range: range)
                if !outerValues.contains(column) { outerValues.append(column) }
            }
        }
        let domainName = name("#domain")
        let domainColumns = outerValues.indices.map { i in
            SQLExpression(.column(ColumnReference(table: domainName, column: name("#c\(i)"))), range: range)
        }
        let pushable = (outerStatement.whereClause.map(Self.writtenConjuncts) ?? []).filter {
            !$0.contains(where: Self.isSubquery)
        }
        let domain = SelectStatement(
            isDistinct: true, items: outerValues.enumerated().map { i, e in .expression(e, alias: name("#c\(i)")) },
            from: outerStatement.from, whereClause: Self.conjunction(pushable, at: range), range: range)
        let domainSource = TableReference(source: .subquery(domain), alias: domainName, range: range)
        // Equalities between the domain and the subquery's FROM become the join's keys, the rest its condition.
        let conditions =
            keys.indices.map { i in SQLExpression(.binary(.equal, keys[i].inner, domainColumns[i]), range: range) }
            + correlation.residual.map { conjunct in
                Self.replacingColumns(conjunct) { reference in
                    guard correlation.isOuter(reference) else { return nil }
                    let i = outerValues.firstIndex(of: SQLExpression(.column(reference)))
                    if case .column(let c)? = i.map({ domainColumns[$0].kind }) { return c }
                    return nil
                }
            }
        grouped.from =
            query.from.map { from in
                TableReference(
                    source: .join(Join(kind: .cross, left: domainSource, right: from, condition: nil)), range: range)
            } ?? domainSource
        grouped.whereClause = Self.conjunction(conditions + correlation.local, at: range)
        grouped.items =
            domainColumns.enumerated().map { i, c in .expression(c, alias: name("#c\(i)")) }
            + values.map { .expression($0, alias: nil) } + [mark]
        if grouping { grouped.groupBy = .expressions(domainColumns) }
        let plan = try self.plan(grouped, ctes: ctes)
        // A key's outer side is never NULL on a matching row (`=` fails on NULL), nor a column that makes a
        // condition fail when NULL (`l2.s <> l1.s`): those are hashed.
        let nullSafe = outerValues.indices.map { i in
            guard i >= keys.count, case .column(let column) = outerValues[i].kind else { return false }
            return !correlation.residual.contains { Self.neverTrue($0, whenNull: column) }
        }
        return DecorrelatedSubquery(
            plan: grouping ? plan : .atMostOneRow(plan, perKey: outerValues.count), outer: outerValues,
            nullSafe: nullSafe)
    }

    /// `inner IN (SELECT c FROM t WHERE …)` when the key's outer side is a column `c` of a table `t` of the outer
    /// FROM that the outer WHERE filters on its own (conjuncts reading only `t`, without subqueries): every outer
    /// row that passes the WHERE has its key among those values, so the subquery need not group any other key
    /// (TPC-H Q17 groups lineitem by the 200 parts of one brand and container, not by all 200,000; DuckDB's
    /// delim join does this with the outer rows themselves). Outer rows that fail the WHERE meet no group, but
    /// the WHERE drops them anyway. `nil` when the key or the filter is not of that form.
    private func keyRestriction(
        _ key: (inner: SQLExpression, outer: SQLExpression), outerStatement: SelectStatement,
        ctes: [Identifier: SelectStatement]
    ) -> SQLExpression? {
        guard case .column(let keyColumn) = key.outer.kind, let from = outerStatement.from,
            let whereClause = outerStatement.whereClause
        else { return nil }
        // The outer FROM's plain tables (qualifier, name, column names); any other source makes unqualified
        // names ambiguous.
        var tables: [(qualifier: String, name: Identifier, columns: Set<String>)] = []
        var opaque = false
        func collect(_ reference: TableReference) {
            switch reference.source {
            case .table(let name) where reference.schema.isEmpty && ctes[name] == nil:
                guard let snapshot = try? snapshot(name), snapshot.spec.rollup == nil else {
                    opaque = true
                    return
                }
                let columns = Set(snapshot.spec.queryableColumns.map { $0.name.lowercased() })
                tables.append(((reference.alias ?? name).normalized, name, columns))
            case .join(let join):
                collect(join.left)
                collect(join.right)
            default:
                opaque = true
            }
        }
        collect(from)
        func table(of reference: ColumnReference) -> Int? {
            if let qualifier = reference.table {
                let matches = tables.indices.filter { tables[$0].qualifier == qualifier.normalized }
                return matches.count == 1 && tables[matches[0]].columns.contains(reference.column.normalized)
                    ? matches[0] : nil
            }
            guard !opaque else { return nil }
            let matches = tables.indices.filter { tables[$0].columns.contains(reference.column.normalized) }
            return matches.count == 1 ? matches[0] : nil
        }
        guard let t = table(of: keyColumn) else { return nil }
        let filters = Self.writtenConjuncts(whereClause).filter { conjunct in
            let references = Self.columnReferences(conjunct)
            guard !references.isEmpty, references.allSatisfy({ table(of: $0.0) == t }) else { return false }
            if case .inSubquery(_, let query, false) = conjunct.kind {
                // `k IN (SELECT …)` of a subquery that reads only its own tables (Q20's parts named 'forest%').
                return selfContained(query, ctes: ctes)
            }
            return !conjunct.contains(where: Self.isSubquery)
        }
        guard !filters.isEmpty else { return nil }
        let range = key.inner.range
        let alias = Identifier(tables[t].qualifier, isQuoted: true, range: range)
        let keys = SelectStatement(
            items: [
                .expression(
                    SQLExpression(.column(ColumnReference(table: alias, column: keyColumn.column)), range: range),
                    alias: nil)
            ],
            from: TableReference(source: .table(tables[t].name), alias: alias, range: range),
            whereClause: Self.conjunction(filters, at: range), range: range)
        return SQLExpression(.inSubquery(key.inner, keys, negated: false), range: range)
    }

    /// Whether `query` reads only its own tables: one SELECT over stored tables (no subquery, CTE or join
    /// of another source) whose column references are all to those tables' columns, so that it means the
    /// same wherever it is copied.
    private func selfContained(_ query: SelectStatement, ctes: [Identifier: SelectStatement]) -> Bool {
        guard query.setOperations.isEmpty, query.commonTableExpressions.isEmpty, let from = query.from else {
            return false
        }
        var tables: [(qualifier: String, columns: Set<String>)] = []
        var conditions: [SQLExpression] = []
        func collect(_ reference: TableReference) -> Bool {
            switch reference.source {
            case .table(let name) where reference.schema.isEmpty && ctes[name] == nil:
                guard let snapshot = try? snapshot(name) else { return false }
                let columns = Set(snapshot.spec.queryableColumns.map { $0.name.lowercased() })
                tables.append(((reference.alias ?? name).normalized, columns))
                return true
            case .join(let join):
                if case .on(let condition)? = join.condition { conditions.append(condition) }
                return collect(join.left) && collect(join.right)
            default:
                return false
            }
        }
        guard collect(from) else { return false }
        var expressions = query.items.compactMap { item -> SQLExpression? in
            if case .expression(let e, _) = item { return e }
            return nil
        }
        expressions += [query.whereClause, query.having].compactMap { $0 }
        if case .expressions(let keys)? = query.groupBy { expressions += keys }
        expressions += conditions
        for expression in expressions {
            if expression.contains(where: Self.isSubquery) { return false }
            for (reference, _) in Self.columnReferences(expression) {
                let name = reference.column.normalized
                if let qualifier = reference.table?.normalized {
                    guard tables.contains(where: { $0.qualifier == qualifier && $0.columns.contains(name) }) else {
                        return false
                    }
                } else if !tables.contains(where: { $0.columns.contains(name) }) {
                    return false
                }
            }
        }
        return true
    }

    /// Whether a condition is never TRUE when `column` is NULL (NULL or FALSE, whatever the other columns).
    static func neverTrue(_ condition: SQLExpression, whenNull column: ColumnReference) -> Bool {
        switch condition.kind {
        case .binary(.and, let a, let b):
            return neverTrue(a, whenNull: column) || neverTrue(b, whenNull: column)
        case .binary(.or, let a, let b):
            return neverTrue(a, whenNull: column) && neverTrue(b, whenNull: column)
        default:
            return isNull(condition, whenNull: column)
        }
    }

    /// Whether an expression is NULL when `column` is: operators and comparisons propagate a NULL operand.
    static func isNull(_ expression: SQLExpression, whenNull column: ColumnReference) -> Bool {
        switch expression.kind {
        case .column(let reference):
            return reference == column
        case .binary(.and, let a, let b), .binary(.or, let a, let b):
            return isNull(a, whenNull: column) && isNull(b, whenNull: column)
        case .binary(_, let a, let b), .like(let a, let b, _, _):
            return isNull(a, whenNull: column) || isNull(b, whenNull: column)
        case .unary(_, let operand), .cast(let operand, _), .between(let operand, _, _, _):
            return isNull(operand, whenNull: column)
        default:
            return false
        }
    }

    /// Whether an aggregate expression is NULL over no rows (then a correlated subquery's missing group needs
    /// no value of its own): sum, avg, min and max, and arithmetic on them.
    static func isNullWhenEmpty(_ expression: SQLExpression) -> Bool {
        switch expression.kind {
        case .function(let call) where isAggregate(call):
            return ["sum", "avg", "min", "max"].contains(call.name.normalized)
        case .binary(let op, let left, let right) where [.add, .subtract, .multiply, .divide, .modulo].contains(op):
            func constant(_ e: SQLExpression) -> Bool { if case .literal = e.kind { true } else { false } }
            return (isNullWhenEmpty(left) && (constant(right) || isNullWhenEmpty(right)))
                || (isNullWhenEmpty(right) && constant(left))
        case .unary(.negate, let operand), .cast(let operand, _):
            return isNullWhenEmpty(operand)
        default:
            return false
        }
    }
}
