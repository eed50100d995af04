public import StrataCore
import StrataPlanner
import StrataSQL

/// A SQL statement parsed once, to run many times with different values for its placeholders.
///
/// ```swift
/// let perCountry = try db.prepare("SELECT count(*) FROM events WHERE country = ? AND ts >= ?")
/// for country in ["DE", "FR", "US"] {
///     let result = try perCountry.query([.string(country), "2026-10-01"])
/// }
/// ```
///
/// The text is parsed and its placeholders are checked when the statement is prepared; each run binds
/// the values, plans against the tables' newest snapshots and runs. Planning again on each run keeps
/// every run correct: a run sees the rows appended since the last one, and the optimisations that read
/// the values (skipping segments outside a WHERE's time range, bitmap index lookups, a LIMIT pushed into
/// the scan) apply to each run's values.
///
/// A prepared statement is a value: copy it to other threads and run it from several at once.
public struct PreparedStatement: Sendable {
    /// The statement's text.
    public let sql: String
    private let database: Database
    private let parsed: SQLStatementRunner.ParsedStatement

    init(database: Database, sql: String) throws(StrataError) {
        self.database = database
        self.sql = sql
        self.parsed = try SQLStatementRunner.ParsedStatement(sql)
    }

    /// How many values a run takes for `?` or `$n` placeholders (the number of `?`, or the highest `$n`);
    /// 0 for a statement with named placeholders or none.
    public var parameterCount: Int { parsed.parameters.count }

    /// The names of the statement's `$name` placeholders, lower-cased, in order of first appearance.
    public var parameterNames: [String] { parsed.parameters.names }

    /// Runs the statement with `parameters` for its `?` or `$n` placeholders, in order.
    ///
    /// - Parameter parameters: One value per placeholder; empty for a statement without placeholders.
    /// - Returns: As ``Database/query(_:)``.
    /// - Throws: As ``Database/query(_:_:)-(String,[Value])``.
    public func query(_ parameters: [Value] = []) throws(StrataError) -> QueryResult {
        try database.runSQL(sql, parameters: .positional(parameters), options: QueryOptions(), parsed: parsed)
    }

    /// Runs the statement with `parameters` for its `$name` placeholders; see ``query(_:)-([Value])``.
    public func query(_ parameters: [String: Value]) throws(StrataError) -> QueryResult {
        try database.runSQL(sql, parameters: .named(parameters), options: QueryOptions(), parsed: parsed)
    }

    /// Runs the statement with positional parameters under a timeout and memory limit.
    public func query(_ parameters: [Value], options: QueryOptions) throws(StrataError) -> QueryResult {
        try database.runSQL(sql, parameters: .positional(parameters), options: options, parsed: parsed)
    }

    /// Runs the statement with named parameters under a timeout and memory limit.
    public func query(_ parameters: [String: Value], options: QueryOptions) throws(StrataError) -> QueryResult {
        try database.runSQL(sql, parameters: .named(parameters), options: options, parsed: parsed)
    }

    /// Runs the statement with positional parameters; cancelling the calling task stops it with a
    /// `cancelled` error.
    public func query(_ parameters: [Value], options: QueryOptions) async throws(StrataError) -> QueryResult {
        try await database.runSQLCancellable(sql, parameters: .positional(parameters), options: options, parsed: parsed)
    }

    /// Runs the statement with named parameters; cancelling the calling task stops it with a `cancelled` error.
    public func query(_ parameters: [String: Value], options: QueryOptions) async throws(StrataError)
        -> QueryResult
    {
        try await database.runSQLCancellable(sql, parameters: .named(parameters), options: options, parsed: parsed)
    }
}

extension Database {
    /// Parses a statement once, to run many times with different values for its `?`, `$n` or `$name`
    /// placeholders; see ``PreparedStatement``.
    ///
    /// - Parameter sql: One statement, optionally ending with `;`.
    /// - Returns: The prepared statement.
    /// - Throws: `syntax` errors as ``query(_:)``, including a statement that mixes placeholder styles.
    public func prepare(_ sql: String) throws(StrataError) -> PreparedStatement {
        try PreparedStatement(database: self, sql: sql)
    }
}
