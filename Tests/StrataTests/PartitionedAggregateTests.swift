import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// GROUP BY a nearly unique integer key on several workers splits each worker's rows by key hash into
/// partitions that merge and finish in parallel (``PartitionedAggregate``). The answers must be those
/// computed here from the input rows, with NULL keys, NULL arguments, a WHERE selection, two keys and an
/// expression key — on one worker (no partitions) and on several.
@Suite("Partitioned hash aggregation")
struct PartitionedAggregateTests {
    typealias Row = (day: Int, k: Int64?, v: Int64?, d: Double)

    static func rows(seed: UInt64) -> [Row] {
        var rng = SplitMix64(seed: seed)
        return (0..<15_000).map { i in
            let k: Int64? = rng.next() % 20 == 0 ? nil : Int64(rng.next() % 40_000) - 1_000
            let v: Int64? = rng.next() % 10 == 0 ? nil : Int64(rng.next() % 1_000)
            return (i / 5_000, k, v, Double(rng.next() % 10_000) / 8)
        }
    }

    static let spec = TableSpec(
        name: "t", timestamp: TimestampSpec(column: "ts"),
        dimensions: [DimensionSpec(name: "k", type: .int64)],
        metrics: [MetricSpec(name: "v", type: .int64), MetricSpec(name: "d", type: .double)],
        segmentGranularity: .day)

    static func table(_ rows: [Row]) throws -> (Database, TestDirectory) {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path)
        let table = try db.createTable(spec)
        let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
        for day in 0..<3 {
            try table.append(
                rows: rows.enumerated().filter { $0.element.day == day }.map { i, row in
                    [
                        "ts": .timestamp(start + Int64(day) * Timestamp.millisecondsPerDay + Int64(i)),
                        "k": row.k.map(Value.int64) ?? .null, "v": row.v.map(Value.int64) ?? .null,
                        "d": .double(row.d),
                    ]
                })
            try table.flush()
        }
        return (db, dir)
    }

    /// Groups `rows` by `key` (nil keys group together, as SQL's NULL group does) into count(*), sum(v),
    /// min(v), max(v), count(DISTINCT v) and sum(d), sorted by key with NULL last.
    static func expected(_ rows: [Row], key: (Row) -> [Int64?]) -> [[Value]] {
        var groups: [[Int64?]: [Row]] = [:]
        for row in rows { groups[key(row), default: []].append(row) }
        func value(_ x: Int64?) -> Value { x.map(Value.int64) ?? .null }
        let sorted = groups.keys.sorted { a, b in
            for (x, y) in zip(a, b) where x != y {
                guard let x else { return false }
                guard let y else { return true }
                return x < y
            }
            return false
        }
        return sorted.map { k in
            let members = groups[k] ?? []
            let vs = members.compactMap(\.v)
            return k.map(value) + [
                .int64(Int64(members.count)), vs.isEmpty ? .null : .hugeint(Int128(vs.reduce(0, +))),
                value(vs.min()), value(vs.max()), .int64(Int64(Set(vs).count)),
                .double(members.reduce(0) { $0 + $1.d }),
            ]
        }
    }

    static let aggregates = "count(*), sum(v), min(v), max(v), count(DISTINCT v), sum(d)"

    @Test("answers equal those computed from the rows", arguments: [1, 2, 3])
    func answers(parallelism: Int) throws {
        let rows = Self.rows(seed: 11)
        let (db, dir) = try Self.table(rows)
        defer { _ = dir }
        let options = QueryOptions(parallelism: parallelism)
        func check(_ sql: String, _ expected: [[Value]]) throws {
            let got = try db.query(sql, options: options).rows
            #expect(got.count == expected.count, "\(sql)")
            for (g, e) in zip(got, expected) where !ReferenceRelation.sameRow(g, e) {
                Issue.record("\(sql): got \(g), expected \(e)")
                break
            }
        }
        try check(
            "SELECT k, \(Self.aggregates) FROM t GROUP BY k ORDER BY k NULLS LAST",
            Self.expected(rows) { [$0.k] })
        try check(
            "SELECT k, \(Self.aggregates) FROM t WHERE v > 100 OR v IS NULL GROUP BY k ORDER BY k NULLS LAST",
            Self.expected(rows.filter { $0.v.map { $0 > 100 } ?? true }) { [$0.k] })
        try check(
            "SELECT k, k % 7 AS m, \(Self.aggregates) FROM t GROUP BY k, k % 7 ORDER BY k NULLS LAST",
            Self.expected(rows) { [$0.k, $0.k.map { $0 % 7 }] })
        try check(
            "SELECT k * 2 AS k2, \(Self.aggregates) FROM t GROUP BY k * 2 ORDER BY k2 NULLS LAST",
            Self.expected(rows) { [$0.k.map { $0 * 2 }] })
        // A HAVING over the groups, and a count of them: every group exactly once across partitions.
        let counts = Self.expected(rows) { [$0.k] }
        let many = counts.filter { if case .int64(let n) = $0[1] { n >= 2 } else { false } }.count
        let got = try db.query(
            "SELECT count(*) FROM (SELECT k, count(*) AS n FROM t GROUP BY k HAVING count(*) >= 2)", options: options
        ).rows
        #expect(got == [[.int64(Int64(many))]])
    }
}
