import Foundation
public import StrataCore
import StrataExecution
import StrataExperiments
public import StrataPlanner
import StrataSQL
public import StrataStorage

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
        let catalog = sqlCatalog
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

extension Database {
    /// Runs one SQL statement whose `?` or `$1` placeholders take `parameters`, in order.
    ///
    /// A placeholder stands wherever a value may: WHERE, the SELECT list, LIMIT and OFFSET, IN lists,
    /// function arguments, subqueries and joins. It is bound as a value, never spliced into the text, and
    /// the statement answers as the same text with each value written as a literal would: a string compared
    /// with a TIMESTAMP column is read as a timestamp, a NULL compares as NULL. `?` placeholders are
    /// numbered from left to right; `$n` may repeat.
    ///
    /// ```swift
    /// let rows = try db.query("SELECT count(*) FROM events WHERE country = ? AND ts >= ?", ["DE", "2026-10-01"])
    /// ```
    ///
    /// - Parameters:
    ///   - sql: One statement, optionally ending with `;`.
    ///   - parameters: One value for each `?`, or for each `$n` from `$1` up.
    /// - Returns: As ``query(_:)``.
    /// - Throws: As ``query(_:)``; `binding` when a placeholder has no value or a value no placeholder
    ///   (with the placeholder's position), and `syntax` when a statement mixes `?`, `$1` and `$name`.
    public func query(_ sql: String, _ parameters: [Value]) throws(StrataError) -> QueryResult {
        try runSQL(sql, parameters: .positional(parameters), options: QueryOptions())
    }

    /// Runs one SQL statement whose `$name` placeholders take the values of `parameters`, matched by
    /// name without regard to case; see ``query(_:_:)-(String,[Value])``.
    ///
    /// ```swift
    /// let rows = try db.query("SELECT * FROM events WHERE user_id = $user LIMIT $n", ["user": "u1", "n": 10])
    /// ```
    public func query(_ sql: String, _ parameters: [String: Value]) throws(StrataError) -> QueryResult {
        try runSQL(sql, parameters: .named(parameters), options: QueryOptions())
    }

    /// Runs one SQL statement with positional parameters under a timeout and memory limit; see
    /// ``query(_:_:)-(String,[Value])`` and ``query(_:options:)``.
    public func query(_ sql: String, _ parameters: [Value], options: QueryOptions) throws(StrataError)
        -> QueryResult
    {
        try runSQL(sql, parameters: .positional(parameters), options: options)
    }

    /// Runs one SQL statement with named parameters under a timeout and memory limit; see
    /// ``query(_:_:)-(String,[String:Value])`` and ``query(_:options:)``.
    public func query(_ sql: String, _ parameters: [String: Value], options: QueryOptions) throws(StrataError)
        -> QueryResult
    {
        try runSQL(sql, parameters: .named(parameters), options: options)
    }

    /// Runs one SQL statement with positional parameters; cancelling the calling task stops it with a
    /// `cancelled` error. See ``query(_:_:)-(String,[Value])``.
    public func query(_ sql: String, _ parameters: [Value], options: QueryOptions) async throws(StrataError)
        -> QueryResult
    {
        try await runSQLCancellable(sql, parameters: .positional(parameters), options: options)
    }

    /// Runs one SQL statement with named parameters; cancelling the calling task stops it with a
    /// `cancelled` error. See ``query(_:_:)-(String,[String:Value])``.
    public func query(_ sql: String, _ parameters: [String: Value], options: QueryOptions) async throws(StrataError)
        -> QueryResult
    {
        try await runSQLCancellable(sql, parameters: .named(parameters), options: options)
    }

    /// Plans and runs `sql` (parsed already when `parsed` is given) with `parameters`.
    func runSQL(
        _ sql: String, parameters: ParameterValues, options: QueryOptions,
        context: QueryContext? = nil, parsed: SQLStatementRunner.ParsedStatement? = nil
    ) throws(StrataError) -> QueryResult {
        try SQLStatementRunner(
            sql: sql, catalog: sqlCatalog, options: options, context: context ?? QueryContext(options: options),
            parameters: parameters, parsed: parsed
        ).run()
    }

    /// ``runSQL(_:parameters:options:context:parsed:)`` under a context the calling task's cancellation cancels.
    func runSQLCancellable(
        _ sql: String, parameters: ParameterValues, options: QueryOptions,
        parsed: SQLStatementRunner.ParsedStatement? = nil
    ) async throws(StrataError) -> QueryResult {
        let context = QueryContext(options: options)
        let result = await withTaskCancellationHandler {
            Result { () throws(StrataError) -> QueryResult in
                try runSQL(sql, parameters: parameters, options: options, context: context, parsed: parsed)
            }
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
        let catalog = sqlCatalog
        return try SQLStatementRunner(sql: sql, catalog: catalog, options: QueryOptions(), context: QueryContext())
            .run()
    }

    /// Runs one SQL statement over this snapshot with values for its `?` or `$n` placeholders; see
    /// ``Database/query(_:_:)-(String,[Value])``.
    public func query(_ sql: String, _ parameters: [Value]) throws(StrataError) -> QueryResult {
        try SQLStatementRunner(
            sql: sql, catalog: sqlCatalog, options: QueryOptions(), context: QueryContext(),
            parameters: .positional(parameters)
        ).run()
    }

    /// Runs one SQL statement over this snapshot with values for its `$name` placeholders; see
    /// ``Database/query(_:_:)-(String,[String:Value])``.
    public func query(_ sql: String, _ parameters: [String: Value]) throws(StrataError) -> QueryResult {
        try SQLStatementRunner(
            sql: sql, catalog: sqlCatalog, options: QueryOptions(), context: QueryContext(),
            parameters: .named(parameters)
        ).run()
    }

    /// Runs one SQL statement over this snapshot under a timeout and memory limit; see
    /// ``Database/query(_:options:)``.
    public func query(_ sql: String, options: QueryOptions) throws(StrataError) -> QueryResult {
        let catalog = sqlCatalog
        return try SQLStatementRunner(
            sql: sql, catalog: catalog, options: options, context: QueryContext(options: options)
        ).run()
    }
}

extension Database {
    /// Whether `sql` is one statement that changes a database (`CREATE TABLE`, `DROP TABLE`, `INSERT`), which a
    /// front end must open for writing; false for queries and for text that does not parse.
    public static func changesData(_ sql: String) -> Bool {
        (try? SQLParser.parse(sql))?.changesData ?? false
    }
}

/// The functions SQL can call in FROM.
private let tableFunctions: [any TableFunction] = [ExperimentAnalysisFunction()]

extension Database {
    /// Every table, each pinned to a fresh snapshot when a statement first reads it.
    var sqlCatalog: SQLCatalog {
        // DuckDB names the catalog after the database file, `memory` when there is none.
        let name = path.map { ($0 as NSString).lastPathComponent }.flatMap { $0.isEmpty ? nil : $0 } ?? "memory"
        return SQLCatalog(
            databaseName: name, tableNames: tableNames, tableFunctions: tableFunctions, database: self,
            views: viewNames.compactMap { view(named: $0) }
        ) {
            [self] name in
            try? table(named: name).snapshot()
        }
    }
}

extension TableSnapshot {
    /// This snapshot's table alone.
    var sqlCatalog: SQLCatalog {
        SQLCatalog(tableNames: [spec.name], tableFunctions: tableFunctions) { [self] name in
            name.lowercased() == spec.name.lowercased() ? self : nil
        }
    }
}
