import Strata
import StrataCore
import StrataTestSupport
import Testing

/// `min` and `max` of DOUBLE and BIGINT columns, grouped and ungrouped, with NULLs, NaN (above every number,
/// as DuckDB orders it), -0.0 and infinities, against extremes computed here from the input rows.
@Suite("min and max of numbers")
struct SQLMinMaxTests {
    @Test("extremes equal those of the input rows", arguments: [UInt64(1), 2, 3])
    func extremes(seed: UInt64) throws {
        var options = Database.Options()
        options.blockRowCount = 64
        let db = Database.inMemory(options: options)
        let table = try db.createTable(
            TableSpec(
                name: "m", timestamp: TimestampSpec(column: "ts"),
                dimensions: [DimensionSpec(name: "g", type: .string)],
                metrics: [MetricSpec(name: "x", type: .double), MetricSpec(name: "n", type: .int64)]))
        var rng = SplitMix64(seed: seed)
        let specials: [Double] = [.nan, -0.0, 0.0, .infinity, -.infinity, 1e300, -1e300]
        var rows: [[String: Value]] = []
        var byGroup: [String: [(Double?, Int64?)]] = [:]
        for i in 0..<2000 {
            let g = "g\(rng.next() % 4)"
            let pick = rng.next() % 100
            // Group g3's doubles are all NaN or NULL; g2's integers are all NULL.
            let x: Double? =
                pick < 10 ? nil : (g == "g3" ? .nan : (pick < 20 ? specials[Int(pick % 7)] : Double(Int(rng.next() % 2001) - 1000) / 8))
            let n: Int64? = pick % 7 == 0 || g == "g2" ? nil : Int64(bitPattern: rng.next()) >> (rng.next() % 64)
            rows.append([
                "ts": .timestamp(1_790_000_000_000 + Int64(i) * 1000), "g": .string(g),
                "x": x.map(Value.double) ?? .null, "n": n.map(Value.int64) ?? .null,
            ])
            byGroup[g, default: []].append((x, n))
        }
        try table.append(rows: rows)
        func extreme<T>(_ values: [T], max: Bool, _ order: (T, T) -> Int) -> T? {
            values.reduce(nil) { best, x in
                guard let best else { return x }
                let o = order(x, best)
                return (max ? o > 0 : o < 0) ? x : best
            }
        }
        func expected(_ pairs: [(Double?, Int64?)]) -> [Value] {
            let xs = pairs.compactMap(\.0)
            let ns = pairs.compactMap(\.1)
            let order = { (a: Double, b: Double) in ValueOrder.compare(a, b) }
            let integer = { (a: Int64, b: Int64) in a == b ? 0 : (a < b ? -1 : 1) }
            return [
                extreme(xs, max: false, order).map(Value.double) ?? .null,
                extreme(xs, max: true, order).map(Value.double) ?? .null,
                extreme(ns, max: false, integer).map(Value.int64) ?? .null,
                extreme(ns, max: true, integer).map(Value.int64) ?? .null,
            ]
        }
        func same(_ a: [Value], _ b: [Value]) -> Bool {
            a.count == b.count
                && zip(a, b).allSatisfy { x, y in
                    if case .double(let p) = x, case .double(let q) = y { return p.isNaN ? q.isNaN : p == q }
                    return x == y
                }
        }
        let grouped = try db.query("SELECT g, min(x), max(x), min(n), max(n) FROM m WHERE x IS NULL OR x = x OR x <> 1 GROUP BY g ORDER BY g").rows
        #expect(grouped.count == 4)
        for row in grouped {
            guard case .string(let g) = row[0] else { continue }
            #expect(same(Array(row.dropFirst()), expected(byGroup[g] ?? [])), "\(g): \(row)")
        }
        // Ungrouped, and with a filter so segment metadata cannot answer it.
        let all = try db.query("SELECT min(x), max(x), min(n), max(n) FROM m WHERE g <> 'none'").rows
        #expect(same(all.first ?? [], expected(byGroup.values.flatMap { $0 })), "\(all)")
    }
}
