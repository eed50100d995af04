import StrataCore
import StrataSQL
import Testing

/// One bad query and the exact error it must produce.
struct BadQuery: Sendable, CustomTestStringConvertible {
    var sql: String
    var message: String
    var line: Int
    var column: Int
    /// The caret snippet: the offending line, then the caret line.
    var detail: String

    var testDescription: String { sql }
}

@Suite("Syntax errors")
struct SyntaxErrorTests {
    static let cases: [BadQuery] = [
        BadQuery(
            sql: "SELECT a FROM", message: "expected a table name or subquery, found end of query", line: 1, column: 14,
            detail: "SELECT a FROM\n             ^"),
        BadQuery(
            sql: "SELECT a FROM WHERE a = 1", message: "expected a table name or subquery, found 'WHERE'", line: 1,
            column: 15, detail: "SELECT a FROM WHERE a = 1\n              ^"),
        BadQuery(
            sql: "SELECT * FROM t WHERE s = 'abc", message: "unterminated string literal: the ' here is never closed",
            line: 1, column: 27, detail: "SELECT * FROM t WHERE s = 'abc\n                          ^"),
        BadQuery(
            sql: "SELECT a FROM t WHERE a = #1", message: "unexpected character '#'", line: 1, column: 27,
            detail: "SELECT a FROM t WHERE a = #1\n                          ^"),
        BadQuery(
            sql: "SELECT a FROM t LIMIT 10 garbage", message: "expected end of query, found 'garbage'", line: 1,
            column: 26, detail: "SELECT a FROM t LIMIT 10 garbage\n                         ^"),
        BadQuery(
            sql: "SELECT (a + b FROM t", message: "expected ')', found 'FROM'", line: 1, column: 15,
            detail: "SELECT (a + b FROM t\n              ^"),
        BadQuery(
            sql: "SELECT sum(x FROM t", message: "expected ')', found 'FROM'", line: 1, column: 14,
            detail: "SELECT sum(x FROM t\n             ^"),
        BadQuery(
            sql: "SELECT x FROM (SELECT a FROM t", message: "expected ')', found end of query", line: 1, column: 31,
            detail: "SELECT x FROM (SELECT a FROM t\n                              ^"),
        BadQuery(
            sql: "SELECT FROM t", message: "expected an expression, found 'FROM'", line: 1, column: 8,
            detail: "SELECT FROM t\n       ^"),
        BadQuery(
            sql: "SELECT user_id FORM events", message: "expected FROM, found 'FORM'", line: 1, column: 16,
            detail: "SELECT user_id FORM events\n               ^"),
        BadQuery(
            sql: "SELECT a FROM t WHER a = 1", message: "expected WHERE, found 'WHER'", line: 1, column: 17,
            detail: "SELECT a FROM t WHER a = 1\n                ^"),
        BadQuery(
            sql: "SELECT a FROM t GRUOP BY a", message: "expected GROUP BY, found 'GRUOP'", line: 1, column: 17,
            detail: "SELECT a FROM t GRUOP BY a\n                ^"),
        BadQuery(
            sql: "SELECT a FROM t WHERE a > 1 ODER BY a", message: "expected ORDER BY, found 'ODER'", line: 1,
            column: 29, detail: "SELECT a FROM t WHERE a > 1 ODER BY a\n                            ^"),
        BadQuery(
            sql: "SELECT a FROM t ORDER BY a DESCC", message: "expected DESC, found 'DESCC'", line: 1, column: 28,
            detail: "SELECT a FROM t ORDER BY a DESCC\n                           ^"),
        BadQuery(
            sql: "SELECT a FROM t LIMT 5", message: "expected LIMIT, found 'LIMT'", line: 1, column: 17,
            detail: "SELECT a FROM t LIMT 5\n                ^"),
        BadQuery(
            sql: "SELCT a FROM t", message: "expected SELECT, found 'SELCT'", line: 1, column: 1,
            detail: "SELCT a FROM t\n^"),
        BadQuery(
            sql: "SELECT variant,\n       count(*)\nFROM events\nWHERE experiment = 'exp_001' AND\nGROUP BY variant",
            message: "expected an expression, found 'GROUP'", line: 5, column: 1, detail: "GROUP BY variant\n^"),
        BadQuery(
            sql: "SELECT a,, b FROM t", message: "expected an expression, found ','", line: 1, column: 10,
            detail: "SELECT a,, b FROM t\n         ^"),
        BadQuery(
            sql: "SELECT CAST(a AS FOO) FROM t",
            message:
                "expected a type name (BIGINT, BOOLEAN, DATE, DECIMAL, DOUBLE, HUGEINT, INTEGER, TIMESTAMP, VARCHAR), "
                + "found 'FOO'",
            line: 1, column: 18, detail: "SELECT CAST(a AS FOO) FROM t\n                 ^"),
        BadQuery(
            sql: "SELECT a FROM t WHERE a IS 5", message: "expected NULL, found '5'", line: 1, column: 28,
            detail: "SELECT a FROM t WHERE a IS 5\n                           ^"),
        BadQuery(
            sql: "SELECT CASE a END FROM t", message: "expected WHEN, found 'END'", line: 1, column: 15,
            detail: "SELECT CASE a END FROM t\n              ^"),
        BadQuery(
            sql: "SELECT a FROM t ORDER a", message: "expected BY, found 'a'", line: 1, column: 23,
            detail: "SELECT a FROM t ORDER a\n                      ^"),
        BadQuery(
            sql: "SELECT a FROM t WHERE a IN (1,)", message: "expected an expression, found ')'", line: 1, column: 31,
            detail: "SELECT a FROM t WHERE a IN (1,)\n                              ^"),
        BadQuery(
            sql: "SELECT a AS FROM t", message: "expected an alias, found 'FROM'", line: 1, column: 13,
            detail: "SELECT a AS FROM t\n            ^"),
        BadQuery(sql: "", message: "expected SELECT, found end of query", line: 1, column: 1, detail: "\n^"),
        BadQuery(
            sql: "SELECT a FROM t WHERE", message: "expected an expression, found end of query", line: 1, column: 22,
            detail: "SELECT a FROM t WHERE\n                     ^"),
        BadQuery(
            sql: "EXPLAIN", message: "expected SELECT after EXPLAIN, found end of query", line: 1, column: 8,
            detail: "EXPLAIN\n       ^"),
        BadQuery(
            sql: "SELECT a b c FROM t", message: "expected ',' or FROM, found 'c'", line: 1, column: 12,
            detail: "SELECT a b c FROM t\n           ^"),
        BadQuery(
            sql: "SELECT 'ü' FORM t", message: "expected FROM, found 'FORM'", line: 1, column: 12,
            detail: "SELECT 'ü' FORM t\n           ^"),
        BadQuery(
            sql: "SELECT\ta FORM t", message: "expected FROM, found 'FORM'", line: 1, column: 10,
            detail: "SELECT\ta FORM t\n      \t  ^"),
        BadQuery(
            sql: "SELECT count(*) FILTER (WHERE a = 1 FROM t", message: "expected ')', found 'FROM'", line: 1,
            column: 37, detail: "SELECT count(*) FILTER (WHERE a = 1 FROM t\n                                    ^"),
        BadQuery(
            sql: "SELECT a FROM t WHERE a BETWEEN 1 OR 2", message: "expected AND, found 'OR'", line: 1, column: 35,
            detail: "SELECT a FROM t WHERE a BETWEEN 1 OR 2\n                                  ^"),
        BadQuery(
            sql: "SELECT count(* FROM t", message: "expected ')' after '*', found 'FROM'", line: 1, column: 16,
            detail: "SELECT count(* FROM t\n               ^"),
        BadQuery(
            sql: "SELECT INTERVAL 5 FROM t",
            message:
                "expected an interval unit (MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR), "
                + "found 'FROM'", line: 1, column: 19, detail: "SELECT INTERVAL 5 FROM t\n                  ^"),
        BadQuery(
            sql: "SELECT a\nFROM t\nWHERE s = 'open\n",
            message: "unterminated string literal: the ' here is never closed",
            line: 3, column: 11, detail: "WHERE s = 'open\n          ^"),
        BadQuery(
            sql: "SELECT a FROM (SELECT b FROM u x y) s", message: "expected ')', found 'y'", line: 1, column: 34,
            detail: "SELECT a FROM (SELECT b FROM u x y) s\n                                 ^"),
        BadQuery(
            sql: "WITH a AS SELECT 1 SELECT * FROM a", message: "expected '(', found 'SELECT'", line: 1, column: 11,
            detail: "WITH a AS SELECT 1 SELECT * FROM a\n          ^"),
        BadQuery(
            sql: "SELECT a FROM t ORDER BY a NULLS MIDDLE", message: "expected FIRST or LAST, found 'MIDDLE'", line: 1,
            column: 34, detail: "SELECT a FROM t ORDER BY a NULLS MIDDLE\n                                 ^"),
    ]

    @Test("names the line, column and offset, says what was expected and found, and shows a caret", arguments: cases)
    func badQuery(_ bad: BadQuery) throws {
        let error = try #require(parseError(bad.sql))
        #expect(error.code == .syntax)
        #expect(error.message == bad.message)
        #expect(error.location?.line == bad.line)
        #expect(error.location?.column == bad.column)
        #expect(error.detail == bad.detail)
        #expect(error.location?.offset == SQLSourceText(bad.sql).location(at: error.location?.offset ?? -1).offset)
    }

    @Test("the error reads as one line plus the caret snippet")
    func fullDescription() throws {
        let error = try #require(parseError("SELECT user_id FORM events"))
        #expect(
            error.description
                == "1:16: syntax error: expected FROM, found 'FORM'\nSELECT user_id FORM events\n               ^")
        #expect(error.location?.offset == 15)
    }

    @Test("a lone expression must end where it ends")
    func expressionTrailingGarbage() throws {
        do {
            _ = try SQLParser.parseExpression("a = 1 b")
            Issue.record("parsed")
        } catch {
            #expect(error.message == "expected end of expression, found 'b'")
            #expect(error.location?.column == 7)
        }
    }
}
