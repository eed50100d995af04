public import StrataCore

/// The entry point of the SQL front end: turns query text into an AST.
///
/// The dialect is the subset of DuckDB's that Strata runs (DESIGN.md §5), so the same text runs on
/// both. The parser checks syntax only; names, types and functions are checked by the binder.
///
/// ```swift
/// let statement = try SQLParser.parse("SELECT variant, count(*) FROM events GROUP BY variant")
/// print(statement)  // canonical SQL
/// ```
public enum SQLParser {
    /// Parses one statement: a query, optionally prefixed by `EXPLAIN` or `EXPLAIN ANALYZE`, optionally
    /// followed by a semicolon.
    ///
    /// - Parameter sql: The query text.
    /// - Returns: The statement's AST; every expression carries its byte range in `sql`.
    /// - Throws: A ``StrataError`` with code `.syntax` whose location names the line, column and byte
    ///   offset of the offending token, whose message says what was expected and what was found, and
    ///   whose detail shows the query line with a caret under the token. Valid SQL that Strata does not
    ///   support (joins, window functions…) throws `.unsupported` with the same position information;
    ///   absurdly deep nesting throws `.limit`.
    /// - Complexity: O(n) in the length of `sql`.
    public static func parse(_ sql: String) throws(StrataError) -> SQLStatement {
        var parser = try Parser(sql)
        return try parser.statement()
    }

    /// Parses one statement as ``parse(_:)`` does, and lists its placeholders (`?`, `$1`, `$name`).
    ///
    /// - Returns: The statement and its parameters: their style, count or names, and where each was
    ///   first written.
    /// - Throws: As ``parse(_:)``; mixing placeholder styles (`?` with `$1`) is a syntax error at the
    ///   placeholder that mixes them.
    public static func parseWithParameters(_ sql: String) throws(StrataError)
        -> (statement: SQLStatement, parameters: StatementParameters)
    {
        var parser = try Parser(sql)
        let statement = try parser.statement()
        return (statement, parser.parameters)
    }

    /// Parses a lone expression, such as a filter written by a person in a tool: `country = 'DE' AND
    /// ts >= TIMESTAMP '2026-10-01'`.
    ///
    /// - Parameter sql: The expression text.
    /// - Returns: The expression; ranges are byte offsets in `sql`.
    /// - Throws: The same errors as ``parse(_:)``.
    public static func parseExpression(_ sql: String) throws(StrataError) -> SQLExpression {
        var parser = try Parser(sql)
        let expression = try parser.expression()
        try parser.expectEnd(.expression)
        return expression
    }
}
