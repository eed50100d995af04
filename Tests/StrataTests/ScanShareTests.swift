import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Workers over few segments split each segment's blocks into contiguous runs (``SegmentScan``'s share): a
/// lookup table is one segment, and a narrow time filter leaves one. Every row must be read exactly once —
/// through WHERE filters, bitmap-index filters and time bounds — and operators that keep input order (window
/// ties, ORDER BY ties under LIMIT) must answer the same on 1, 2 and 3 workers.
@Suite("Scan shares within a segment")
struct ScanShareTests {
    typealias Row = (k: Int64?, v: Int64, s: String)

    /// 200,000 rows: a dozen blocks in one segment.
    static let rows: [Row] = {
        var rng = SplitMix64(seed: 7)
        let words = ["a", "b", "c", "d", "e", "f", "g"]
        return (0..<200_000).map { _ in
            let k: Int64? = rng.next() % 50 == 0 ? nil : Int64(rng.next() % 500)
            return (k, Int64(rng.next() % 10_000), words[Int(rng.next() % UInt64(words.count))])
        }
    }()

    static func lookupTable() throws -> (Database, TestDirectory) {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path)
        let table = try db.createTable(
            TableSpec(
                name: "t", timestamp: nil,
                dimensions: [DimensionSpec(name: "k", type: .int64), DimensionSpec(name: "s", type: .string)],
                metrics: [MetricSpec(name: "v", type: .int64)]))
        try table.append(rows: rows.map { ["k": $0.k.map(Value.int64) ?? .null, "v": .int64($0.v), "s": .string($0.s)] })
        try table.flush()
        return (db, dir)
    }

    @Test("every row is read once: counts and sums equal those computed from the rows", arguments: [1, 2, 3])
    func everyRowOnce(parallelism: Int) throws {
        let (db, dir) = try Self.lookupTable()
        defer { _ = dir }
        let options = QueryOptions(parallelism: parallelism)
        func check(_ sql: String, _ keep: (Row) -> Bool) throws {
            let kept = Self.rows.filter(keep)
            let got = try db.query(sql, options: options).rows
            #expect(
                got == [[.int64(Int64(kept.count)), kept.isEmpty ? .null : .hugeint(Int128(kept.reduce(0) { $0 + $1.v }))]],
                "\(sql) on \(parallelism) workers")
        }
        try check("SELECT count(*), sum(v) FROM t") { _ in true }
        try check("SELECT count(*), sum(v) FROM t WHERE v < 1234") { $0.v < 1234 }
        // The bitmap index of `s` names the rows first; each run starts at its own first indexed row.
        try check("SELECT count(*), sum(v) FROM t WHERE s = 'c'") { $0.s == "c" }
        try check("SELECT count(*), sum(v) FROM t WHERE s IN ('a', 'g') AND v > 5000") {
            ($0.s == "a" || $0.s == "g") && $0.v > 5000
        }
        let analyze = try db.query("EXPLAIN ANALYZE SELECT count(*) FROM t WHERE v >= 0", options: options)
            .rows.map { "\($0)" }.joined(separator: "\n")
        #expect(analyze.contains("segments 1/1 scanned"), "\(analyze)")
        #expect(analyze.contains("rows 200000/200000 matched"), "\(analyze)")
    }

    @Test("window ties, ORDER BY ties under LIMIT and groups answer the same on 1, 2 and 3 workers")
    func sameOnAnyWorkerCount() throws {
        let (db, dir) = try Self.lookupTable()
        defer { _ = dir }
        let queries = [
            // Ties of k are numbered in input order.
            "SELECT k, v, row_number() OVER (PARTITION BY s ORDER BY k) AS n FROM t QUALIFY n <= 3 ORDER BY s, n",
            "SELECT k, v, s FROM t ORDER BY k NULLS FIRST LIMIT 25",
            "SELECT s, count(*), sum(v), min(k), max(k) FROM t GROUP BY s ORDER BY s",
            "SELECT k, count(*) FROM t GROUP BY k ORDER BY k NULLS FIRST",
        ]
        for sql in queries {
            let one = try db.query(sql, options: QueryOptions(parallelism: 1)).rows
            #expect(!one.isEmpty)
            for workers in [2, 3] {
                #expect(try db.query(sql, options: QueryOptions(parallelism: workers)).rows == one, "\(sql) on \(workers)")
            }
        }
    }
}
