import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Inner joins of three or more inputs run in the order whose joins give the fewest rows by estimate
/// (row counts and the key columns' distinct values from segment metadata), not the written order: a
/// filtered small dimension joins its neighbour first, and the fact table joins the small result last.
@Suite("Join order by estimated sizes")
struct JoinOrderTests {
    static func table(_ db: Database, _ name: String, _ columns: [String], rows: [[Int64]]) throws {
        let spec = TableSpec(
            name: name, timestamp: nil, dimensions: columns.map { DimensionSpec(name: $0, type: .int64) }, metrics: [])
        let table = try db.createTable(spec)
        try table.append(
            rows: rows.map { row in
                Dictionary(uniqueKeysWithValues: zip(columns, row.map(Value.int64)))
            })
        try table.flush()
    }

    @Test("the fact table written first joins last, after the filtered dimensions; the answer is unchanged")
    func smallDimensionFirst() throws {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path)
        // facts(k, d): 4000 rows over 200 dims; dims(d, n): 200 rows over 20 nations; nations(n, code).
        let facts = (0..<4000).map { [Int64($0), Int64($0 * 7 % 200)] }
        let dims = (0..<200).map { [Int64($0), Int64($0 % 20)] }
        let nations = (0..<20).map { [Int64($0), Int64($0 * 3)] }
        try Self.table(db, "facts", ["k", "d"], rows: facts)
        try Self.table(db, "dims", ["d", "n"], rows: dims)
        try Self.table(db, "nations", ["n", "code"], rows: nations)
        let sql = """
            SELECT count(*), sum(k) FROM facts, dims, nations
            WHERE facts.d = dims.d AND dims.n = nations.n AND nations.code = 9
            """
        let plan = try db.query("EXPLAIN " + sql).rows.map { $0.map(\.description).joined() }.joined(separator: "\n")
        let scans = plan.split(separator: "\n").filter { $0.contains("Scan ") }.map {
            $0.trimmingCharacters(in: .whitespaces).split(separator: " ")[1]
        }
        // The two dimensions join first (either way round), the facts last (written first).
        #expect(scans.last == "facts" && Set(scans.prefix(2)) == ["nations", "dims"], "\(plan)")
        // Nation 3 (code 9): dims 3, 23, …, 183; the facts whose d is one of them.
        let kept = facts.filter { $0[1] % 20 == 3 }
        let got = try db.query(sql).rows
        #expect(got == [[.int64(Int64(kept.count)), .hugeint(Int128(kept.reduce(0) { $0 + $1[0] }))]])
    }

    /// Three small tables of (a, b) with NULLs and repeats.
    static func rows(seed: UInt64) -> [[Int64?]] {
        var rng = SplitMix64(seed: seed)
        return (0..<40).map { _ in
            (0..<2).map { _ in rng.next() % 8 == 0 ? nil : Int64(rng.next() % 6) }
        }
    }

    @Test("equalities chained through a shared column join every pair of its tables, with the written answer")
    func chainedEqualities() throws {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path)
        let (p, q, r) = (Self.rows(seed: 1), Self.rows(seed: 2), Self.rows(seed: 3))
        for (name, rows) in [("p", p), ("q", q), ("r", r)] {
            let spec = TableSpec(
                name: name, timestamp: nil,
                dimensions: [DimensionSpec(name: "a", type: .int64), DimensionSpec(name: "b", type: .int64)],
                metrics: [])
            let table = try db.createTable(spec)
            try table.append(
                rows: rows.map { ["a": $0[0].map(Value.int64) ?? .null, "b": $0[1].map(Value.int64) ?? .null] })
            try table.flush()
        }
        func equal(_ x: Int64?, _ y: Int64?) -> Bool { x != nil && x == y }
        func count(_ keep: ([Int64?], [Int64?], [Int64?]) -> Bool) -> Int64 {
            var n: Int64 = 0
            for x in p { for y in q { for z in r where keep(x, y, z) { n += 1 } } }
            return n
        }
        let cases: [(String, ([Int64?], [Int64?], [Int64?]) -> Bool)] = [
            (
                "SELECT count(*) FROM p, q, r WHERE p.a = q.a AND q.a = r.a AND r.b = p.b",
                { equal($0[0], $1[0]) && equal($1[0], $2[0]) && equal($2[1], $0[1]) }
            ),
            // Two columns of one table in the chain: p.a = q.a = p.b.
            (
                "SELECT count(*) FROM p, q, r WHERE p.a = q.a AND q.a = p.b AND q.b = r.b",
                { equal($0[0], $1[0]) && equal($1[0], $0[1]) && equal($1[1], $2[1]) }
            ),
            (
                "SELECT count(*) FROM r JOIN q ON r.b = q.b JOIN p ON p.a = r.a AND p.a = q.a",
                { equal($2[1], $1[1]) && equal($0[0], $2[0]) && equal($0[0], $1[0]) }
            ),
        ]
        for (sql, keep) in cases {
            #expect(try db.query(sql).rows == [[.int64(count(keep))]], "\(sql)")
        }
    }
}
