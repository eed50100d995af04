public import StrataCore
public import StrataPlanner

extension Database {
    /// Runs one SQL statement and hands back its rows a batch at a time, as they are made: `SELECT *`,
    /// filters and projections stream from the segments (bounded memory for any number of rows);
    /// aggregates and sorts stream their finished rows. See ``query(_:)`` for the SQL.
    ///
    /// ```swift
    /// for try await batch in try db.stream("SELECT user_id, ts FROM events") { export(batch.rows) }
    /// ```
    /// - Throws: As ``query(_:)``; errors while reading come from ``QueryStream/next()``.
    public func stream(_ sql: String, options: QueryOptions = QueryOptions()) throws(StrataError) -> QueryStream {
        let catalog = sqlCatalog
        return try SQLStatementRunner(sql: sql, catalog: catalog, options: options, context: QueryContext(options: options))
            .stream()
    }

    /// Runs one SQL statement whose `?` or `$n` placeholders take `parameters` and hands back its rows a batch at
    /// a time; see ``stream(_:options:)`` and ``query(_:_:)-(String,[Value])``.
    public func stream(_ sql: String, _ parameters: [Value], options: QueryOptions = QueryOptions())
        throws(StrataError) -> QueryStream
    {
        try SQLStatementRunner(
            sql: sql, catalog: sqlCatalog, options: options, context: QueryContext(options: options),
            parameters: .positional(parameters)
        ).stream()
    }

    /// Runs one SQL statement whose `$name` placeholders take `parameters` and hands back its rows a batch at a
    /// time; see ``stream(_:options:)`` and ``query(_:_:)-(String,[String:Value])``.
    public func stream(_ sql: String, _ parameters: [String: Value], options: QueryOptions = QueryOptions())
        throws(StrataError) -> QueryStream
    {
        try SQLStatementRunner(
            sql: sql, catalog: sqlCatalog, options: options, context: QueryContext(options: options),
            parameters: .named(parameters)
        ).stream()
    }
}
