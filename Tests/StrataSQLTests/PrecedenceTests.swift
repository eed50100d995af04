import StrataCore
import StrataSQL
import Testing

@Suite("Operator precedence")
struct PrecedenceTests {
    @Test(
        "binds like PostgreSQL and DuckDB",
        arguments: [
            ("a OR b AND c", "a OR (b AND c)"),
            ("a AND b OR c", "(a AND b) OR c"),
            ("a OR b OR c", "(a OR b) OR c"),
            ("NOT a AND b", "(NOT a) AND b"),
            ("NOT a = b", "NOT (a = b)"),
            ("NOT NOT a", "NOT (NOT a)"),
            ("NOT a IS NULL", "NOT (a IS NULL)"),
            ("a = b AND c < d", "(a = b) AND (c < d)"),
            ("a = 1 IS NULL", "(a = 1) IS NULL"),
            ("a = b IN (1)", "a = (b IN (1))"),
            ("a IN (1) = TRUE", "(a IN (1)) = TRUE"),
            ("a BETWEEN 1 AND 2 AND b", "(a BETWEEN 1 AND 2) AND b"),
            ("a BETWEEN b + 1 AND c * 2", "a BETWEEN (b + 1) AND (c * 2)"),
            ("a LIKE 'x' || 'y'", "a LIKE ('x' || 'y')"),
            ("a NOT LIKE 'x' OR b", "(a NOT LIKE 'x') OR b"),
            ("a || b = c", "(a || b) = c"),
            ("a || b + c", "a || (b + c)"),
            ("a + b || c", "(a + b) || c"),
            ("a + b * c", "a + (b * c)"),
            ("a * b + c", "(a * b) + c"),
            ("a - b - c", "(a - b) - c"),
            ("a / b * c", "(a / b) * c"),
            ("a % b * c", "(a % b) * c"),
            ("-a * b", "(-a) * b"),
            ("-a::int", "-(a::int)"),
            ("a + b::int", "a + (b::int)"),
            ("x = 1 OR y = 2 AND NOT z", "(x = 1) OR ((y = 2) AND (NOT z))"),
        ])
    func binding(sql: String, explicit: String) throws {
        #expect(try expression(sql) == (try expression(explicit)))
    }

    @Test(
        "prints only the parentheses precedence needs",
        arguments: [
            ("a+b*c", "a + b * c"),
            ("(a+b)*c", "(a + b) * c"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "a - b - c"),
            ("NOT (a AND b)", "NOT (a AND b)"),
            ("(NOT a) = b", "(NOT a) = b"),
            ("-(a + b)", "-(a + b)"),
            ("-(-a)", "-(-a)"),
            ("-(-1)", "-(-1)"),
            ("x::int + 1", "CAST(x AS INTEGER) + 1"),
            ("a != b", "a <> b"),
            ("(a OR b) AND c", "(a OR b) AND c"),
            ("a OR (b AND c)", "a OR b AND c"),
            ("(a BETWEEN 1 AND 2) = FALSE", "a BETWEEN 1 AND 2 = FALSE"),
            ("a BETWEEN (1 BETWEEN 0 AND 2) AND 3", "a BETWEEN (1 BETWEEN 0 AND 2) AND 3"),
            ("(a < b) = c", "(a < b) = c"),
            ("a = (b < c)", "a = (b < c)"),
            ("(a LIKE 'x') IN (TRUE)", "(a LIKE 'x') IN (TRUE)"),
            ("(a IN (1)) BETWEEN b AND c", "(a IN (1)) BETWEEN b AND c"),
            ("(a BETWEEN 1 AND 2) NOT LIKE c", "(a BETWEEN 1 AND 2) NOT LIKE c"),
            ("(a IS NULL) IS NULL", "a IS NULL IS NULL"),
            ("(a = b) IS NOT NULL", "a = b IS NOT NULL"),
            ("a LIKE (b || 'x')", "a LIKE b || 'x'"),
            ("'a' || ('b' || 'c')", "'a' || ('b' || 'c')"),
        ])
    func canonicalText(sql: String, canonical: String) throws {
        let parsed = try expression(sql)
        #expect(parsed.description == canonical)
        #expect(try expression(canonical) == parsed)
    }

    @Test(
        "comparisons and BETWEEN/IN/LIKE do not chain, as in DuckDB",
        arguments: [
            ("a < b = c", 7, "comparisons cannot be chained: combine them with AND, or add parentheses, found '='"),
            (
                "a = b + 1 <> c", 11,
                "comparisons cannot be chained: combine them with AND, or add parentheses, found '<>'"
            ),
            (
                "a BETWEEN 1 AND 2 LIKE 'x'", 19,
                "BETWEEN, IN, LIKE and ILIKE cannot be chained: add parentheses, found 'LIKE'"
            ),
            ("a IN (1) NOT IN (2)", 10, "BETWEEN, IN, LIKE and ILIKE cannot be chained: add parentheses, found 'NOT'"),
        ]
    )
    func noChaining(sql: String, column: Int, message: String) throws {
        do {
            _ = try SQLParser.parseExpression(sql)
            Issue.record("\(sql) parsed")
        } catch {
            #expect(error.message == message)
            #expect(error.location?.column == column)
        }
    }
}
