import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// LIMIT without ORDER BY, DISTINCT or grouping stops the scan (through a filter, it stops pulling
/// batches): the rows are the first ones the full scan would give, in the same order.
@Suite("LIMIT pushdown into scans")
struct SQLLimitPushdownTests {
    static func database() throws -> Database {
        var options = Database.Options()
        options.blockRowCount = 64
        let db = Database.inMemory(options: options)
        let table = try db.createTable(RandomTable.spec(name: "t"))
        try table.append(RandomTable.batch(rows: 1_000, days: 3, seed: 11))
        return db
    }

    @Test(
        "the first rows of the full scan, and EXPLAIN says where the scan stops",
        arguments: [
            ("SELECT * FROM t", 7, 3, "stops after 10 rows"),
            ("SELECT country, amount FROM t", 5, 0, "stops after 5 rows"),
            ("SELECT user, cohort FROM t WHERE country = 'US'", 4, 2, "stops after 4 rows (offset 2)"),
            ("SELECT ts, score FROM t WHERE ts >= TIMESTAMP '2026-10-02'", 300, 0, "stops after 300 rows"),
            ("SELECT * FROM t", 2_000, 0, "stops after 2000 rows"),
        ])
    func firstRows(sql: String, limit: Int, offset: Int, explained: String) throws {
        let db = try Self.database()
        let all = try db.query(sql).rows
        let limited = try db.query(sql + " LIMIT \(limit) OFFSET \(offset)").rows
        let start = min(offset, all.count)
        #expect(limited == Array(all[start..<min(all.count, start + limit)]))
        let plan = try db.query("EXPLAIN " + sql + " LIMIT \(limit) OFFSET \(offset)").rows.map { "\($0[0])" }
        #expect(plan.contains { $0.contains(explained) }, "\(plan)")
    }

    @Test("no pushdown where rows are dropped, added or reordered above the scan")
    func notPushed() throws {
        let db = try Self.database()
        for sql in [
            "SELECT * FROM t ORDER BY amount LIMIT 5", "SELECT DISTINCT country FROM t LIMIT 3",
            "SELECT country, count(*) FROM t GROUP BY country LIMIT 2",
        ] {
            let plan = try db.query("EXPLAIN " + sql).rows.map { "\($0[0])" }
            #expect(!plan.contains { $0.contains("stops after") }, "\(sql): \(plan)")
        }
        // A huge LIMIT plus OFFSET does not overflow.
        let rows = try db.query("SELECT * FROM t LIMIT 9223372036854775807 OFFSET 10").rows
        #expect(rows.count == 990)
    }
}
