import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// `x % c` by a constant runs as a multiplication by ⌈2^64 / |c|⌉ with one correction, not a division per
/// row: every remainder must still be Swift's truncated `%` (the sign of `x`), at the ends of the range too.
@Suite("BIGINT % by a constant")
struct SQLModuloTests {
    @Test("remainders equal Swift's % for edge and random values, every divisor sign and size")
    func remainders() throws {
        var rng = SplitMix64(seed: 5)
        var values: [Int64] = [0, 1, -1, 2, -2, 99, 100, 101, -99, -100, -101, .max, .min, .max - 1, .min + 1]
        for _ in 0..<3_000 { values.append(Int64(bitPattern: rng.next())) }
        for _ in 0..<1_000 { values.append(Int64.random(in: -100_000...100_000, using: &rng)) }
        let db = Database.inMemory()
        let table = try db.createTable(TableSpec(name: "t", metrics: [MetricSpec(name: "x", type: .int64)]))
        let day = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
        try table.append(rows: values.enumerated().map { i, x in ["ts": .timestamp(day + Int64(i)), "x": .int64(x)] })
        let divisors: [Int64] = [1, 2, 3, 7, 10, 100, -100, 1_000_000_007, -3, 4_611_686_018_427_387_904, .max, .min + 1]
        for c in divisors {
            let rows = try db.query("SELECT x, x % \(c) AS r FROM t").rows
            #expect(rows.count == values.count)
            for row in rows {
                guard case .int64(let x) = row[0], case .int64(let r) = row[1] else {
                    Issue.record("\(row)")
                    continue
                }
                #expect(r == x % c, "\(x) % \(c)")
            }
        }
        // Through a group key, as dashboards bucket values.
        let buckets = try db.query(
            "SELECT x - x % 1000 AS b, count(*) AS n FROM t WHERE x BETWEEN -100000 AND 100000 GROUP BY x - x % 1000 ORDER BY b"
        ).rows
        var expected: [Int64: Int64] = [:]
        for x in values where x >= -100_000 && x <= 100_000 { expected[x - x % 1000, default: 0] += 1 }
        #expect(buckets == expected.keys.sorted().map { [.int64($0), .int64(expected[$0] ?? 0)] })
    }
}
