import StrataCore
import StrataSQL
import Testing

/// The syntax of the scalar function library: operators and forms the parser turns into function calls.
@Suite("Function syntax")
struct FunctionSyntaxTests {
    @Test("// is integer division, at the precedence of * and /")
    func integerDivision() throws {
        #expect(try expression("a // 2") == bin(.integerDivide, col("a"), int(2)))
        #expect(try expression("1 + a // 2") == bin(.add, int(1), bin(.integerDivide, col("a"), int(2))))
        #expect(try expression("a // 2 * 3") == bin(.multiply, bin(.integerDivide, col("a"), int(2)), int(3)))
    }

    @Test("~ and !~ are regexp_matches, SIMILAR TO is regexp_full_match; NOT negates them")
    func regexOperators() throws {
        #expect(try expression("s ~ 'a.c'") == call("regexp_matches", col("s"), str("a.c")))
        #expect(try expression("s !~ 'a'") == SQLExpression(.unary(.not, call("regexp_matches", col("s"), str("a")))))
        #expect(try expression("s SIMILAR TO 'a.c'") == call("regexp_full_match", col("s"), str("a.c")))
        #expect(
            try expression("s NOT SIMILAR TO 'b'")
                == SQLExpression(.unary(.not, call("regexp_full_match", col("s"), str("b")))))
        // `similar` stays a name where no TO follows.
        #expect(try expression("similar") == col("similar"))
    }

    @Test("LIKE and ILIKE … ESCAPE are like_escape and ilike_escape")
    func likeEscape() throws {
        #expect(try expression("s LIKE 'a!%' ESCAPE '!'") == call("like_escape", col("s"), str("a!%"), str("!")))
        #expect(
            try expression("s NOT ILIKE 'a!%' ESCAPE '!'")
                == SQLExpression(.unary(.not, call("ilike_escape", col("s"), str("a!%"), str("!")))))
        #expect(
            try expression("s LIKE 'a%'")
                == SQLExpression(.like(col("s"), pattern: str("a%"), negated: false, caseInsensitive: false)))
    }

    @Test("TRY_CAST(x AS type) is try_cast of the CAST, and prints back as written")
    func tryCast() throws {
        let parsed = try expression("TRY_CAST(a AS BIGINT)")
        #expect(parsed == call("try_cast", SQLExpression(.cast(col("a"), .bigint))))
        #expect(parsed.description == "TRY_CAST(a AS BIGINT)")
        #expect(try expression(parsed.description) == parsed)
    }

    @Test("position(part IN s) is position(s, part); current_date and current_timestamp are calls")
    func specialForms() throws {
        #expect(try expression("position('l' IN s)") == call("position", col("s"), str("l")))
        #expect(try expression("position(s, 'l')") == call("position", col("s"), str("l")))
        #expect(try expression("current_date") == call("current_date"))
        #expect(try expression("CURRENT_TIMESTAMP") == call("CURRENT_TIMESTAMP"))
    }

    @Test("* EXCLUDE and REPLACE, with and without parentheses, on * and t.*")
    func starModifiers() throws {
        let items = try query("SELECT * EXCLUDE (a, b) REPLACE (x + 1 AS c), t.* EXCLUDE d FROM t").items
        #expect(
            items == [
                .wildcard(
                    qualifier: nil, excluding: [Identifier("a"), Identifier("b")],
                    replacing: [
                        SelectItem.Replacement(expression: bin(.add, col("x"), int(1)), column: Identifier("c"))
                    ]),
                .wildcard(qualifier: Identifier("t"), excluding: [Identifier("d")]),
            ])
        #expect(try query("SELECT * EXCLUDE (a) FROM t").description.contains("* EXCLUDE (a)"))
    }

    @Test("VALUES rows are the UNION ALL of one SELECT per row, columns col0, col1, …")
    func values() throws {
        let statement = try query("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(x, y)")
        guard case .subquery(let inner)? = statement.from?.source else {
            Issue.record("not a subquery: \(statement)")
            return
        }
        #expect(
            inner.items == [
                .expression(int(1), alias: Identifier("col0")), .expression(str("a"), alias: Identifier("col1")),
            ])
        #expect(inner.setOperations.count == 1)
        #expect(inner.setOperations.first?.all == true)
        #expect(try query("VALUES (1), (2)").setOperations.count == 1)
        #expect(parseError("SELECT * FROM (VALUES (1), (2, 3))")?.message.contains("needs 1 values") == true)
    }
}
