import Strata
import StrataCore
import StrataTestSupport
import Testing

@Suite("Rollup")
struct RollupTests {
    static let spec = TableSpec(
        name: "r",
        dimensions: [DimensionSpec(name: "variant", type: .string), DimensionSpec(name: "platform", type: .string)],
        metrics: [MetricSpec(name: "revenue", type: .double), MetricSpec(name: "latency", type: .int64)],
        rollup: RollupSpec(
            granularity: .minute,
            aggregates: [
                AggregateSpec(name: "events", type: .count),
                AggregateSpec(name: "revenue_sum", type: .sum, column: "revenue"),
                AggregateSpec(name: "latency_min", type: .min, column: "latency"),
                AggregateSpec(name: "latency_max", type: .max, column: "latency"),
                AggregateSpec(name: "latency_m", type: .moments, column: "latency"),
            ]))

    @Test("rows with equal (minute, dimensions) merge, and every total is kept")
    func mergesAndKeepsTotals() throws {
        var rng = SplitMix64(seed: 42)
        let n = 5000
        let base = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
        let ts = (0..<n).map { _ in base + Int64.random(in: 0..<(30 * 60_000), using: &rng) }
        let variant = (0..<n).map { _ in ["control", "treatment", nil].randomElement(using: &rng)! }
        let platform = (0..<n).map { _ in ["ios", "android"].randomElement(using: &rng)! }
        let revenue = (0..<n).map { _ in
            Bool.random(using: &rng) ? Double(Int.random(in: 0...999, using: &rng)) / 10 : nil
        }
        let latency = (0..<n).map { _ in Int64.random(in: 1...500, using: &rng) }
        let db = Database.inMemory()
        let table = try db.createTable(Self.spec)
        // Two appends: merging happens within a segment; totals hold across segments.
        for part in [0..<2000, 2000..<n] {
            try table.append(
                ColumnBatch([
                    "ts": .timestamp(Array(ts[part])), "variant": .string(Array(variant[part])),
                    "platform": .string(Array(platform[part])), "revenue": .double(Array(revenue[part])),
                    "latency": .int64(Array(latency[part])),
                ]))
        }
        let result = try table.scan()
        let col = { (name: String) in result.columns.firstIndex(of: name)! }
        let rows = result.rows
        // 30 minutes × 3 variants × 2 platforms, per append.
        #expect(rows.count <= 2 * 30 * 3 * 2)
        #expect(rows.count < n / 10)
        func int(_ v: Value) -> Int64 { if case .int64(let x) = v { x } else { 0 } }
        func double(_ v: Value) -> Double { if case .double(let x) = v { x } else { 0 } }
        #expect(rows.reduce(0) { $0 + int($1[col("events")]) } == Int64(n))
        let revenueTotal = revenue.compactMap { $0 }.reduce(0, +)
        #expect(abs(rows.reduce(0) { $0 + double($1[col("revenue_sum")]) } - revenueTotal) < 1e-6)
        #expect(rows.map { int($0[col("latency_min")]) }.min() == latency.min())
        #expect(rows.map { int($0[col("latency_max")]) }.max() == latency.max())
        #expect(rows.reduce(0) { $0 + int($1[col("latency_m#n")]) } == Int64(n))
        #expect(rows.reduce(0) { $0 + double($1[col("latency_m#sum")]) } == Double(latency.reduce(0, +)))
        let squares = latency.reduce(0.0) { $0 + Double($1 * $1) }
        #expect(rows.reduce(0) { $0 + double($1[col("latency_m#sumsq")]) } == squares)
        // Keys are unique per segment and timestamps are truncated to the minute.
        for row in rows {
            if case .timestamp(let t) = row[0] { #expect(t % 60_000 == 0) }
        }
        // Per-key check against a direct computation, for one key.
        let key = (base + 5 * 60_000, "control", "ios")
        let expected = (0..<n).filter {
            ts[$0] / 60_000 * 60_000 == key.0 && variant[$0] == key.1 && platform[$0] == key.2
        }
        let got = rows.filter { $0[0] == .timestamp(key.0) && $0[1] == .string(key.1) && $0[2] == .string(key.2) }
        #expect(got.reduce(0) { $0 + int($1[col("events")]) } == Int64(expected.count))
    }
}
