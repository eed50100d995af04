import Foundation
public import StrataCore
import StrataExecution
import StrataSQL

extension Database {
    /// Runs one SQL statement (DuckDB's dialect, the subset of DESIGN.md §5) and returns its result.
    ///
    /// Every table the statement reads is pinned to one snapshot when the statement is planned. The plan
    /// runs on the vectorized pipeline (the README's "Query pipeline"): a scan that applies the WHERE, hash
    /// aggregation, filters, projections, sorting and limits over column batches. `EXPLAIN` returns the plan as one text column; `EXPLAIN ANALYZE` runs the query and adds rows and
    /// times per operator.
    ///
    /// ```swift
    /// let result = try db.query("SELECT variant, count(*) AS n FROM events GROUP BY ALL ORDER BY 1")
    /// ```
    ///
    /// - Parameter sql: One statement, optionally ending with `;`.
    /// - Returns: Named, typed columns and rows; a DATE is text `YYYY-MM-DD` as DuckDB prints it.
    /// - Throws: `syntax` or `binding` and `type` errors with the line, column and a caret snippet in
    ///   ``StrataError/detail``, and a suggestion for a misspelt table or column; `unsupported` for SQL
    ///   Strata does not run yet; `invalidArgument` for integer overflow or division by zero.
    public func query(_ sql: String) throws(StrataError) -> QueryResult {
        try query(sql, context: QueryContext())
    }

    /// Runs one SQL statement under a timeout and memory limit; see ``query(_:)``.
    ///
    /// ```swift
    /// let result = try db.query("SELECT * FROM events", options: QueryOptions(timeout: .seconds(5), memoryLimit: 512 << 20))
    /// ```
    /// - Throws: as ``query(_:)``, and `limit` once the statement runs past `options.timeout` or holds more
    ///   than `options.memoryLimit` bytes (default: ``QueryContext/defaultMemoryLimit``).
    public func query(_ sql: String, options: QueryOptions) throws(StrataError) -> QueryResult {
        try query(sql, context: QueryContext(options: options), options: options)
    }

    /// Runs one SQL statement under `context`: call ``QueryContext/cancel()`` from another thread to stop
    /// it with a `cancelled` error. `options` gives the parallelism (the context has the limits).
    public func query(_ sql: String, context: QueryContext, options: QueryOptions = QueryOptions())
        throws(StrataError) -> QueryResult
    {
        let catalog = SQLCatalog(tableNames: tableNames) { [self] name in try? table(named: name).snapshot() }
        return try SQLStatementRunner(sql: sql, catalog: catalog, options: options, context: context).run()
    }

    /// Runs one SQL statement; cancelling the calling task stops it with a `cancelled` error.
    ///
    /// ```swift
    /// let task = Task { try await db.query("SELECT count(DISTINCT user_id) FROM events", options: QueryOptions()) }
    /// task.cancel()
    /// ```
    public func query(_ sql: String, options: QueryOptions) async throws(StrataError) -> QueryResult {
        let context = QueryContext(options: options)
        let result = await withTaskCancellationHandler {
            Result { () throws(StrataError) -> QueryResult in try query(sql, context: context, options: options) }
        } onCancel: {
            context.cancel()
        }
        return try result.get()
    }
}

extension TableSnapshot {
    /// Runs one SQL statement that reads only this snapshot's table (by its name), so several queries
    /// see the same data. See ``Database/query(_:)``.
    public func query(_ sql: String) throws(StrataError) -> QueryResult {
        let catalog = SQLCatalog(tableNames: [spec.name]) { [self] name in
            name.lowercased() == spec.name.lowercased() ? self : nil
        }
        return try SQLStatementRunner(sql: sql, catalog: catalog, options: QueryOptions(), context: QueryContext())
            .run()
    }

    /// Runs one SQL statement over this snapshot under a timeout and memory limit; see
    /// ``Database/query(_:options:)``.
    public func query(_ sql: String, options: QueryOptions) throws(StrataError) -> QueryResult {
        let catalog = SQLCatalog(tableNames: [spec.name]) { [self] name in
            name.lowercased() == spec.name.lowercased() ? self : nil
        }
        return try SQLStatementRunner(
            sql: sql, catalog: catalog, options: options, context: QueryContext(options: options)
        ).run()
    }
}

/// Parses, plans and runs one statement.
struct SQLStatementRunner {
    let sql: String
    let catalog: SQLCatalog
    let options: QueryOptions
    let context: QueryContext

    /// The statement's rows as a stream: a plan that streams hands on its batches, any other its rows.
    func stream() throws(StrataError) -> QueryStream {
        let (statement, plan) = try planned()
        guard case .select = statement else {
            let result = try run()
            let columns = result.columns.map { SQLScope.Column(name: $0.name, type: .varchar) }
            return QueryStream(columns: columns, source: nil, rows: result.rows)
        }
        if plan.streams {
            return QueryStream(
                columns: plan.columns, source: try plan.batches(context: context, options: options, profile: nil))
        }
        let rows = try plan.run(context: context, options: options)
        // The stream holds the rows from here on; they no longer count against the statement's limit.
        context.release(bytes: RowMemory.bytes(rows: rows.count, columns: plan.columns.count))
        return QueryStream(columns: plan.columns, source: nil, rows: rows)
    }

    /// The parsed statement and its plan; SET, RESET and SHOW are errors here (a session runs them).
    private func planned() throws(StrataError) -> (SQLStatement, PlanNode) {
        let statement = try SQLParser.parse(sql)
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
        let planner = SQLPlanner(source: SQLSourceText(sql), catalog: catalog)
        let plan = try planner.plan(query, ctes: [:])
        try context.check()
        return (statement, plan)
    }

    func run() throws(StrataError) -> QueryResult {
        let clock = ContinuousClock()
        let start = clock.now
        let (statement, plan) = try planned()
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
        case .set, .reset, .show:
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
