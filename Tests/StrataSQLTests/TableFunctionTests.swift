import StrataCore
import StrataSQL
import Testing

@Suite("Table functions in FROM")
struct TableFunctionTests {
    static let metric = "converted=binomial(event = 'purchase')"

    func function(_ sql: String) throws -> TableFunctionCall? {
        guard case .function(let call)? = try query(sql).from?.source else { return nil }
        return call
    }

    @Test("positional arguments, then named ones written = or =>; the alias and positions are kept")
    func arguments() throws {
        let sql =
            "SELECT * FROM experiment_analysis('events', 'exp_000', 'converted=binomial(event = ''purchase'')', "
            + "window = '0d..14d', alpha => 0.01) AS e WHERE p_value < 0.05"
        let statement = try query(sql)
        let call = try #require(try function(sql))
        #expect(call.name == Identifier("experiment_analysis"))
        #expect(call.arguments == [str("events"), str("exp_000"), str(Self.metric)])
        #expect(
            call.namedArguments == [
                .init(name: Identifier("window"), value: str("0d..14d")),
                .init(name: Identifier("alpha"), value: lit(.decimal("0.01"))),
            ])
        #expect(statement.from?.alias == Identifier("e"))
        let text = Array(sql.utf8)
        func written(_ range: SourceRange) -> String {
            String(decoding: text[range.offset..<range.end], as: UTF8.self)
        }
        #expect(written(call.name.range) == "experiment_analysis")
        #expect(written(call.arguments[2].range) == "'converted=binomial(event = ''purchase'')'")
        #expect(written(call.namedArguments[0].name.range) == "window")
        #expect(written(call.namedArguments[1].value.range) == "0.01")
        #expect(written(call.range).hasPrefix("experiment_analysis(") && written(call.range).hasSuffix("0.01)"))
        #expect(statement.whereClause == bin(.less, col("p_value"), lit(.decimal("0.05"))))
    }

    @Test(
        "canonical SQL reads back as the same query",
        arguments: [
            "SELECT * FROM f()",
            "SELECT a FROM f(1, 'x', -2.5) AS t ORDER BY 1",
            "SELECT metric, lift FROM experiment_analysis('events', 'e', 'm=count()', cap = 0.99, sequential = TRUE)",
            "SELECT x FROM (SELECT * FROM f('a', k => 'v')) AS s",
        ])
    func roundTrip(sql: String) throws {
        let first = try query(sql)
        let again = try query(first.description)
        #expect(first == again)
        #expect(first.description == again.description)
    }

    @Test("any name parses as a table function; the binder decides which exist")
    func anyName() throws {
        #expect(try function("SELECT a FROM read_csv('x.csv')")?.arguments == [str("x.csv")])
        #expect(try function("SELECT a FROM \"Quoted\"()")?.name.isQuoted == true)
    }

    @Test("=> and = give the same call")
    func arrowAndEquals() throws {
        #expect(try function("SELECT * FROM f('a', k => 1)") == function("SELECT * FROM f('a', k = 1)"))
        #expect(try function("SELECT * FROM f('a', k => 1)")?.description == "f('a', k = 1)")
    }

    @Test(
        "malformed calls: the error names the position",
        arguments: [
            BadQuery(
                sql: "SELECT * FROM f(k = 1, 'x')",
                message: "positional arguments come before named ones (after 'k = …')",
                line: 1, column: 24, detail: "SELECT * FROM f(k = 1, 'x')\n                       ^"),
            BadQuery(
                sql: "SELECT * FROM f(k = 1, K => 2)", message: "the argument 'K' is given twice", line: 1, column: 24,
                detail: "SELECT * FROM f(k = 1, K => 2)\n                       ^"),
            BadQuery(
                sql: "SELECT * FROM f('a' x)", message: "expected ')', found 'x'", line: 1, column: 21,
                detail: "SELECT * FROM f('a' x)\n                    ^"),
            BadQuery(
                sql: "SELECT * FROM f('a',)", message: "expected an expression, found ')'", line: 1, column: 21,
                detail: "SELECT * FROM f('a',)\n                    ^"),
            BadQuery(
                sql: "SELECT * FROM f(k = )", message: "expected an expression, found ')'", line: 1, column: 21,
                detail: "SELECT * FROM f(k = )\n                    ^"),
        ])
    func malformed(bad: BadQuery) throws {
        let error = try #require(parseError(bad.sql))
        #expect(error.code == .syntax)
        #expect(error.message == bad.message)
        #expect(error.location?.line == bad.line)
        #expect(error.location?.column == bad.column)
        #expect(error.detail == bad.detail)
    }

    @Test("a table function joins like a table")
    func joins() throws {
        let parsed = try query("SELECT * FROM f(1) AS x JOIN t ON x.a = t.a")
        guard case .join(let join)? = parsed.from?.source, case .function(let call) = join.left.source else {
            Issue.record("not a join of a table function: \(parsed)")
            return
        }
        #expect(call.name == Identifier("f"))
        #expect(join.left.alias == Identifier("x"))
        #expect(join.right.source == .table(Identifier("t")))
    }
}
