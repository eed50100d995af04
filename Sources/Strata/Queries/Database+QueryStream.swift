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
}
