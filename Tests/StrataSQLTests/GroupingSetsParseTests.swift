import StrataCore
import StrataSQL
import Testing

@Suite("GROUP BY GROUPING SETS, ROLLUP, CUBE: parsing and the sets they expand to")
struct GroupingSetsParseTests {
    @Test(
        "parse, print, parse again",
        arguments: [
            "SELECT a, b, count(*) FROM t GROUP BY GROUPING SETS ((a, b), (a), ())",
            "SELECT a, b, c FROM t GROUP BY ROLLUP (a, (b, c))",
            "SELECT a, b, c FROM t GROUP BY a, CUBE (b, c), GROUPING SETS (a, ROLLUP (b))",
            "SELECT count(*) FROM t GROUP BY ()",
            "SELECT grouping(a, b), grouping_id(a) FROM t GROUP BY CUBE (a, b) HAVING grouping(a) = 0",
        ])
    func roundTrip(sql: String) throws {
        let first = try parse(sql)
        let text = first.description
        #expect(text == sql)
        #expect(try parse(text) == first)
    }

    /// The sets of a parsed GROUP BY, each written as its keys' text.
    static func sets(_ sql: String) throws -> [[String]] {
        guard case .groupingSets(let elements)? = try query(sql).groupBy else {
            Issue.record("no grouping sets in \(sql)")
            return []
        }
        return GroupingElement.expandedSets(of: elements).map { $0.map(\.description) }
    }

    @Test("ROLLUP lists the prefixes longest first, CUBE every subset, and several elements their cross product")
    func expansion() throws {
        #expect(try Self.sets("SELECT 1 FROM t GROUP BY ROLLUP (a, (b, c))") == [["a", "b", "c"], ["a"], []])
        #expect(try Self.sets("SELECT 1 FROM t GROUP BY CUBE (a, b)") == [["a", "b"], ["b"], ["a"], []])
        #expect(
            try Self.sets("SELECT 1 FROM t GROUP BY a, ROLLUP (b), GROUPING SETS ((c), ())")
                == [["a", "b", "c"], ["a", "b"], ["a", "c"], ["a"]])
        #expect(try Self.sets("SELECT 1 FROM t GROUP BY GROUPING SETS (a, a)") == [["a"], ["a"]])
        let elements: [GroupingElement] = [.cube((0..<70).map { _ in [SQLExpression(.literal(.integer(1)))] })]
        #expect(GroupingElement.setCount(of: elements) == Int.max)
        #expect(GroupingElement.setCount(of: [.cube([[], []]), .rollup([[], [], []])]) == 16)
        // Nested GROUPING SETS count in one pass per level (150 levels would never finish if each counted twice).
        var nested = GroupingElement.set([])
        for _ in 0..<150 { nested = .groupingSets([nested, .set([])]) }
        #expect(GroupingElement.setCount(of: [nested]) == 151)
    }

    @Test("cube and rollup stay column and function names where they are not a GROUP BY element")
    func wordsStayNames() throws {
        guard case .expressions(let keys)? = try query("SELECT cube, rollup(x) FROM t GROUP BY cube, rollup").groupBy
        else {
            Issue.record("plain keys expected")
            return
        }
        #expect(keys.map(\.description) == ["cube", "rollup"])
        guard case .expressions(let grouping)? = try query("SELECT 1 FROM t GROUP BY grouping").groupBy else {
            Issue.record("plain key expected")
            return
        }
        #expect(grouping.map(\.description) == ["grouping"])
    }

    @Test(
        "malformed grouping elements are syntax errors",
        arguments: [
            "SELECT 1 FROM t GROUP BY GROUPING SETS a",
            "SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b)",
            "SELECT 1 FROM t GROUP BY ROLLUP (a,)",
            "SELECT 1 FROM t GROUP BY CUBE ()",
        ])
    func malformed(sql: String) throws {
        let error = try #require(parseError(sql))
        #expect(error.code == .syntax, "\(error)")
    }
}
