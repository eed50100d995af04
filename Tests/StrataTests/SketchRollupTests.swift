import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// HyperLogLog and quantile sketches stored as rollup metrics (`hll`, `quantile` aggregates).
@Suite("Sketches stored as rollup metrics")
struct SketchRollupTests {
    static let rollup = RollupSpec(
        granularity: .hour,
        aggregates: [
            AggregateSpec(name: "rows", type: .count),
            AggregateSpec(name: "users", type: .hll, column: "user"),
            AggregateSpec(name: "counts_hll", type: .hll, column: "count"),
            AggregateSpec(name: "amount_q", type: .quantile, column: "amount"),
            AggregateSpec(name: "count_q", type: .quantile, column: "count"),
            AggregateSpec(name: "amount_sum", type: .sum, column: "amount"),
        ])

    /// RandomTable's country and flag, with `user` as an input metric that only the HLL reads.
    static func rolledSpec() -> TableSpec {
        var spec = RandomTable.spec(rollup: rollup)
        spec.dimensions.removeAll { !["country", "flag"].contains($0.name) }
        spec.metrics.insert(MetricSpec(name: "user", type: .string), at: 0)
        return spec
    }

    /// The columns of `batch` the rolled-up table takes.
    static func project(_ batch: ColumnBatch) -> ColumnBatch {
        var out = ColumnBatch()
        for name in ["ts", "country", "flag", "user", "amount", "count"] {
            out.append(column: name, batch.vector(named: name)!)
        }
        return out
    }

    static func query(filter: Filter? = nil) -> Query {
        var query = Query(table: "t", groupBy: [.column("country"), .timeBucket(.day)])
        query.filter = filter
        query.aggregations = [
            Aggregation("n", .count), Aggregation("users", .approxCountDistinct, column: "user"),
            Aggregation("distinct_counts", .approxCountDistinct, column: "count"),
            Aggregation("p50", .approxQuantile(0.5), column: "amount"),
            Aggregation("p90", .approxQuantile(0.9), column: "amount"),
            Aggregation("count_p99", .approxQuantile(0.99), column: "count"),
            Aggregation("flagged_users", .approxCountDistinct, column: "user", filter: .equals("flag", .bool(true))),
        ]
        query.orderBy = [OrderKey("country"), OrderKey("day_bucket")]
        return query
    }

    @Test("rolled-up sketches answer with exactly the raw table's estimates, across segments, flushes and compaction")
    func sameEstimatesAsRaw() throws {
        let raw = Database.inMemory()
        let rawTable = try raw.createTable(RandomTable.spec())
        let dir = TestDirectory()
        var options = Database.Options()
        options.blockRowCount = 256
        let db = try Database.open(at: dir.path, options: options)
        let rolled = try db.createTable(Self.rolledSpec())
        for seed in 1...4 as ClosedRange<UInt64> {
            let batch = RandomTable.batch(rows: 1200, days: 3, seed: seed)
            try rawTable.append(batch)
            try rolled.append(Self.project(batch))
            if seed == 2 { try rolled.flush() }  // segments on disk plus a head segment
        }
        #expect(rolled.rowCount < rawTable.rowCount)  // rows did merge
        let expected = try raw.execute(Self.query())
        #expect(ReferenceEvaluator.same(try db.execute(Self.query()), expected, ordered: true, tolerance: 0))
        let filter = Filter.not(.equals("country", "US"))
        #expect(
            ReferenceEvaluator.same(
                try db.execute(Self.query(filter: filter)), try raw.execute(Self.query(filter: filter)), ordered: true,
                tolerance: 0))
        try rolled.flush()
        _ = try rolled.compact()
        #expect(ReferenceEvaluator.same(try db.execute(Self.query()), expected, ordered: true, tolerance: 0))
        try db.close()
        let reopened = try Database.open(at: dir.path, options: options)
        #expect(ReferenceEvaluator.same(try reopened.execute(Self.query()), expected, ordered: true, tolerance: 0))
        #expect(reopened.verify().isEmpty)
    }

    @Test("SQL names the input metrics of a rolled-up table inside aggregates; * shows the stored columns")
    func sql() throws {
        let raw = Database.inMemory()
        let rolled = Database.inMemory()
        let batch = RandomTable.batch(rows: 1500, days: 2, seed: 11)
        try raw.createTable(RandomTable.spec()).append(batch)
        try rolled.createTable(Self.rolledSpec()).append(Self.project(batch))
        let sql = """
            SELECT country, count(*) AS n, approx_count_distinct("user") AS users,
                   approx_quantile(amount, 0.9) AS p90, sum(amount) AS revenue
            FROM t WHERE flag GROUP BY country ORDER BY country NULLS FIRST
            """
        let a = try raw.query(sql)
        let b = try rolled.query(sql)
        #expect(ReferenceEvaluator.same(a, b, ordered: true, tolerance: 1e-9))
        #expect(b.rows.count > 3)
        // Stored sketch columns read with their own aggregate, by their stored name.
        let direct = try rolled.query("SELECT approx_count_distinct(users) FROM t WHERE flag")
        #expect(direct.rows == (try raw.query("SELECT approx_count_distinct(\"user\") FROM t WHERE flag")).rows)
        let p90 = "SELECT country, approx_quantile({c}, 0.9) FROM t GROUP BY country ORDER BY country NULLS FIRST"
        let stored = try rolled.query(p90.replacingOccurrences(of: "{c}", with: "amount_q"))
        #expect(stored.rows == (try raw.query(p90.replacingOccurrences(of: "{c}", with: "amount"))).rows)
        #expect(throws: StrataError.self) { try rolled.query("SELECT sum(amount_q) FROM t") }
        // `*` lists stored columns; sketch cells read as a summary.
        let star = try rolled.query("SELECT * FROM t LIMIT 1")
        #expect(star.columnNames.contains("users") && !star.columnNames.contains("user"))
        let summary = try #require(star.rows.first?[star.columnNames.firstIndex(of: "users")!])
        #expect(summary.description.hasPrefix("hll(≈"))
        let error = #expect(throws: StrataError.self) { try rolled.query("SELECT amount FROM t") }
        #expect(error?.message.contains("input metric of the rolled-up table") == true)
    }

    @Test("a sketch column used as a value or with another aggregate is a clear error")
    func misuse() throws {
        let db = Database.inMemory()
        try db.createTable(Self.rolledSpec()).append(Self.project(RandomTable.batch(rows: 100, seed: 3)))
        let attempts: [Query] = [
            Query(table: "t", aggregations: [Aggregation("x", .countDistinct, column: "users")]),
            Query(table: "t", aggregations: [Aggregation("x", .approxQuantile(0.5), column: "users")]),
            Query(table: "t", aggregations: [Aggregation("x", .approxCountDistinct, column: "amount_q")]),
            Query(table: "t", filter: .isNull("users"), aggregations: [Aggregation("n", .count)]),
            Query(table: "t", groupBy: [.column("amount_q")], aggregations: [Aggregation("n", .count)]),
        ]
        for query in attempts {
            let error = #expect(throws: StrataError.self) { try db.execute(query) }
            #expect(error?.message.contains("holds sketches") == true, "\(error?.message ?? "")")
        }
    }

    @Test("table specs: hll reads any metric, quantile a numeric one; string metrics only feed hll")
    func validation() throws {
        try Self.rolledSpec().validate()
        var spec = Self.rolledSpec()
        spec.rollup!.aggregates.append(AggregateSpec(name: "user_q", type: .quantile, column: "user"))
        #expect(throws: StrataError.self) { try spec.validate() }
        spec = Self.rolledSpec()
        spec.rollup!.aggregates.removeAll { $0.column == "user" }
        #expect(throws: StrataError.self) { try spec.validate() }  // a string metric nothing sketches
        spec = Self.rolledSpec()
        spec.rollup!.aggregates.append(AggregateSpec(name: "c_hll", type: .hll, column: "country"))
        let error = #expect(throws: StrataError.self) { try spec.validate() }
        #expect(error?.message.contains("not a metric") == true)
        let json = """
            {"name": "m", "timestamp": {"column": "ts"},
             "dimensions": [{"name": "variant", "type": "string"}],
             "metrics": [{"name": "user_id", "type": "string"}, {"name": "latency_ms", "type": "int64"}],
             "rollup": {"granularity": "minute", "aggregates": [
                {"name": "events", "type": "count"},
                {"name": "users", "type": "hll", "column": "user_id"},
                {"name": "latency", "type": "quantile", "column": "latency_ms"}]}}
            """
        let decoded = try TableSpec.decode(json: Data(json.utf8))
        #expect(decoded.storedColumns.map(\.name) == ["ts", "variant", "events", "users", "latency"])
    }
}
