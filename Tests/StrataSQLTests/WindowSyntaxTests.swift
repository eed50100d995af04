import StrataCore
import StrataSQL
import Testing

@Suite("Window function syntax")
struct WindowSyntaxTests {
    @Test("OVER with PARTITION BY, ORDER BY and a frame lands in the call")
    func over() throws {
        let e = try #require(
            try firstItem(
                "SELECT sum(x) OVER (PARTITION BY a, b ORDER BY t DESC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND "
                    + "UNBOUNDED FOLLOWING) FROM t"))
        guard case .function(let call) = e.kind, let over = call.over else {
            Issue.record("not a window call: \(e)")
            return
        }
        #expect(over.partitionBy == [col("a"), col("b")])
        #expect(over.orderBy == [OrderItem(col("t"), direction: .descending, nulls: .first)])
        #expect(over.frame == WindowFrame(unit: .rows, start: .preceding(int(2)), end: .unboundedFollowing))
    }

    @Test("the short frame form ends at the current row; RANGE takes INTERVAL offsets")
    func shortFrames() throws {
        let rows = try #require(try firstItem("SELECT avg(x) OVER (ORDER BY t ROWS 3 PRECEDING) FROM t"))
        guard case .function(let call) = rows.kind else { return }
        #expect(call.over?.frame == WindowFrame(unit: .rows, start: .preceding(int(3)), end: .currentRow))
        let range = try #require(
            try firstItem(
                "SELECT count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW) FROM t"))
        guard case .function(let call) = range.kind else { return }
        #expect(call.over?.frame?.unit == .range)
        #expect(call.over?.frame?.start == .preceding(lit(.interval("1", .hour))))
    }

    @Test("named windows, references and refinements, and QUALIFY")
    func namedWindows() throws {
        let parsed = try query(
            "SELECT rank() OVER w, sum(x) OVER (w ORDER BY t) FROM t WINDOW w AS (PARTITION BY a), v AS (w) "
                + "QUALIFY rank() OVER w = 1 ORDER BY 1")
        #expect(parsed.windows.map(\.name) == [Identifier("w"), Identifier("v")])
        #expect(parsed.windows[0].specification.partitionBy == [col("a")])
        #expect(parsed.qualify != nil)
        guard case .expression(let first, _) = parsed.items[0], case .function(let call) = first.kind else { return }
        #expect(call.over == WindowSpecification(base: Identifier("w")))
        guard case .expression(let second, _) = parsed.items[1], case .function(let refined) = second.kind else {
            return
        }
        #expect(refined.over?.base == Identifier("w"))
        #expect(refined.over?.orderBy == [OrderItem(col("t"))])
    }

    @Test(
        "window queries print as SQL that parses back to the same query",
        arguments: [
            "SELECT row_number() OVER (PARTITION BY a ORDER BY b DESC) AS rn FROM t QUALIFY rn <= 3",
            "SELECT sum(x) FILTER (WHERE y > 0) OVER (ORDER BY t RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM t",
            "SELECT lag(x, 2, 0) OVER w, count(*) OVER (w ROWS UNBOUNDED PRECEDING) FROM t WINDOW w AS (ORDER BY t)",
            "SELECT sum(count(*)) OVER () FROM t GROUP BY a",
            "SELECT count(*) OVER (ORDER BY a GROUPS BETWEEN 1 PRECEDING AND 2 FOLLOWING) FROM t",
            "SELECT sum(x) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) FROM t",
            "SELECT sum(x) OVER (ORDER BY a ROWS 1 PRECEDING EXCLUDE CURRENT ROW), min(x) OVER (ORDER BY a GROUPS "
                + "1 PRECEDING EXCLUDE GROUP), max(x) OVER (ORDER BY a RANGE 1 PRECEDING EXCLUDE NO OTHERS) FROM t",
            "SELECT lag(x, 2, 0 IGNORE NULLS) OVER w, first_value(x RESPECT NULLS) OVER w FROM t WINDOW w AS (ORDER BY t)",
        ])
    func roundTrip(sql: String) throws {
        let parsed = try query(sql)
        #expect(try query(parsed.description) == parsed, "\(parsed.description)")
    }

    @Test(
        "frames and clauses Strata does not take are errors at their position",
        arguments: [
            ("SELECT sum(x) OVER (ORDER BY ALL) FROM t", 30)
        ])
    func unsupported(sql: String, column: Int) throws {
        let error = try #require(parseError(sql))
        #expect(error.code == .unsupported)
        #expect(error.location?.column == column)
    }

    @Test(
        "a window specification needs its parts in order",
        arguments: [
            "SELECT sum(x) OVER (ORDER BY t PARTITION BY a) FROM t",
            "SELECT sum(x) OVER (ROWS BETWEEN 1 PRECEDING) FROM t",
            "SELECT sum(x) OVER FROM t",
            "SELECT sum(x) OVER (ORDER BY a ROWS 1 PRECEDING EXCLUDE OTHERS) FROM t",
            "SELECT sum(x) OVER (ORDER BY a EXCLUDE TIES) FROM t",
            "SELECT a FROM t WINDOW w AS (PARTITION BY a), w AS (ORDER BY b)",
        ])
    func malformed(sql: String) {
        #expect(parseError(sql)?.code == .syntax)
    }
}
