import StrataCore
import StrataSQL
import Testing

@Suite("Statements")
struct StatementTests {
    @Test("every clause lands in its field")
    func allClauses() throws {
        let parsed = try query(
            """
            SELECT DISTINCT a AS x, b y, * FROM events AS e WHERE a > 1 GROUP BY a, 2 HAVING count(*) > 10
            ORDER BY x DESC NULLS FIRST, 2 LIMIT 10 OFFSET 5;
            """)
        #expect(parsed.isDistinct)
        #expect(
            parsed.items == [
                .expression(col("a"), alias: Identifier("x")), .expression(col("b"), alias: Identifier("y")),
                .wildcard(qualifier: nil),
            ])
        #expect(parsed.from == TableReference(source: .table(Identifier("events")), alias: Identifier("e")))
        #expect(parsed.whereClause == bin(.greater, col("a"), int(1)))
        #expect(parsed.groupBy == .expressions([col("a"), int(2)]))
        #expect(parsed.having == bin(.greater, call("count", star: true), int(10)))
        #expect(parsed.orderBy == [OrderItem(col("x"), direction: .descending, nulls: .first), OrderItem(int(2))])
        #expect(parsed.limit == int(10))
        #expect(parsed.offset == int(5))
    }

    @Test("the smallest queries")
    func minimal() throws {
        #expect(try query("SELECT 1") == SelectStatement(items: [.expression(int(1), alias: nil)]))
        #expect(
            try query("select * from t")
                == SelectStatement(
                    items: [.wildcard(qualifier: nil)], from: TableReference(source: .table(Identifier("t")))))
    }

    @Test("qualified wildcard")
    func qualifiedWildcard() throws {
        #expect(try query("SELECT e.* FROM events e").items == [.wildcard(qualifier: Identifier("e"))])
    }

    @Test("GROUP BY ALL and ordinals")
    func groupBy() throws {
        #expect(try query("SELECT a, count(*) FROM t GROUP BY ALL").groupBy == .all)
        #expect(try query("SELECT a, count(*) FROM t GROUP BY 1").groupBy == .expressions([int(1)]))
    }

    @Test("ORDER BY directions and NULLS placement")
    func orderBy() throws {
        let items = try query("SELECT a FROM t ORDER BY a ASC, b NULLS LAST, c DESC NULLS LAST").orderBy
        #expect(
            items == [
                OrderItem(col("a"), direction: .ascending), OrderItem(col("b"), nulls: .last),
                OrderItem(col("c"), direction: .descending, nulls: .last),
            ])
    }

    @Test("OFFSET may come before LIMIT")
    func offsetFirst() throws {
        let parsed = try query("SELECT a FROM t OFFSET 5 LIMIT 10")
        #expect(parsed.limit == int(10))
        #expect(parsed.offset == int(5))
    }

    @Test("subquery in FROM, with or without an alias")
    func subqueries() throws {
        let unaliased = try query("SELECT x FROM (SELECT a AS x FROM t)")
        guard case .subquery(let inner)? = unaliased.from?.source else {
            Issue.record("not a subquery")
            return
        }
        #expect(inner.items == [.expression(col("a"), alias: Identifier("x"))])
        #expect(unaliased.from?.alias == nil)
        #expect(try query("SELECT x FROM (SELECT 1 AS x) AS s").from?.alias == Identifier("s"))
        #expect(try query("SELECT x FROM (SELECT 1 AS x) s").from?.alias == Identifier("s"))
    }

    @Test("WITH common table expressions")
    func commonTableExpressions() throws {
        let parsed = try query("WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT x FROM b")
        #expect(parsed.commonTableExpressions.map(\.name) == [Identifier("a"), Identifier("b")])
        #expect(parsed.commonTableExpressions[1].query.from?.source == .table(Identifier("a")))
    }

    @Test("EXPLAIN and EXPLAIN ANALYZE")
    func explain() throws {
        let inner = try query("SELECT a FROM t")
        #expect(try parse("EXPLAIN SELECT a FROM t") == .explain(inner, analyze: false))
        #expect(try parse("explain analyze SELECT a FROM t;") == .explain(inner, analyze: true))
        #expect(try parse("SELECT a FROM t") == .select(inner))
    }

    @Test("a trailing comma before FROM is accepted, as in DuckDB")
    func trailingComma() throws {
        #expect(try query("SELECT a, b, FROM t").items.count == 2)
    }

    @Test("DuckDB leniencies: empty IN list, FILTER without WHERE, repeated semicolons")
    func duckDBLeniencies() throws {
        #expect(try expression("a IN ()") == SQLExpression(.inList(col("a"), [], negated: false)))
        #expect(try expression("count(*) FILTER (a = 1)") == (try expression("count(*) FILTER (WHERE a = 1)")))
        #expect(try query("SELECT 1;;") == (try query("SELECT 1")))
        #expect(try expression("a NOT IN ()").description == "a NOT IN ()")
    }

    @Test("comments anywhere")
    func comments() throws {
        let parsed = try query(
            """
            -- revenue per variant
            SELECT variant, /* the sum */ sum(revenue)
            FROM events -- all of them
            """)
        #expect(parsed.items.count == 2)
    }

    @Test("quoted names may be reserved words")
    func quotedReservedWords() throws {
        let parsed = try query("SELECT \"order\", \"select\" AS \"from\" FROM \"group\"")
        #expect(parsed.from?.source == .table(Identifier("group")))
        #expect(parsed.description == "SELECT \"order\", \"select\" AS \"from\" FROM \"group\"")
    }

    @Test("joins nest left to right, with their kind and condition")
    func joins() throws {
        let parsed = try query(
            "SELECT * FROM t JOIN u ON t.id = u.id LEFT OUTER JOIN v AS x USING (id, k), w RIGHT JOIN y ON TRUE "
                + "FULL JOIN z ON FALSE CROSS JOIN (SELECT 1) s")
        #expect(
            parsed.description
                == "SELECT * FROM t INNER JOIN u ON t.id = u.id LEFT JOIN v AS x USING (id, k) CROSS JOIN w "
                + "RIGHT JOIN y ON TRUE FULL JOIN z ON FALSE CROSS JOIN (SELECT 1) AS s")
        guard case .join(let outer)? = parsed.from?.source else {
            Issue.record("FROM is not a join")
            return
        }
        #expect(outer.kind == .cross)
        #expect(outer.right.alias == Identifier("s"))
        guard case .join(let first) = try #require(Self.leftmostJoin(outer)).source else { return }
        #expect(first.kind == .inner)
        #expect(first.left.source == .table(Identifier("t")))
        #expect(first.right.source == .table(Identifier("u")))
    }

    @Test(
        "a join needs ON or USING; CROSS JOIN and a comma take neither",
        arguments: ["SELECT a FROM t JOIN u", "SELECT a FROM t LEFT JOIN u WHERE a", "SELECT a FROM t JOIN u USING ()"])
    func joinWithoutCondition(sql: String) throws {
        let error = try #require(parseError(sql))
        #expect(error.code == .syntax)
    }

    @Test("set operations: the terms, ALL, and ORDER BY and LIMIT over the whole")
    func setOperations() throws {
        let parsed = try query(
            "SELECT a FROM t UNION ALL SELECT b FROM u INTERSECT SELECT c FROM v EXCEPT DISTINCT (SELECT d FROM w LIMIT 1) "
                + "ORDER BY 1 LIMIT 5")
        #expect(parsed.setOperations.map(\.kind) == [.union, .intersect, .except])
        #expect(parsed.setOperations.map(\.all) == [true, false, false])
        #expect(parsed.setOperations[1].query.orderBy.isEmpty)
        #expect(parsed.orderBy.count == 1)
        #expect(parsed.limit != nil)
        guard case .subquery(let last)? = parsed.setOperations[2].query.from?.source else {
            Issue.record("a parenthesized term is a subquery")
            return
        }
        #expect(last.limit != nil)
        #expect(parseError("SELECT a FROM t UNION")?.code == .syntax)
        #expect(try query("(SELECT 1) UNION (SELECT 2)").setOperations.count == 1)
    }

    @Test("subqueries in expressions: a value, IN, NOT IN and EXISTS")
    func expressionSubqueries() throws {
        let parsed = try query(
            "SELECT (SELECT max(x) FROM u) AS m FROM t WHERE a IN (SELECT b FROM u) AND a NOT IN (SELECT c FROM v) "
                + "AND NOT EXISTS (SELECT 1 FROM w)")
        #expect(
            parsed.description
                == "SELECT (SELECT max(x) FROM u) AS m FROM t WHERE a IN (SELECT b FROM u) AND a NOT IN (SELECT c FROM v) "
                + "AND NOT EXISTS (SELECT 1 FROM w)")
        guard case .expression(let item, _) = parsed.items[0], case .subquery(let inner) = item.kind else {
            Issue.record("the select item is not a subquery")
            return
        }
        #expect(inner.from?.source == .table(Identifier("u")))
        #expect(parseError("SELECT a FROM t WHERE EXISTS SELECT 1")?.code == .syntax)
    }

    @Test("catalog statements are the queries they stand for")
    func catalogStatements() throws {
        let cases: [(String, String)] = [
            ("SHOW TABLES", "SELECT table_name AS name FROM information_schema.tables ORDER BY name"),
            ("PRAGMA show_tables;", "SELECT table_name AS name FROM information_schema.tables ORDER BY name"),
            ("DESCRIBE events", "SELECT * FROM describe('events')"),
            ("describe main.events", "SELECT * FROM describe('events')"),
            ("SHOW COLUMNS FROM events", "SELECT * FROM describe('events')"),
            ("PRAGMA table_info('events')", "SELECT * FROM pragma_table_info('events')"),
        ]
        for (sql, expected) in cases {
            #expect(try SQLParser.parse(sql).description == expected, "\(sql)")
        }
        // `SHOW name` stays a setting's (or, for a table, DESCRIBE's: the runner decides).
        #expect(try SQLParser.parse("SHOW memory_limit") == .show(Identifier("memory_limit")))
    }

    @Test("a table may be qualified by its schema and catalog")
    func qualifiedTables() throws {
        let parsed = try query("SELECT * FROM memory.main.events AS e JOIN information_schema.tables t ON TRUE")
        guard case .join(let join)? = parsed.from?.source else {
            Issue.record("not a join")
            return
        }
        #expect(join.left.schema == [Identifier("memory"), Identifier("main")])
        #expect(join.left.alias == Identifier("e"))
        #expect(join.right.schema == [Identifier("information_schema")])
        #expect(parsed.description.contains("FROM memory.main.events AS e INNER JOIN information_schema.tables AS t"))
        #expect(parseError("SELECT * FROM a.b.c.d")?.code == .syntax)
    }

    /// The innermost join on the left spine of a join tree.
    static func leftmostJoin(_ join: Join) -> TableReference? {
        var reference = TableReference(source: .join(join))
        while case .join(let inner) = reference.source, case .join = inner.left.source { reference = inner.left }
        return reference
    }

    @Test(
        "unsupported SQL gets an unsupported error with its position",
        arguments: [
            ("SELECT sum(x) OVER (ORDER BY ALL) FROM t", 30),
            ("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", 6),
            ("SELECT DISTINCT ON (a) a FROM t", 8),
            ("PRAGMA enable_profiling", 8),
            ("SHOW ALL TABLES", 1),
            ("SELECT CAST(a AS SMALLINT) FROM t", 18),
            ("SELECT a::real FROM t", 11),
        ])
    func unsupported(sql: String, column: Int) throws {
        let error = try #require(parseError(sql))
        #expect(error.code == .unsupported)
        #expect(error.location?.line == 1)
        #expect(error.location?.column == column)
        #expect(error.detail?.hasPrefix(sql + "\n") == true)
    }

    @Test("deep nesting is a limit error, not a crash")
    func deepNesting() throws {
        let deep = "SELECT " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        let error = try #require(parseError(deep))
        #expect(error.code == .limit)
        let fine = "SELECT " + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        #expect(try firstItem(fine) == int(1))
    }

    /// `term op term op …` with `count` terms.
    static func chain(_ term: String, _ op: String, count: Int) -> String {
        Array(repeating: term, count: count).joined(separator: " \(op) ")
    }

    @Test(
        "a long flat chain is a limit error at the operator that makes the tree too deep",
        arguments: [
            "SELECT 1 FROM events WHERE " + chain("a = 1", "OR", count: 5000),
            "SELECT " + chain("1", "+", count: 5000),
            "SELECT " + chain("a", "||", count: 5000),
            "SELECT " + chain("a", "AND", count: 5000),
            "SELECT a" + String(repeating: "::INTEGER", count: 5000),
            "SELECT a" + String(repeating: " IS NULL", count: 5000),
        ])
    func deepChain(sql: String) throws {
        let error = try #require(parseError(sql))
        #expect(error.code == .limit)
        #expect(error.message.hasPrefix("the expression is too deep (more than 128 levels)"))
        // The caret points at the operator that adds level 129, not at the start of the query.
        let offset = try #require(error.location?.offset)
        let body = sql.utf8.dropFirst(offset)
        #expect(["OR", "+", "||", "AND", "::", "IS"].contains { body.starts(with: $0.utf8) })
    }

    @Test("the depth counts every node: IN lists, CASE, function arguments and parentheses")
    func depthOfEveryNode() throws {
        let plus = Self.chain("1", "+", count: 125)  // 125 levels
        #expect(try firstItem("SELECT " + plus)?.depth == 125)
        #expect(try firstItem("SELECT a IN (1, (\(plus)))")?.depth == 126)
        #expect(try firstItem("SELECT CASE WHEN a THEN \(plus) END")?.depth == 126)
        #expect(try firstItem("SELECT abs(abs(abs(\(plus))))")?.depth == 128)
        #expect(try firstItem("SELECT ((((\(plus)))))")?.depth == 125)
        for sql in [
            "SELECT a IN (1, abs(abs(abs(\(plus)))))", "SELECT CASE WHEN a THEN abs(abs(abs(\(plus)))) END",
            "SELECT abs(abs(abs(abs(\(plus)))))", "SELECT -abs(abs(abs(\(plus))))",
        ] {
            #expect(parseError(sql)?.code == .limit, "\(sql.prefix(40))")
        }
    }
}
