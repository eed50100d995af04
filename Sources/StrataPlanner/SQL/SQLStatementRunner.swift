import Foundation
package import StrataCore
import StrataExecution
package import StrataSQL

/// Parses, plans and runs one statement.
package struct SQLStatementRunner {
    let sql: String
    let catalog: SQLCatalog
    let options: QueryOptions
    let context: QueryContext
    /// The statement already parsed (a prepared statement's), or nil to parse `sql`.
    let parsed: ParsedStatement?
    let parameters: ParameterValues
    /// `parameters` bound to the statement's placeholders (``parsedStatement()`` sets them).
    var bound = BoundParameters()

    package init(
        sql: String, catalog: SQLCatalog, options: QueryOptions, context: QueryContext,
        parameters: ParameterValues = .none, parsed: ParsedStatement? = nil
    ) {
        self.sql = sql
        self.catalog = catalog
        self.options = options
        self.context = context
        self.parameters = parameters
        self.parsed = parsed
    }

    /// The statement's rows as a stream: a plan that streams hands on its batches, any other its rows.
    package func stream() throws(StrataError) -> QueryStream {
        let (statement, runner) = try parsedStatement()
        return try runner.stream(statement)
    }

    private func stream(_ statement: SQLStatement) throws(StrataError) -> QueryStream {
        guard case .select = statement else {
            let result = try run(statement)
            let columns = result.columns.map { SQLScope.Column(name: $0.name, type: .varchar) }
            return QueryStream(columns: columns, source: nil, rows: result.rows)
        }
        let plan = try planned(statement)
        if plan.streams {
            return QueryStream(
                columns: plan.columns, source: try plan.batches(context: context, options: options, profile: nil))
        }
        let rows = try plan.run(context: context, options: options)
        // The stream holds the rows from here on; they no longer count against the statement's limit.
        context.release(bytes: RowMemory.bytes(rows: rows.count, columns: plan.columns.count))
        return QueryStream(columns: plan.columns, source: nil, rows: rows)
    }

    /// The parsed statement (a prepared statement's, or `sql` parsed now), `SHOW t` (for a table t) read as
    /// `DESCRIBE t`, with the runner that binds its placeholders to ``parameters``.
    private func parsedStatement() throws(StrataError) -> (SQLStatement, SQLStatementRunner) {
        let parsed: ParsedStatement
        if let given = self.parsed { parsed = given } else { parsed = try ParsedStatement(sql) }
        var statement = parsed.statement
        if case .show(let name) = statement, catalog.tableNames.contains(where: { $0.lowercased() == name.normalized }) {
            // `SHOW t` describes table t, as in DuckDB (a session's own settings are shown by the session).
            let argument = SQLExpression(.literal(.string(name.name)), range: name.range)
            let call = TableFunctionCall(name: Identifier("describe", range: name.range), arguments: [argument])
            statement = .select(SelectStatement(items: [.wildcard(qualifier: nil)], from: TableReference(source: .function(call))))
        }
        var runner = self
        runner.bound = try parameters.bind(to: parsed.parameters, source: SQLSourceText(sql))
        return (statement, runner)
    }

    /// The plan of a query (with or without EXPLAIN); SET, RESET and SHOW are errors here (a session runs them).
    private func planned(_ statement: SQLStatement) throws(StrataError) -> PlanNode {
        guard let query = statement.query else {
            let range: SourceRange =
                switch statement {
                case .set(let assignment): assignment.name.range
                case .reset(let name): name?.range ?? SourceRange(offset: 0, length: 0)
                case .show(let name): name.range
                default: SourceRange(offset: 0, length: 0)
                }
            throw SQLSourceText(sql).error(
                .unsupported,
                "SET, RESET and SHOW change a session's settings: run them in a session (strata repl, "
                    + "SQLSession), or pass QueryOptions to Database.query(_:options:)", at: range)
        }
        let plan = try SQLPlanner(source: SQLSourceText(sql), catalog: catalog, parameters: bound).plan(query, ctes: [:])
        try context.check()
        return plan
    }

    /// A statement parsed once, with its placeholders: what a prepared statement keeps between runs.
    package struct ParsedStatement: Sendable {
        package let statement: SQLStatement
        package let parameters: StatementParameters

        package init(_ sql: String) throws(StrataError) {
            (statement, parameters) = try SQLParser.parseWithParameters(sql)
        }
    }

    package func run() throws(StrataError) -> QueryResult {
        let (statement, runner) = try parsedStatement()
        return try runner.run(statement)
    }

    private func run(_ statement: SQLStatement) throws(StrataError) -> QueryResult {
        if let result = try runDefinition(statement) { return result }
        let clock = ContinuousClock()
        let start = clock.now
        let plan = try planned(statement)
        switch statement {
        case .select:
            let (counted, counters) = plan.countingScans()
            var result = Self.result(columns: counted.columns, rows: try counted.run(context: context, options: options))
            // What the scan read and skipped, when one scan did the reading.
            if counters.count == 1 { result.stats = counters[0].total }
            return result
        case .explain(_, let analyze):
            guard analyze else { return Self.planResult(plan.explain()) }
            let planned = clock.now
            let profile = PlanProfile()
            let (counted, _) = plan.countingScans()
            let rows = try counted.run(context: context, options: options, profile: profile)
            _ = Self.result(columns: counted.columns, rows: rows)
            let end = clock.now
            var lines = counted.explain(profile: profile)
            lines.append("")
            lines.append(
                String(
                    format: "total: %.3f ms (parse and plan %.3f ms, execute %.3f ms), %d rows",
                    Self.milliseconds(start.duration(to: end)), Self.milliseconds(start.duration(to: planned)),
                    Self.milliseconds(planned.duration(to: end)), rows.count))
            return Self.planResult(lines)
        case .set, .reset, .show, .createTable, .dropTable, .insert, .createView, .dropView, .delete, .truncate:
            return Self.planResult([])  // handled above
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }

    static func planResult(_ lines: [String]) -> QueryResult {
        QueryResult(columns: [.init(name: "plan", type: .string)], rows: lines.map { [.string($0)] })
    }

    /// Integer values of HUGEINT columns as `.hugeint`: an operator may give an integer that fits as
    /// `.int64`, and SQL types every integer sum HUGEINT as DuckDB does.
    static func widened(_ rows: [[Value]], to columns: [SQLScope.Column]) -> [[Value]] {
        let wide = columns.indices.filter { columns[$0].type == .hugeint }
        guard !wide.isEmpty else { return rows }
        var rows = rows
        for r in rows.indices {
            for c in wide where c < rows[r].count {
                if case .int64(let x) = rows[r][c] { rows[r][c] = .hugeint(Int128(x)) }
            }
        }
        return rows
    }

    /// The result as the caller sees it: DATE values become `YYYY-MM-DD` text.
    static func result(columns: [SQLScope.Column], rows: [[Value]]) -> QueryResult {
        let dates = columns.indices.filter { columns[$0].type == .date }
        var rows = widened(rows, to: columns)
        if !dates.isEmpty {
            for r in rows.indices {
                for c in dates {
                    if case .timestamp(let ms) = rows[r][c] {
                        rows[r][c] = .string(SQLEvaluation.text(.timestamp(ms), type: .date))
                    }
                }
            }
        }
        return QueryResult(
            columns: columns.map { QueryResult.Column(name: $0.name, type: $0.type.dataType) }, rows: rows)
    }
}
