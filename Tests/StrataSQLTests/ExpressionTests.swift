import StrataSQL
import Testing

@Suite("Expressions")
struct ExpressionTests {
    @Test(
        "literals",
        arguments: [
            ("42", Literal.integer(42)), ("-7", .integer(-7)), ("0.95", .decimal("0.95")), ("1e-3", .decimal("1e-3")),
            ("-9223372036854775808", .integer(.min)), ("9223372036854775808", .decimal("9223372036854775808")),
            ("'it''s'", .string("it's")), ("''", .string("")), ("TRUE", .boolean(true)), ("false", .boolean(false)),
            ("NULL", .null), ("TIMESTAMP '2026-10-01'", .typed(.timestamp, "2026-10-01")),
            ("DATE '2026-10-01'", .typed(.date, "2026-10-01")), ("INTERVAL '5 minutes'", .interval("5 minutes", nil)),
            ("INTERVAL '5' MINUTE", .interval("5", .minute)), ("INTERVAL 5 DAYS", .interval("5", .day)),
            ("interval 1 week", .interval("1", .week)), ("INTERVAL '-1' HOUR", .interval("-1", .hour)),
            ("INTERVAL '3' year", .interval("3", .year)),
        ])
    func literals(sql: String, expected: Literal) throws {
        #expect(try expression(sql) == lit(expected))
    }

    @Test("column references, qualified and quoted")
    func columns() throws {
        #expect(try expression("user_id") == col("user_id"))
        #expect(try expression("e.user_id") == col("user_id", "e"))
        let quoted = try expression("\"Revenue EUR\"")
        guard case .column(let reference) = quoted.kind else {
            Issue.record("not a column: \(quoted)")
            return
        }
        #expect(reference.column.name == "Revenue EUR")
        #expect(reference.column.isQuoted)
        #expect(quoted.description == "\"Revenue EUR\"")
    }

    @Test("unquoted names keep their spelling but compare case-insensitively")
    func identifierCase() throws {
        let upper = try expression("UserId")
        guard case .column(let reference) = upper.kind else { return }
        #expect(reference.column.name == "UserId")
        #expect(reference.column.normalized == "userid")
        #expect(upper == (try expression("userid")))
        #expect(upper == (try expression("\"USERID\"")))
        #expect(upper.description == "UserId")
    }

    @Test(
        "contextual keywords are plain names elsewhere",
        arguments: [
            "date", "timestamp", "interval", "filter", "first", "last", "nulls", "explain", "analyze", "year",
        ])
    func contextualKeywordsAsNames(name: String) throws {
        #expect(try expression(name) == col(name))
        #expect(try query("SELECT \(name) FROM t AS \(name)").from?.alias == Identifier(name))
    }

    @Test(
        "comparison operators",
        arguments: [
            ("=", BinaryOperator.equal), ("==", .equal), ("<>", .notEqual), ("!=", .notEqual), ("<", .less),
            ("<=", .lessOrEqual), (">", .greater), (">=", .greaterOrEqual),
        ])
    func comparisons(text: String, op: BinaryOperator) throws {
        #expect(try expression("a \(text) 1") == bin(op, col("a"), int(1)))
    }

    @Test("IN, NOT IN, BETWEEN, NOT BETWEEN, LIKE, NOT LIKE, ILIKE, IS [NOT] NULL")
    func predicates() throws {
        #expect(try expression("a IN (1, 2)") == SQLExpression(.inList(col("a"), [int(1), int(2)], negated: false)))
        #expect(try expression("a NOT IN ('x')") == SQLExpression(.inList(col("a"), [str("x")], negated: true)))
        #expect(
            try expression("a BETWEEN 1 AND 2")
                == SQLExpression(.between(col("a"), low: int(1), high: int(2), negated: false)))
        #expect(
            try expression("a NOT BETWEEN 1 AND 2")
                == SQLExpression(.between(col("a"), low: int(1), high: int(2), negated: true)))
        #expect(
            try expression("v LIKE '5.%'")
                == SQLExpression(.like(col("v"), pattern: str("5.%"), negated: false, caseInsensitive: false)))
        #expect(
            try expression("v NOT LIKE 'a%'")
                == SQLExpression(.like(col("v"), pattern: str("a%"), negated: true, caseInsensitive: false)))
        #expect(
            try expression("v ILIKE 'a%'")
                == SQLExpression(.like(col("v"), pattern: str("a%"), negated: false, caseInsensitive: true)))
        #expect(
            try expression("v NOT ILIKE 'a%'")
                == SQLExpression(.like(col("v"), pattern: str("a%"), negated: true, caseInsensitive: true)))
        #expect(try expression("a IS NULL") == SQLExpression(.isNull(col("a"), negated: false)))
        #expect(try expression("a IS NOT NULL") == SQLExpression(.isNull(col("a"), negated: true)))
    }

    @Test("CASE in both forms")
    func caseExpressions() throws {
        let searched = try expression("CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END")
        #expect(
            searched
                == SQLExpression(
                    .caseWhen(
                        CaseExpression(
                            branches: [
                                .init(when: bin(.greater, col("a"), int(1)), then: str("big")),
                                .init(when: bin(.greater, col("a"), int(0)), then: str("small")),
                            ], elseResult: str("none")))))
        let simple = try expression("CASE variant WHEN 'control' THEN 0 END")
        #expect(
            simple
                == SQLExpression(
                    .caseWhen(
                        CaseExpression(
                            operand: col("variant"), branches: [.init(when: str("control"), then: int(0))]))))
    }

    @Test(
        "CAST and :: to every type, with aliases",
        arguments: [
            ("CAST(x AS DATE)", SQLType.date), ("CAST(x AS timestamp)", .timestamp), ("CAST(x AS DOUBLE)", .double),
            ("CAST(x AS BIGINT)", .bigint), ("CAST(x AS INTEGER)", .integer), ("CAST(x AS VARCHAR)", .varchar),
            ("CAST(x AS BOOLEAN)", .boolean), ("x::DATE", .date), ("x::int", .integer), ("x::TEXT", .varchar),
            ("x::int8", .bigint), ("x::bool", .boolean), ("x::float8", .double), ("x::datetime", .timestamp),
            ("CAST(x AS DECIMAL(15, 2))", .decimal(precision: 15, scale: 2)),
            ("CAST(x AS DECIMAL)", .decimal(precision: 18, scale: 3)),
            ("x::NUMERIC(10)", .decimal(precision: 10, scale: 0)),
            ("x::numeric(38,38)", .decimal(precision: 38, scale: 38)), ("x::HUGEINT", .hugeint),
            ("x::int128", .hugeint),
        ])
    func casts(sql: String, type: SQLType) throws {
        #expect(try expression(sql) == SQLExpression(.cast(col("x"), type)))
    }

    @Test("function calls: any name, star, DISTINCT, several arguments, FILTER")
    func functions() throws {
        #expect(try expression("count(*)") == call("count", star: true))
        #expect(try expression("count(x)") == call("count", col("x")))
        #expect(try expression("count(DISTINCT user_id)") == call("count", col("user_id"), distinct: true))
        #expect(try expression("now()") == call("now"))
        #expect(
            try expression("quantile_cont(latency_ms, 0.95)")
                == call(
                    "quantile_cont", col("latency_ms"), lit(.decimal("0.95"))))
        #expect(try expression("date_trunc('hour', ts)") == call("date_trunc", str("hour"), col("ts")))
        #expect(
            try expression("time_bucket(INTERVAL '5 minutes', ts)")
                == call("time_bucket", lit(.interval("5 minutes", nil)), col("ts")))
        #expect(
            try expression("count(*) FILTER (WHERE event = 'purchase')")
                == call("count", star: true, filter: bin(.equal, col("event"), str("purchase"))))
        #expect(
            try expression("sum(revenue) FILTER (WHERE variant = 'b')")
                == call("sum", col("revenue"), filter: bin(.equal, col("variant"), str("b"))))
        #expect(try expression("left(s, 3)") == call("left", col("s"), int(3)))
        #expect(try expression("EXTRACT(hour FROM ts)") == call("date_part", str("hour"), col("ts")))
    }

    @Test("arithmetic, concatenation and unary operators")
    func arithmetic() throws {
        #expect(try expression("a % 2") == bin(.modulo, col("a"), int(2)))
        #expect(try expression("a || '-' || b") == bin(.concat, bin(.concat, col("a"), str("-")), col("b")))
        #expect(try expression("-a") == SQLExpression(.unary(.negate, col("a"))))
        #expect(try expression("+a") == col("a"))
        #expect(try expression("NOT a") == SQLExpression(.unary(.not, col("a"))))
        #expect(try expression("a - -1") == bin(.subtract, col("a"), int(-1)))
    }

    @Test("expressions carry their byte ranges")
    func ranges() throws {
        let sql = "SELECT a + f(b, 'x') AS y FROM t WHERE (c IS NULL)"
        let parsed = try query(sql)
        guard case .expression(let sum, _) = parsed.items[0], case .binary(_, let a, let f) = sum.kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(sum.range == SourceRange(offset: 7, length: 13))
        #expect(a.range == SourceRange(offset: 7, length: 1))
        #expect(f.range == SourceRange(offset: 11, length: 9))
        #expect(parsed.whereClause?.range == SourceRange(offset: 39, length: 11))
        #expect(parsed.from?.range == SourceRange(offset: 31, length: 1))
        #expect(parsed.range == SourceRange(offset: 0, length: sql.utf8.count))
        let utf8 = Array(sql.utf8)
        #expect(String(decoding: utf8[f.range.offset..<f.range.end], as: UTF8.self) == "f(b, 'x')")
    }

    @Test("children and contains(where:) walk the tree, FILTER conditions included")
    func traversal() throws {
        let parsed = try expression("CASE WHEN x > 0 THEN sum(r) FILTER (WHERE y IN (1, 2)) ELSE -z END")
        let names = collectColumns(parsed)
        #expect(names == ["x", "r", "y", "z"])
        let isAggregate: (SQLExpression) -> Bool = { node in
            if case .function(let call) = node.kind { return call.name.normalized == "sum" }
            return false
        }
        #expect(parsed.contains(where: isAggregate))
        #expect(!(try expression("a + f(b)")).contains(where: isAggregate))
        #expect(try expression("a BETWEEN b AND c").children == [col("a"), col("b"), col("c")])
    }

    private func collectColumns(_ node: SQLExpression) -> [String] {
        if case .column(let reference) = node.kind { return [reference.column.name] }
        return node.children.flatMap(collectColumns)
    }
}
