import StrataCore
import StrataSQL
import Testing

/// Placeholders in the parser: `?` numbered left to right, `$n`, `$name`, where they were written, and the
/// statement's parameter list.
@Suite("Parameter syntax")
struct ParameterSyntaxTests {
    @Test(
        "placeholders print back as written and parse again to the same statement",
        arguments: [
            "SELECT ? AS a, x FROM t WHERE y IN (?, ?) AND z = lower(?) LIMIT ? OFFSET ?",
            "SELECT $2 + $1, $2 FROM t WHERE ts >= $1",
            "SELECT count(*) FROM t WHERE user_id = $user AND country = $Country",
            "SELECT (SELECT max(x) FROM u WHERE u.k = t.k AND u.v > ?) FROM t JOIN u ON t.k = u.k AND u.w < ?",
        ])
    func roundTrip(sql: String) throws {
        let (statement, _) = try SQLParser.parseWithParameters(sql)
        let again = try SQLParser.parseWithParameters(statement.description)
        #expect(again.statement == statement)
    }

    @Test("'?' is numbered from left to right and counted")
    func questionMarks() throws {
        let (statement, parameters) = try SQLParser.parseWithParameters("SELECT ?, f(?) FROM t WHERE x = ?")
        #expect(parameters.style == .question)
        #expect(parameters.count == 3)
        #expect(parameters.range(of: .next(2)) == SourceRange(offset: 12, length: 1))
        guard case .select(let select) = statement, case .expression(let first, _) = select.items[0] else {
            Issue.record("not a select: \(statement)")
            return
        }
        #expect(first.kind == .parameter(.next(1)))
    }

    @Test("'$n' counts to the highest number; '$name' lists names once, lower-cased")
    func numberedAndNamed() throws {
        let numbered = try SQLParser.parseWithParameters("SELECT $3, $1, $3").parameters
        #expect(numbered.style == .numbered)
        #expect(numbered.count == 3)
        #expect(numbered.range(of: .numbered(3)) == SourceRange(offset: 7, length: 2))
        #expect(numbered.range(of: .numbered(2)) == nil)
        let named = try SQLParser.parseWithParameters("SELECT $Day, $n, $day").parameters
        #expect(named.style == .named)
        #expect(named.names == ["day", "n"])
        #expect(named.count == 0)
        #expect(try SQLParser.parseWithParameters("SELECT 1").parameters.isEmpty)
    }

    @Test(
        "mixed styles and malformed placeholders are syntax errors at the placeholder",
        arguments: [
            ("SELECT ?, $1", 10), ("SELECT $a, ?", 11), ("SELECT $1 + $b", 12), ("SELECT $0", 7), ("SELECT $", 7),
            ("SELECT $1x", 7), ("SELECT ? ?", 9),
        ])
    func errors(sql: String, offset: Int) {
        let error = #expect(throws: StrataError.self) { try SQLParser.parseWithParameters(sql) }
        #expect(error?.code == .syntax)
        #expect(error?.location?.offset == offset, "\(String(describing: error))")
    }
}
