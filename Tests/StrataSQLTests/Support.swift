import StrataCore
import StrataSQL
import Testing

/// Parses a statement, failing the test with the error text when it does not parse.
func parse(_ sql: String) throws -> SQLStatement {
    try SQLParser.parse(sql)
}

/// Parses a query (no EXPLAIN).
func query(_ sql: String) throws -> SelectStatement {
    try #require(try SQLParser.parse(sql).query)
}

/// Parses a lone expression.
func expression(_ sql: String) throws -> SQLExpression {
    try SQLParser.parseExpression(sql)
}

/// The error parsing `sql` throws, or nil when it parses.
func parseError(_ sql: String) -> StrataError? {
    do {
        _ = try SQLParser.parse(sql)
        return nil
    } catch {
        return error
    }
}

/// The expression of the first select item of a parsed query.
func firstItem(_ sql: String) throws -> SQLExpression? {
    guard case .expression(let expression, _) = try query(sql).items.first else { return nil }
    return expression
}

// Builders for expected ASTs (ranges are ignored by equality).
func col(_ name: String, _ table: String? = nil) -> SQLExpression {
    SQLExpression(.column(ColumnReference(table: table.map { Identifier($0) }, column: Identifier(name))))
}

func int(_ value: Int64) -> SQLExpression { SQLExpression(.literal(.integer(value))) }

func str(_ value: String) -> SQLExpression { SQLExpression(.literal(.string(value))) }

func lit(_ literal: Literal) -> SQLExpression { SQLExpression(.literal(literal)) }

func bin(_ op: BinaryOperator, _ left: SQLExpression, _ right: SQLExpression) -> SQLExpression {
    SQLExpression(.binary(op, left, right))
}

func call(
    _ name: String, _ arguments: SQLExpression..., star: Bool = false, distinct: Bool = false,
    filter: SQLExpression? = nil
) -> SQLExpression {
    SQLExpression(
        .function(
            FunctionCall(
                name: Identifier(name), arguments: arguments, isStar: star, isDistinct: distinct, filter: filter)))
}
