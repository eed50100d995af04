import StrataCore
import StrataExecution
import StrataSQL
package import StrataStorage

/// The tables a statement can read, each pinned to one snapshot for the whole statement.
package struct SQLCatalog {
    /// The catalog's name in `information_schema` and `current_database()`: `memory`, or the database
    /// directory's name.
    var databaseName: String
    var tableNames: [String]
    var snapshot: (String) -> TableSnapshot?
    /// The functions a query can call in FROM.
    var tableFunctions: [any TableFunction]
    /// The database that statements changing tables (`CREATE TABLE`, `INSERT`…) change; `nil` for a catalog
    /// of snapshots, which refuses them.
    var database: Database?
    /// The views' queries by name (lowercased), as of the statement's start.
    var views: [String: ViewEntry]

    package init(
        databaseName: String = "memory", tableNames: [String], tableFunctions: [any TableFunction] = [],
        database: Database? = nil, views: [ViewEntry] = [], snapshot: @escaping (String) -> TableSnapshot?
    ) {
        self.database = database
        self.views = Dictionary(views.map { ($0.name.lowercased(), $0) }) { first, _ in first }
        self.databaseName = databaseName
        self.tableNames = tableNames
        self.tableFunctions = tableFunctions
        self.snapshot = snapshot
    }
}

/// Binds a parsed `SELECT` against the catalog and turns it into a plan of the pipeline's operators.
package final class SQLPlanner {
    let source: SQLSourceText
    let catalog: SQLCatalog
    let expressions: ExpressionBinder
    private var snapshots: [String: TableSnapshot] = [:]
    /// The views being expanded around this planner (a view that reads itself is an error, not a loop).
    var expandingViews: Set<String> = []

    init(source: SQLSourceText, catalog: SQLCatalog, parameters: BoundParameters = BoundParameters()) {
        self.source = source
        self.catalog = catalog
        var expressions = ExpressionBinder(source: source)
        expressions.databaseName = catalog.databaseName
        expressions.parameters = parameters
        self.expressions = expressions
    }

    /// The text of a node as written in the query.
    func text(_ range: SourceRange) -> String {
        let bytes = Array(source.sql.utf8)
        guard range.length > 0, range.end <= bytes.count else { return "" }
        return String(decoding: bytes[range.offset..<range.end], as: UTF8.self)
    }

    func error(_ code: StrataError.Code, _ message: String, at range: SourceRange) -> StrataError {
        source.error(code, message, at: range)
    }

    /// The snapshot of a table, pinned on first use so every reference in the statement sees the same data.
    func snapshot(_ name: Identifier) throws(StrataError) -> TableSnapshot {
        if let pinned = snapshots[name.normalized] { return pinned }
        guard let snapshot = catalog.snapshot(name.name) else {
            var message = "no table named '\(name.name)'"
            if let suggestion = NameSuggestion.closest(to: name.name, among: catalog.tableNames) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw error(.binding, message, at: name.range)
        }
        snapshots[name.normalized] = snapshot
        return snapshot
    }

    // MARK: FROM

    /// Where a query's rows come from.
    enum Source {
        case none
        case table(TableSnapshot)
        case relation(PlanNode)
    }

    func bindSource(_ reference: TableReference?, ctes: [Identifier: SelectStatement]) throws(StrataError)
        -> (Source, SQLScope)
    {
        guard let reference else { return (.none, .empty) }
        var (source, scope) = try bindSourceColumns(reference, ctes: ctes)
        // `AS t (a, b)` renames the first columns, as DuckDB does; more names than columns is an error.
        let visible = scope.columns.indices.filter { !scope.hidden.contains($0) && !scope.columns[$0].name.hasPrefix("#") }
        guard reference.columnAliases.count <= visible.count else {
            throw error(
                .binding,
                "\(reference.alias?.name ?? "the source") has \(visible.count) columns but \(reference.columnAliases.count) column aliases",
                at: reference.columnAliases[visible.count].range)
        }
        for (i, alias) in zip(visible, reference.columnAliases) { scope.columns[i].name = alias.name }
        if case .relation(let plan) = source, !reference.columnAliases.isEmpty {
            source = .relation(
                .project(plan, plan.columns.indices.map { .column($0, plan.columns[$0].type, name: scope.columns[$0].name) },
                    columns: scope.columns))
        }
        return (source, scope)
    }

    private func bindSourceColumns(_ reference: TableReference, ctes: [Identifier: SelectStatement]) throws(StrataError)
        -> (Source, SQLScope)
    {
        switch reference.source {
        case .table(let name):
            let qualifier = reference.alias?.name ?? name.name
            if !reference.schema.isEmpty {
                return try bindQualified(name, schema: reference.schema, qualifier: qualifier)
            }
            if let cte = ctes[name] {
                var inner = ctes
                inner[name] = nil  // a WITH query cannot refer to itself
                let plan = try self.plan(cte, ctes: inner)
                return (.relation(plan), SQLScope(columns: plan.columns, qualifiers: [qualifier]))
            }
            if let view = catalog.views[name.normalized] {
                let plan = try expand(view, at: name)
                return (.relation(plan), SQLScope(columns: plan.columns, qualifiers: [qualifier]))
            }
            let snapshot = try snapshot(name)
            let stored = snapshot.spec.storedColumns
            let columns = snapshot.spec.queryableColumns.enumerated().map { i, column in
                var isQuantileSketch = false
                if i < stored.count, case .aggregate(.quantile, _) = stored[i].role { isQuantileSketch = true }
                return SQLScope.Column(
                    name: column.name, type: SQLValueType(column.type), isQuantileSketch: isQuantileSketch)
            }
            var scope = SQLScope(columns: columns, qualifiers: [qualifier])
            scope.inputMetricCount = columns.count - stored.count
            return (.table(snapshot), scope)
        case .subquery(let query):
            let plan = try self.plan(query, ctes: ctes)
            return (
                .relation(plan), SQLScope(columns: plan.columns, qualifiers: reference.alias.map { [$0.name] } ?? [])
            )
        case .function(let call):
            let plan = try bindTableFunction(call)
            let qualifier = reference.alias?.name ?? call.name.name
            return (.relation(plan), SQLScope(columns: plan.columns, qualifiers: [qualifier]))
        case .join(let join):
            return try bindJoin(join, ctes: ctes)
        }
    }

    /// A view's query, planned where a statement names the view. Errors inside its text name the view and point
    /// at the reference.
    private func expand(_ view: ViewEntry, at name: Identifier) throws(StrataError) -> PlanNode {
        let key = view.name.lowercased()
        guard !expandingViews.contains(key) else {
            throw error(.binding, "view '\(view.name)' reads itself", at: name.range)
        }
        let inner = SQLPlanner(source: SQLSourceText(view.sql), catalog: catalog)
        inner.expandingViews = expandingViews.union([key])
        do throws(StrataError) {
            guard case .select(let query) = try SQLParser.parse(view.sql) else {
                throw StrataError(.corruption, "the stored text is not a query")
            }
            return try inner.plan(query, ctes: [:])
        } catch {
            throw self.error(error.code, "view '\(view.name)': \(error.message)", at: name.range)
        }
    }

    /// A table named with its schema (and catalog): `main.events`, `memory.main.events`,
    /// `information_schema.tables`.
    private func bindQualified(_ name: Identifier, schema: [Identifier], qualifier: String) throws(StrataError)
        -> (Source, SQLScope)
    {
        let database = catalog.databaseName.lowercased()
        let path = schema.map(\.normalized)
        if path.last == "information_schema", path.count == 1 || path[0] == "system" || path[0] == database {
            guard let plan = SystemTables.informationSchema(name.normalized, catalog: catalog) else {
                var message = "no table named '\(name.name)' in information_schema"
                if let suggestion = NameSuggestion.closest(to: name.name, among: SystemTables.names) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw error(.binding, message, at: name.range)
            }
            return (.relation(plan), SQLScope(columns: plan.columns, qualifiers: [qualifier]))
        }
        // One catalog (the database) with one schema, `main`: `main.t`, `db.t` and `db.main.t` name table t.
        let known = path == ["main"] || path == [database] || path == [database, "main"]
        guard known else {
            let at = schema[schema.count - 1]
            throw error(
                .binding,
                "no schema named '\(schema.map(\.name).joined(separator: "."))'; tables are in 'main' "
                    + "(or '\(catalog.databaseName).main'), the catalog in 'information_schema'",
                at: at.range)
        }
        return try bindSource(TableReference(source: .table(name), alias: Identifier(qualifier)), ctes: [:])
    }

    /// A source as a plan of its own, for a join or a subquery's join: a table is a scan of its stored columns.
    /// A rolled-up table is refused: its rows stand for many events, which only its own aggregates count (a
    /// subquery that aggregates it can be joined).
    func relation(_ source: Source, scope: SQLScope, at range: SourceRange) throws(StrataError) -> (PlanNode, SQLScope) {
        switch source {
        case .none: return (.values(columns: [], rows: [[]]), scope)
        case .relation(let plan): return (plan, scope)
        case .table(let snapshot):
            if snapshot.spec.rollup != nil {
                throw error(
                    .unsupported,
                    "'\(snapshot.spec.name)' is rolled up: its rows stand for many events, so it cannot be joined or "
                        + "read beside a subquery yet; aggregate it in a subquery first, e.g. (SELECT …, count(*) FROM "
                        + "\(snapshot.spec.name) GROUP BY …)", at: range)
            }
            let stored = snapshot.spec.storedColumns.count
            var scope = scope
            scope.columns = Array(scope.columns.prefix(stored))
            scope.sources = scope.sources.map { SQLScope.Source(qualifier: $0.qualifier, columns: 0..<stored) }
            scope.inputMetricCount = 0
            return (.scan(ScanNode(snapshot: snapshot, storedColumns: Array(0..<stored), timeRange: nil)), scope)
        }
    }

    // MARK: Expressions by clause

    /// Whether the call aggregates the rows of a group: an aggregate function's name, and no `OVER` (which makes
    /// it a window function, computed per row).
    static func isAggregate(_ call: FunctionCall) -> Bool {
        guard call.over == nil else { return false }
        let name = call.name.normalized
        return AggregateCall.Function.byName[name] != nil || AggregateCall.Function.unsupported.contains(name)
    }

    static func containsAggregate(_ expression: SQLExpression) -> Bool {
        expression.contains { node in
            if case .function(let call) = node.kind { return isAggregate(call) }
            return false
        }
    }

    static func containsWindow(_ expression: SQLExpression) -> Bool {
        expression.contains { node in
            if case .function(let call) = node.kind { return call.over != nil }
            return false
        }
    }

    /// Binds an expression over the input rows, where aggregates are not allowed (WHERE, GROUP BY,
    /// aggregate arguments); nor window functions, unless `window` binds them (the select list of a query
    /// without grouping).
    func bindInput(
        _ expression: SQLExpression, scope: SQLScope, clause: String,
        window: ((FunctionCall, SQLExpression) throws(StrataError) -> BoundExpression)? = nil
    ) throws(StrataError) -> BoundExpression {
        func bind(_ e: SQLExpression) throws(StrataError) -> BoundExpression {
            switch e.kind {
            case .column(let reference):
                let index = try scope.resolve(reference, source: source)
                return .column(index, scope.columns[index].type, name: scope.columns[index].name)
            case .function(let call) where call.over != nil:
                guard let window else {
                    throw error(.binding, "window functions are not allowed in \(clause)", at: e.range)
                }
                return try window(call, e)
            case .function(let call):
                if Self.isAggregate(call) {
                    throw error(.binding, "aggregate functions are not allowed in \(clause)", at: e.range)
                }
                if Self.isGroupingFunction(call) {
                    throw error(
                        .binding,
                        "\(call.name.normalized)() reads the grouping of a GROUP BY's result: it is not allowed in "
                            + clause, at: e.range)
                }
                return try expressions.fold(
                    try expressions.bindScalarFunction(call, at: e, child: bind), at: e)
            default:
                return try expressions.bind(e, child: bind)
            }
        }
        return try bind(expression)
    }

    /// Binds an aggregate call's argument and filter over the input rows.
    func bindAggregate(
        _ call: FunctionCall, at expression: SQLExpression, scope: SQLScope,
        argument bindArgument: ((SQLExpression, String) throws(StrataError) -> BoundExpression)? = nil
    ) throws(StrataError) -> AggregateCall {
        func bindOperand(_ e: SQLExpression, _ clause: String) throws(StrataError) -> BoundExpression {
            if let bindArgument { return try bindArgument(e, clause) }
            return try bindInput(e, scope: scope, clause: clause)
        }
        var call = call
        var name = call.name.normalized
        var fromTop = false, complement = false
        if !call.orderBy.isEmpty, let f = AggregateCall.Function.byName[name], f.orderSensitiveTies {
            throw error(
                .unsupported,
                "ORDER BY inside \(name)() is not supported yet; string_agg, first and last take one",
                at: expression.range)
        }
        if let order = call.withinGroup {
            // Ordered-set aggregates: the sort key becomes the argument, the fraction the second one.
            let ordered = ["percentile_cont": "quantile_cont", "percentile_disc": "quantile_disc", "mode": "mode"]
            guard let target = ordered[name] else {
                throw error(
                    .binding, "WITHIN GROUP applies to percentile_cont, percentile_disc and mode, not \(name)()",
                    at: expression.range)
            }
            guard order.count == 1, !order[0].isAll else {
                throw error(.binding, "\(name)() WITHIN GROUP takes one ORDER BY key", at: expression.range)
            }
            // DESC: percentile_cont at 1 − q of the ascending values (the same interpolation); percentile_disc
            // counts its position from the largest value.
            let descending = order[0].direction == .descending
            if descending, name == "mode" {
                throw error(
                    .unsupported, "mode() WITHIN GROUP (ORDER BY … DESC) is not supported yet", at: expression.range)
            }
            fromTop = descending && name == "percentile_disc"
            complement = descending && name == "percentile_cont"
            let expected = name == "mode" ? 0 : 1
            guard call.arguments.count == expected, !call.isStar, !call.isDistinct else {
                throw error(
                    .binding,
                    "\(name)() WITHIN GROUP takes \(expected == 0 ? "no argument" : "the fraction as its argument")",
                    at: expression.range)
            }
            call.arguments = [order[0].expression] + call.arguments
            call.withinGroup = nil
            name = target
        } else if name == "percentile_cont" || name == "percentile_disc" {
            throw error(.binding, "\(name)(q) needs WITHIN GROUP (ORDER BY …)", at: expression.range)
        }
        guard let function = AggregateCall.Function.byName[name] else {
            throw error(
                .unsupported,
                "\(name)() is not supported yet; the aggregates are count, count_if, sum, min, max, avg, var_samp, "
                    + "var_pop, stddev_samp, stddev_pop, covar_pop, covar_samp, corr, regr_slope, regr_intercept, "
                    + "regr_r2, regr_count, regr_avgx, regr_avgy, regr_sxx, regr_syy, regr_sxy, arg_max, arg_min, any_value, first, last, bool_and, bool_or, mode, "
                    + "quantile_cont, quantile_disc, median, approx_count_distinct and approx_quantile",
                at: expression.range)
        }
        if call.ignoresNulls != nil {
            throw error(
                .binding, "IGNORE NULLS and RESPECT NULLS are not supported for aggregates", at: expression.range)
        }
        let clause = "the argument of an aggregate function (aggregates cannot be nested)"
        var aggregate = AggregateCall(
            function: function, argument: nil, isDistinct: call.isDistinct, filter: nil,
            text: name == "count" && call.isStar ? "count_star()" : text(expression.range))
        if call.isStar {
            guard function == .count, !call.isDistinct else {
                throw error(.binding, "only count accepts *", at: expression.range)
            }
            aggregate.function = .countStar
        } else {
            let quantile = function == .quantile || function == .approxQuantile || function == .quantileDiscrete
            var expected = (quantile && name != "median") || function.isBinary ? 2 : 1
            // string_agg's separator is optional (',').
            if function == .stringAgg, call.arguments.count == 2 { expected = 2 }
            guard call.arguments.count == expected else {
                throw error(
                    .binding,
                    "\(name)() takes \(expected) argument\(expected == 1 ? "" : "s"), got \(call.arguments.count)",
                    at: expression.range)
            }
            if case .function(let row) = call.arguments[0].kind, row.name.normalized == "row", !row.name.isQuoted,
                row.over == nil
            {
                // count(DISTINCT (a, b, …)): distinct rows, a row with NULL fields included (DuckDB's STRUCT).
                guard function == .count, call.isDistinct, row.arguments.count >= 2 else {
                    throw error(
                        .unsupported,
                        "row constructors such as (a, b) are not supported yet, but as the argument of count(DISTINCT …)",
                        at: call.arguments[0].range)
                }
                var fields: [BoundExpression] = []
                for field in row.arguments {
                    let bound = try bindOperand(field, clause)
                    if bound.type == .interval {
                        throw error(.type, "count(DISTINCT …) of an INTERVAL is not supported", at: field.range)
                    }
                    fields.append(bound)
                }
                aggregate.argument = fields[0]
                aggregate.rowFields = Array(fields.dropFirst())
                if let filter = call.filter {
                    let bound = try bindOperand(filter, "FILTER")
                    aggregate.filter = try expressions.requireBoolean(bound, filter, "FILTER")
                }
                return aggregate
            }
            var argument = try bindOperand(call.arguments[0], clause)
            // DuckDB sums a BOOLEAN as the number of TRUE values.
            if function == .sum, argument.type == .boolean { argument = .cast(argument, .bigint) }
            let readsQuantileSketch: Bool =
                if function == .approxQuantile, case .column(let i, _, _) = argument, i < scope.columns.count {
                    scope.columns[i].isQuantileSketch
                } else {
                    false
                }
            switch function {
            case .approxQuantile where readsQuantileSketch:
                break
            case .sum, .avg, .varianceSample, .standardDeviationSample, .quantile, .approxQuantile,
                .variancePopulation, .standardDeviationPopulation, .product:
                guard argument.type.isNumeric || argument.type == .null else {
                    throw error(
                        .type, "\(name)() needs a numeric argument, not \(argument.type)", at: call.arguments[0].range)
                }
            case .boolAnd, .boolOr, .countIf:
                guard argument.type == .boolean || argument.type == .null else {
                    throw error(
                        .type, "\(name)() needs a BOOLEAN argument, not \(argument.type)", at: call.arguments[0].range)
                }
            case .stringAgg:
                guard argument.type != .interval else {
                    throw error(.type, "\(name)() of an INTERVAL is not supported", at: call.arguments[0].range)
                }
            case .quantileDiscrete, .mode:
                guard argument.type != .interval else {
                    throw error(.type, "\(name)() of an INTERVAL is not supported", at: call.arguments[0].range)
                }
            case .min, .max, .approxCountDistinct:
                guard argument.type != .interval else {
                    throw error(.type, "\(name)() of an INTERVAL is not supported", at: call.arguments[0].range)
                }
            default: break
            }
            // string_agg reads its values as text, as DuckDB casts them.
            aggregate.argument =
                function == .stringAgg && argument.type != .varchar && argument.type != .null
                ? .cast(argument, .varchar) : argument
            if function.isBinary {
                if call.isDistinct {
                    throw error(.unsupported, "\(name)(DISTINCT …) is not supported", at: expression.range)
                }
                let second = try bindOperand(call.arguments[1], clause)
                if function == .argMax || function == .argMin {
                    guard second.type != .interval else {
                        throw error(.type, "\(name)() cannot order by an INTERVAL", at: call.arguments[1].range)
                    }
                } else {
                    for (bound, source) in [(argument, call.arguments[0]), (second, call.arguments[1])]
                    where !(bound.type.isNumeric || bound.type == .null) {
                        throw error(.type, "\(name)() needs numeric arguments, not \(bound.type)", at: source.range)
                    }
                }
                aggregate.secondArgument = second
            }
            if function.dependsOnOrder, call.isDistinct {
                throw error(.unsupported, "\(name)(DISTINCT …) is not supported", at: expression.range)
            }
            if function == .stringAgg {
                aggregate.separator = ","
                if call.arguments.count == 2 {
                    let separator = try bindInput(call.arguments[1], scope: .empty, clause: "a string_agg separator")
                    guard let value = separator.constantValue, case .string(let text) = value else {
                        throw error(
                            .invalidArgument, "the separator of \(name)() must be a constant string",
                            at: call.arguments[1].range)
                    }
                    aggregate.separator = text
                }
            }
            // ORDER BY orders string_agg, first and last; the other aggregates it cannot change, so it is dropped
            // (as DuckDB drops it); those whose ties it would break refuse it (above).
            if function == .stringAgg || function == .first || function == .last {
                for item in call.orderBy {
                    guard !item.isAll else {
                        throw error(.binding, "ORDER BY ALL is not allowed inside \(name)()", at: item.expression.range)
                    }
                    let key = try bindOperand(item.expression, clause)
                    if key.type == .interval {
                        throw error(.type, "cannot order by an INTERVAL", at: item.expression.range)
                    }
                    let descending = item.direction == .descending
                    aggregate.order.append(
                        AggregateOrderKey(expression: key, descending: descending, nullsFirst: item.nulls == .first))
                }
            } else {
                // Still bound, so that a wrong name is an error.
                for item in call.orderBy { _ = try bindOperand(item.expression, clause) }
            }
            if quantile {
                aggregate.fraction = 0.5
                if expected == 2 {
                    let fraction = try bindInput(call.arguments[1], scope: .empty, clause: "a quantile fraction")
                    guard let q = fraction.constantValue?.doubleValue, (0...1).contains(q) else {
                        throw error(
                            .invalidArgument, "the quantile must be a constant between 0 and 1",
                            at: call.arguments[1].range)
                    }
                    aggregate.fraction = complement ? 1 - q : q
                    aggregate.fromTop = fromTop
                }
            }
        }
        if let filter = call.filter {
            let bound = try bindOperand(filter, "FILTER")
            aggregate.filter = try expressions.requireBoolean(bound, filter, "FILTER")
        }
        return aggregate
    }
}
