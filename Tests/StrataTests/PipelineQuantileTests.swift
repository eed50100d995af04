import Strata
import StrataCore
import StrataTestSupport
import Testing

/// The pipeline's integer quantiles count a group's values in a histogram when their range is narrow and
/// keep a list otherwise; these groups cross every switch (narrow, drifting, far outliers, the ends of
/// BIGINT, wide ranges, NULLs, many small groups) over several segments and workers. Expected answers are
/// computed here from the rows themselves.
@Suite("Pipeline quantiles of BIGINT columns")
struct PipelineQuantileTests {
    /// Group → the value of its `i`-th row (nil: NULL).
    static let shapes: [(String, @Sendable (Int) -> Int64?)] = [
        ("narrow", { i in 100 + Int64((i &* 7919) % 300) }),
        ("drift", { i in Int64(i / 2) }),
        ("drift_down", { i in -Int64(i * 3) }),
        ("outliers", { i in i % 1500 == 1499 ? (i % 3000 == 2999 ? 1 << 40 : -(1 << 40)) : Int64(i % 50) }),
        ("nulls", { i in i % 3 == 0 ? nil : -Int64((i &* 31) % 700) }),
        ("short", { i in i < 40 ? Int64(i * i) : nil }),
        ("single", { _ in 42 }),
        ("top", { i in i % 997 == 0 ? .min : Int64.max - Int64((i &* 13) % 500) }),
        ("bottom", { i in i % 991 == 0 ? .max : Int64.min + Int64((i &* 17) % 500) }),
        ("ends", { i in i % 2 == 0 ? .min : .max }),
        ("wide", { i in Int64((i &* 1_000_003) % 2_000_000_011) - 1_000_000_000 }),
        ("huge", { i in Int64(i % 7) << 55 | Int64(i % 3) }),
        ("late_wide", { i in i < 4000 ? Int64(i % 10) : Int64(i) * 1_000_000_007 }),
    ]
    static let rowsPerGroup = 3000
    static let days = 3
    /// Many small groups (a few values each) beside the shaped ones.
    static let smallGroups = 300

    /// A user id for row `i` of group `g` (for approx_count_distinct): some repeats, some groups above the
    /// sketch's sparse limit.
    static func user(_ g: String, _ i: Int) -> String { "u\((i &* 7919 &+ g.count) % (g.count * 1500))" }

    static func database() throws -> (Database, [String: [Int64]], [String: [String]]) {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 512; return o
            }())
        let spec = TableSpec(
            name: "t", dimensions: [DimensionSpec(name: "g", type: .string), DimensionSpec(name: "u", type: .string)],
            metrics: [MetricSpec(name: "x", type: .int64)])
        let table = try db.createTable(spec)
        var values: [String: [Int64]] = [:]
        var users: [String: [String]] = [:]
        for day in 1...days {
            var rows: [[String: Value]] = []
            let midnight = try Timestamp.parse("2026-10-0\(day)").get()
            for (name, value) in shapes {
                for i in 0..<rowsPerGroup {
                    let ts = midnight + Int64(i) * Timestamp.millisecondsPerDay / Int64(rowsPerGroup)
                    let x = value((day - 1) * rowsPerGroup + i)
                    if let x { values[name, default: []].append(x) }
                    let u = Self.user(name, (day - 1) * rowsPerGroup + i)
                    users[name, default: []].append(u)
                    rows.append(["ts": .timestamp(ts), "g": .string(name), "u": .string(u), "x": x.map(Value.int64) ?? .null])
                }
            }
            for k in 0..<smallGroups {
                for j in 0..<(k % 5) {
                    let x = Int64((k &* 131 &+ j &* 7 &+ day) % 1000) - 300
                    values["s\(k)", default: []].append(x)
                    users["s\(k)", default: []].append("v\(j)")
                    rows.append([
                        "ts": .timestamp(midnight + Int64(k * 60_000 + j)), "g": .string("s\(k)"), "u": .string("v\(j)"),
                        "x": .int64(x),
                    ])
                }
            }
            try table.append(rows: rows)
        }
        return (db, values, users)
    }

    static let fractions = [0.0, 0.5, 0.95, 1.0, 0.333, 0.999]

    /// DuckDB's `quantile_cont` over the values sorted as doubles.
    static func expected(_ values: [Int64], _ q: Double) throws -> Value {
        let sorted = values.map(Double.init).sorted()
        return try ExactQuantile.continuous(sorted: sorted, q: q).map(Value.double) ?? .null
    }

    static func same(_ a: Value, _ b: Value) -> Bool {
        if case .double(let x) = a, case .double(let y) = b { return x.bitPattern == y.bitPattern }
        return a == b
    }

    @Test("grouped and ungrouped quantile_cont on the pipeline equal the rows' exact quantiles", arguments: [1, 2])
    func exact(parallelism: Int) throws {
        let (db, values, _) = try Self.database()
        let columns = Self.fractions.map { "quantile_cont(x, \($0))" }.joined(separator: ", ")
        let grouped = try db.query(
            "SELECT g, \(columns) FROM (SELECT * FROM t) AS t GROUP BY g", options: QueryOptions(parallelism: parallelism))
        #expect(grouped.rows.count == values.count)
        for row in grouped.rows {
            guard case .string(let g) = row[0] else {
                Issue.record("key \(row[0])")
                continue
            }
            let xs = values[g] ?? []
            for (k, q) in Self.fractions.enumerated() {
                let want = try Self.expected(xs, q)
                #expect(Self.same(row[k + 1], want), "\(g) q=\(q): \(row[k + 1]) vs \(want)")
            }
        }
        // One group holding everything, and each shape alone (a WHERE on the key).
        let all = values.values.flatMap { $0 }
        let whole = try db.query("SELECT \(columns) FROM t", options: QueryOptions(parallelism: parallelism))
        for (k, q) in Self.fractions.enumerated() {
            #expect(Self.same(whole.rows[0][k], try Self.expected(all, q)), "all q=\(q)")
        }
        for (name, _) in Self.shapes {
            let one = try db.query(
                "SELECT \(columns) FROM t WHERE g = '\(name)'", options: QueryOptions(parallelism: parallelism))
            for (k, q) in Self.fractions.enumerated() {
                let want = try Self.expected(values[name] ?? [], q)
                #expect(Self.same(one.rows[0][k], want), "\(name) alone q=\(q): \(one.rows[0][k]) vs \(want)")
            }
        }
    }

    /// approx_quantile of BIGINT, rounded as DuckDB keeps the type (half to even).
    static func approximate(_ values: [Int64], _ q: Double) throws -> Value {
        var sketch = QuantileSketch()
        for x in values { sketch.insert(Double(x)) }
        guard let estimate = try sketch.quantile(q) else { return .null }
        let rounded = estimate.rounded(.toNearestOrEven)
        if rounded >= 0x1p63 { return .int64(.max) }
        if rounded <= -0x1p63 { return .int64(.min) }
        return .int64(Int64(rounded))
    }

    @Test("approx_quantile and approx_count_distinct on the pipeline equal sketches fed the rows", arguments: [1, 2])
    func sketches(parallelism: Int) throws {
        let (db, values, users) = try Self.database()
        let fractions = [0.0, 0.5, 0.95, 1.0]
        let columns = fractions.map { "approx_quantile(x, \($0))" }.joined(separator: ", ")
        let grouped = try db.query(
            "SELECT g, approx_count_distinct(u), \(columns) FROM (SELECT * FROM t) AS t GROUP BY g",
            options: QueryOptions(parallelism: parallelism))
        #expect(grouped.rows.count == users.count)
        for row in grouped.rows {
            guard case .string(let g) = row[0] else {
                Issue.record("key \(row[0])")
                continue
            }
            var sketch = HyperLogLog()
            for u in users[g] ?? [] { sketch.insert(u) }
            #expect(row[1] == .int64(sketch.estimate), "\(g): \(row[1]) vs \(sketch.estimate)")
            for (k, q) in fractions.enumerated() {
                let want = try Self.approximate(values[g] ?? [], q)
                #expect(row[k + 2] == want, "\(g) q=\(q): \(row[k + 2]) vs \(want)")
            }
        }
        let all = values.values.flatMap { $0 }
        let whole = try db.query("SELECT \(columns) FROM t", options: QueryOptions(parallelism: parallelism))
        for (k, q) in fractions.enumerated() {
            #expect(whole.rows[0][k] == (try Self.approximate(all, q)), "all q=\(q)")
        }
    }
}
