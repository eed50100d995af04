import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Exact quantiles of integer columns switch per group between a list of values and a counting
/// histogram; these groups are long enough to cross every switch, over several segments and workers.
@Suite("Exact quantiles over integer columns")
struct QuantileHistogramTests {
    /// Group → the value of its `i`-th row (nil: NULL). Each group exercises one path.
    static let shapes: [(String, @Sendable (Int) -> Int64?)] = [
        // A narrow range: a histogram from the 1,024th value on.
        ("narrow", { i in 100 + Int64((i &* 7919) % 300) }),
        // A drifting range: the histogram widens again and again.
        ("drift", { i in Int64(i / 2) }),
        // A narrow range with rare far values: back to a list, then a histogram again where it fits.
        ("outliers", { i in i % 1500 == 1499 ? (i % 3000 == 2999 ? 1 << 40 : -(1 << 40)) : Int64(i % 50) }),
        // NULLs and negative values.
        ("nulls", { i in i % 3 == 0 ? nil : -Int64((i &* 31) % 700) }),
        // Too few values for a histogram: stays a list.
        ("short", { i in i < 40 ? Int64(i * i) : nil }),
    ]

    static func database(rowsPerGroup: Int) throws -> (Database, Table, ReferenceTable) {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 512; return o
            }())
        let spec = TableSpec(
            name: "t", dimensions: [DimensionSpec(name: "g", type: .string)],
            metrics: [MetricSpec(name: "x", type: .int64)])
        let table = try db.createTable(spec)
        var reference = ReferenceTable(spec: spec)
        for day in 1...3 {
            var rows: [[String: Value]] = []
            let midnight = try Timestamp.parse("2026-10-0\(day)").get()
            for (name, value) in shapes {
                for i in 0..<rowsPerGroup {
                    let ts = midnight + Int64(i) * Timestamp.millisecondsPerDay / Int64(rowsPerGroup)
                    let x = value((day - 1) * rowsPerGroup + i).map(Value.int64) ?? .null
                    rows.append(["ts": .timestamp(ts), "g": .string(name), "x": x])
                }
            }
            try table.append(rows: rows)
            reference.append(rows: rows)
        }
        return (db, table, reference)
    }

    @Test("grouped and ungrouped quantile_cont equal the reference evaluator's", arguments: [1, 2])
    func matchesReference(parallelism: Int) throws {
        let (db, _, reference) = try Self.database(rowsPerGroup: 3000)
        for groupBy in [[GroupKey.column("g")], []] {
            var query = Query(table: "t")
            query.groupBy = groupBy
            query.aggregations = [
                Aggregation("n", .count, column: "x"), Aggregation("p50", .quantile(0.5), column: "x"),
                Aggregation("p95", .quantile(0.95), column: "x"), Aggregation("p0", .quantile(0), column: "x"),
                Aggregation("p1", .quantile(1), column: "x"), Aggregation("p33", .quantile(0.333), column: "x"),
            ]
            let engine = try db.execute(query, options: QueryOptions(parallelism: parallelism))
            let expected = try ReferenceEvaluator.evaluate(query, on: reference)
            let difference = expected.mismatch(engine, tolerance: 0)
            #expect(difference == nil, "\(groupBy)")
        }
    }
}
