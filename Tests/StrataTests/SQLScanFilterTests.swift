import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// The scan applies the WHERE itself: conjunct by conjunct over a shrinking selection, a predicate of a
/// dictionary column as a comparison of codes, a column against a constant tested in place, the other
/// columns decoded only for blocks with rows left. Every row kept must be one the condition holds for, as
/// computed here from the input rows (NULL fails; NaN above every number), across many small blocks and
/// partly covered time ranges.
@Suite("WHERE in the scan")
struct SQLScanFilterTests {
    struct Row: Sendable {
        var id: Int64
        var ts: Int64
        var country: String?
        var n: Int64?
        var d: Double?
    }

    static let day = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay

    static func rows() -> [Row] {
        var rng = SplitMix64(seed: 11)
        let countries = ["US", "DE", "FR", "BR", "", "Ünïcode"]
        return (0..<6_000).map { i in
            let pick = Int(rng.next() % 100)
            return Row(
                id: Int64(i), ts: day + Int64(i) * 30_000,
                country: pick < 8 ? nil : countries[pick % countries.count],
                n: pick % 11 == 0 ? nil : Int64(rng.next() % 12) - 2,
                d: pick % 13 == 0 ? nil : (pick % 17 == 0 ? .nan : Double(rng.next() % 1000) / 1000))
        }
    }

    static func database(_ rows: [Row], blockRows: Int) throws -> Database {
        var options = Database.Options()
        options.blockRowCount = blockRows
        let db = Database.inMemory(options: options)
        let table = try db.createTable(
            TableSpec(
                name: "t", timestamp: TimestampSpec(column: "ts"),
                dimensions: [DimensionSpec(name: "country", type: .string), DimensionSpec(name: "n", type: .int64)],
                metrics: [MetricSpec(name: "d", type: .double), MetricSpec(name: "id", type: .int64)],
                segmentGranularity: .hour))
        try table.append(
            rows: rows.map { r in
                [
                    "ts": .timestamp(r.ts), "country": r.country.map(Value.string) ?? .null,
                    "n": r.n.map(Value.int64) ?? .null, "d": r.d.map(Value.double) ?? .null, "id": .int64(r.id),
                ]
            })
        return db
    }

    /// NaN compares above every number (DuckDB's and ValueOrder's order); NULL fails every comparison.
    static func above(_ d: Double?, _ c: Double) -> Bool { d.map { $0.isNaN || $0 > c } ?? false }

    static let cases: [(String, @Sendable (Row) -> Bool)] = [
        ("country = 'US'", { $0.country == "US" }),
        ("country <> 'US'", { $0.country.map { $0 != "US" } ?? false }),
        ("country IN ('US', 'DE', '')", { ["US", "DE", ""].contains($0.country ?? "-") }),
        ("country = 'nowhere'", { _ in false }),
        ("country <> 'nowhere'", { $0.country != nil }),
        ("n > 5", { ($0.n ?? .min) > 5 }),
        ("5 < n", { ($0.n ?? .min) > 5 }),
        ("n >= 0 AND n < 4 AND country <> 'DE'", { r in r.n.map { $0 >= 0 && $0 < 4 } == true && r.country.map { $0 != "DE" } == true }),
        ("country = 'FR' AND n = 3", { $0.country == "FR" && $0.n == 3 }),
        ("d > 0.5", { above($0.d, 0.5) }),
        ("d <= 0.25 AND country IN ('BR', 'Ünïcode')", { r in r.d.map { !$0.isNaN && $0 <= 0.25 } == true && ["BR", "Ünïcode"].contains(r.country ?? "-") }),
        ("country = 'US' OR n = 1", { $0.country == "US" || $0.n == 1 }),
        ("NOT (country = 'US') AND n <> 2", { r in r.country.map { $0 != "US" } == true && r.n.map { $0 != 2 } == true }),
        (
            "ts >= TIMESTAMP '2026-10-01 03:10:00' AND ts < TIMESTAMP '2026-10-01 17:55:30' AND country = 'DE' AND n < 3",
            { r in
                r.ts >= day + 3 * 3_600_000 + 600_000 && r.ts < day + 17 * 3_600_000 + 55 * 60_000 + 30_000
                    && r.country == "DE" && (r.n ?? .max) < 3
            }
        ),
        ("id % 7 = 3 AND country = 'US'", { $0.id % 7 == 3 && $0.country == "US" }),
        ("country = 'US' AND id % 97 = 0", { $0.id % 97 == 0 && $0.country == "US" }),
    ]

    @Test("kept rows are the rows the condition holds for", arguments: [64, 1_024])
    func keptRows(blockRows: Int) throws {
        let rows = Self.rows()
        let db = try Self.database(rows, blockRows: blockRows)
        for (condition, holds) in Self.cases {
            let expected = rows.filter(holds)
            let ids = try db.query("SELECT id FROM t WHERE \(condition) ORDER BY id").rows
            #expect(ids == expected.map { [.int64($0.id)] }, "\(condition)")
            let counted = try db.query("SELECT count(*), sum(n) FROM t WHERE \(condition)").rows
            let sum = expected.compactMap(\.n).reduce(0, +)
            let hasN = expected.contains { $0.n != nil }
            #expect(counted == [[.int64(Int64(expected.count)), hasN ? .hugeint(Int128(sum)) : .null]], "\(condition)")
            // With a LIMIT, the scan stops once it has that many kept rows: the first ones in scan order.
            let limited = try db.query("SELECT id FROM t WHERE \(condition) LIMIT 5").rows
            #expect(limited == expected.prefix(5).map { [.int64($0.id)] }, "\(condition) LIMIT 5")
        }
    }

    @Test("groups of several keys past the flat array's range: every combination counted once")
    func manyKeyCombinations() throws {
        // 400 × 300 combinations of two integer keys: the flat array of groups (2^16 slots) gives way to
        // hashed pairs partway through, and the groups numbered before must keep their counts.
        let db = Database.inMemory()
        let table = try db.createTable(
            TableSpec(
                name: "g", timestamp: TimestampSpec(column: "ts"),
                dimensions: [
                    DimensionSpec(name: "a", type: .int64), DimensionSpec(name: "b", type: .int64),
                    DimensionSpec(name: "c", type: .string),
                ],
                metrics: [MetricSpec(name: "x", type: .int64)]))
        var rng = SplitMix64(seed: 3)
        var counts: [[Int64]: (n: Int64, x: Int64)] = [:]
        var rows: [[String: Value]] = []
        for i in 0..<150_000 {
            // The first rows use few values of each key, so the flat array starts small and widens.
            let spread = i < 20_000 ? 16 : 400
            let a = Int64(rng.next() % UInt64(spread))
            let b = Int64(rng.next() % UInt64(Swift.min(spread, 300)))
            let c = Int64(rng.next() % 3)
            let x = Int64(rng.next() % 1000)
            rows.append(["ts": .timestamp(Self.day + Int64(i) * 10_000), "a": .int64(a), "b": .int64(b), "c": .string("c\(c)"), "x": .int64(x)])
            counts[[a, b, c], default: (0, 0)].n += 1
            counts[[a, b, c], default: (0, 0)].x += x
        }
        try table.append(rows: rows)
        let result = try db.query("SELECT a, b, c, count(*), sum(x) FROM g GROUP BY a, b, c ORDER BY a, b, c").rows
        let expected = counts.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key -> [Value] in
            [.int64(key[0]), .int64(key[1]), .string("c\(key[2])"), .int64(counts[key]?.n ?? 0), .hugeint(Int128(counts[key]?.x ?? 0))]
        }
        // The first difference only: a diff of 100,000-row answers takes the test framework minutes.
        #expect(result.count == expected.count)
        let first = result.indices.first { $0 < expected.count && result[$0] != expected[$0] }
        #expect(first == nil, "row \(first ?? 0): \(first.map { "\(result[$0]) != \(expected[$0])" } ?? "")")
        let pairs = try db.query("SELECT count(*) FROM (SELECT a, b FROM g GROUP BY a, b) AS p").rows
        #expect(pairs == [[.int64(Int64(Set(counts.keys.map { [$0[0], $0[1]] }).count))]])
    }
}
