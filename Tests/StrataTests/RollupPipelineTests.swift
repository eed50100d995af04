import Strata
import StrataCore
import StrataTestSupport
import Testing

/// SQL aggregates over a rolled-up table run on the vectorized pipeline, merging the stored states
/// (`SQLPlanner+Rollup.swift`): every answer is held against the reference evaluator, which works from the
/// input rows, never from the stored states.
@Suite("Rollup queries on the pipeline")
struct RollupPipelineTests {
    static let rollup = RollupSpec(
        granularity: .hour,
        aggregates: [
            AggregateSpec(name: "rows", type: .count),
            AggregateSpec(name: "amount_sum", type: .sum, column: "amount"),
            AggregateSpec(name: "amount_m", type: .moments, column: "amount"),
            AggregateSpec(name: "count_min", type: .min, column: "count"),
            AggregateSpec(name: "count_max", type: .max, column: "count"),
            AggregateSpec(name: "count_m", type: .moments, column: "count"),
            AggregateSpec(name: "users", type: .hll, column: "user"),
            AggregateSpec(name: "amount_q", type: .quantile, column: "amount"),
            AggregateSpec(name: "count_q", type: .quantile, column: "count"),
        ])

    /// Country and flag as dimensions; `user` (an input metric only the HLL reads), `amount` and `count`.
    static func spec() -> TableSpec {
        var spec = RandomTable.spec(rollup: rollup)
        spec.dimensions.removeAll { !["country", "flag"].contains($0.name) }
        spec.metrics.insert(MetricSpec(name: "user", type: .string), at: 0)
        return spec
    }

    /// A rolled-up table in small blocks over several day segments (several workers' shares), and the
    /// reference table of the same input rows.
    static func tables() throws -> (Database, ReferenceTable) {
        var options = Database.Options()
        options.blockRowCount = 256
        let db = Database.inMemory(options: options)
        let spec = spec()
        let table = try db.createTable(spec)
        var reference = ReferenceTable(spec: spec)
        for seed in 1...3 as ClosedRange<UInt64> {
            let raw = RandomTable.batch(rows: 1500, days: 4, seed: seed)
            var batch = ColumnBatch()
            for name in ["ts", "country", "flag", "user", "amount", "count"] {
                batch.append(column: name, raw.vector(named: name)!)
            }
            try table.append(batch)
            reference.append(batch)
        }
        return (db, reference)
    }

    /// Runs `sql` on one and on two workers and holds both answers against the reference's for `query`;
    /// with `onPipeline`, checks that the pipeline (not the native engine) answered.
    static func check(
        _ sql: String, _ query: Query, db: Database, reference: ReferenceTable, onPipeline: Bool = true
    ) throws {
        let expected = try ReferenceEvaluator.evaluate(query, on: reference)
        for parallelism in [1, 2] {
            let result = try db.query(sql, options: QueryOptions(parallelism: parallelism))
            let difference = expected.mismatch(result, tolerance: 1e-9)
            #expect(difference == nil, "\(sql) on \(parallelism) workers: \(difference ?? "")")
        }
        guard onPipeline else { return }
        let plan = try db.query("EXPLAIN " + sql).rows.map { $0.map(\.description).joined() }.joined(separator: "\n")
        #expect(!plan.lowercased().contains("native"), "\(plan)")
    }

    @Test("grouped by date_trunc and an expression with a WHERE on dimensions: every merge against the input rows")
    func dateTruncAndWhere() throws {
        let (db, reference) = try Self.tables()
        // `country || ''` is `country` (NULL stays NULL) as a key the native engine does not take: the query
        // runs on the pipeline whatever the routing prefers for means and variances.
        let sql = """
            SELECT date_trunc('day', ts) AS day_bucket, country || '' AS country, count(*) AS n, sum(amount) AS s,
                   count(amount) AS k, avg(amount) AS mean, var_samp(amount) AS v, stddev_samp(amount) AS sd,
                   min("count") AS lo, max("count") AS hi,
                   approx_count_distinct("user") AS users, approx_quantile(amount, 0.9) AS p90,
                   approx_quantile("count", 0.5) AS count_p50
            FROM t WHERE flag AND country <> 'US' GROUP BY date_trunc('day', ts), country || ''
            """
        var query = Query(table: "t", groupBy: [.timeBucket(.day), .column("country")])
        query.filter = .and([.equals("flag", .bool(true)), .not(.equals("country", "US"))])
        query.aggregations = [
            Aggregation("n", .count), Aggregation("s", .sum, column: "amount"),
            Aggregation("k", .count, column: "amount"), Aggregation("mean", .avg, column: "amount"),
            Aggregation("v", .varianceSample, column: "amount"),
            Aggregation("sd", .standardDeviationSample, column: "amount"),
            Aggregation("lo", .min, column: "count"), Aggregation("hi", .max, column: "count"),
            Aggregation("users", .approxCountDistinct, column: "user"),
            Aggregation("p90", .approxQuantile(0.9), column: "amount"),
            Aggregation("count_p50", .approxQuantile(0.5), column: "count"),
        ]
        try Self.check(sql, query, db: db, reference: reference)
        // Types as on the raw table: counts and distinct counts BIGINT, an integer metric's quantile BIGINT.
        let result = try db.query(sql)
        let row = try #require(result.rows.first)
        if case .int64 = row[2] {} else { Issue.record("count(*) is \(row[2])") }
        if case .int64 = row[10] {} else { Issue.record("approx_count_distinct is \(row[10])") }
        if case .int64 = row[12] {} else { Issue.record("approx_quantile of BIGINT is \(row[12])") }
    }

    @Test("FILTER clauses and hourly buckets; a count whose FILTER keeps nothing is 0")
    func filters() throws {
        let (db, reference) = try Self.tables()
        let sql = """
            SELECT date_trunc('hour', ts) AS hour_bucket, count(*) FILTER (WHERE country = 'DE') AS de,
                   sum(amount) FILTER (WHERE NOT flag) AS s_off, max("count") FILTER (WHERE flag) AS hi_on,
                   approx_count_distinct("user") FILTER (WHERE country IN ('US', 'FR')) AS users_us_fr,
                   count(*) FILTER (WHERE country = 'nowhere') AS none
            FROM t GROUP BY date_trunc('hour', ts)
            """
        var query = Query(table: "t", groupBy: [.timeBucket(.hour)])
        query.aggregations = [
            Aggregation("de", .count, filter: .equals("country", "DE")),
            Aggregation("s_off", .sum, column: "amount", filter: .not(.equals("flag", .bool(true)))),
            Aggregation("hi_on", .max, column: "count", filter: .equals("flag", .bool(true))),
            Aggregation("users_us_fr", .approxCountDistinct, column: "user", filter: .in("country", ["US", "FR"])),
            Aggregation("none", .count, filter: .equals("country", "nowhere")),
        ]
        try Self.check(sql, query, db: db, reference: reference)
    }

    @Test("HAVING over merged states, and ungrouped totals")
    func havingAndTotals() throws {
        let (db, reference) = try Self.tables()
        var query = Query(table: "t", groupBy: [.column("country")])
        query.aggregations = [
            Aggregation("n", .count), Aggregation("users", .approxCountDistinct, column: "user"),
            Aggregation("p50", .approxQuantile(0.5), column: "amount"),
            Aggregation("p99", .approxQuantile(0.99), column: "amount"),
        ]
        query.having = .compare("n", .greaterThan, .int64(400))
        try Self.check(
            """
            SELECT country, count(*) AS n, approx_count_distinct("user") AS users, approx_quantile(amount, 0.5) AS p50,
                   approx_quantile(amount, 0.99) AS p99
            FROM t GROUP BY country HAVING count(*) > 400
            """, query, db: db, reference: reference)
        var totals = Query(table: "t")
        totals.aggregations = [
            Aggregation("n", .count), Aggregation("s", .sum, column: "amount"),
            Aggregation("sd", .standardDeviationSample, column: "count"),
            Aggregation("users", .approxCountDistinct, column: "user"),
        ]
        try Self.check(
            """
            SELECT count(*) AS n, sum(amount) AS s, stddev_samp("count") AS sd, approx_count_distinct("user") AS users
            FROM t
            """,
            totals, db: db, reference: reference, onPipeline: false)
    }

    @Test("empty results: no group, or one row of empty aggregates")
    func empty() throws {
        let (db, reference) = try Self.tables()
        var grouped = Query(table: "t", groupBy: [.column("flag")])
        grouped.filter = .equals("country", "nowhere")
        grouped.aggregations = [Aggregation("n", .count), Aggregation("s", .sum, column: "amount")]
        try Self.check(
            "SELECT flag, count(*) AS n, sum(amount) AS s FROM t WHERE country = 'nowhere' GROUP BY flag",
            grouped, db: db, reference: reference)
        var ungrouped = Query(table: "t")
        ungrouped.filter = .equals("country", "nowhere")
        ungrouped.aggregations = [
            Aggregation("n", .count), Aggregation("s", .sum, column: "amount"),
            Aggregation("v", .varianceSample, column: "amount"), Aggregation("lo", .min, column: "count"),
            Aggregation("users", .approxCountDistinct, column: "user"),
            Aggregation("p50", .approxQuantile(0.5), column: "amount"),
        ]
        try Self.check(
            """
            SELECT count(*) AS n, sum(amount) AS s, var_samp(amount) AS v, min("count") AS lo,
                   approx_count_distinct("user") AS users, approx_quantile(amount, 0.5) AS p50
            FROM t WHERE country = 'nowhere'
            """, ungrouped, db: db, reference: reference, onPipeline: false)
    }

    @Test("the errors of the native rewrite: what a rollup cannot answer, and sketches read as values")
    func errors() throws {
        let (db, _) = try Self.tables()
        for sql in [
            "SELECT count(DISTINCT \"user\") FROM t", "SELECT quantile_cont(amount, 0.5) FROM t",
            "SELECT country, min(\"user\") FROM t GROUP BY country",
        ] {
            let error = #expect(throws: StrataError.self, "\(sql)") { try db.query(sql) }
            #expect(error?.message.contains("not available after rollup") == true, "\(error?.message ?? "")")
        }
        // (The binder already refuses sum(amount_q) and approx_quantile(users, q): VARCHAR arguments.)
        for sql in ["SELECT sum(amount_q) FROM t", "SELECT approx_quantile(users, 0.5) FROM t"] {
            #expect(throws: StrataError.self, "\(sql)") { try db.query(sql) }
        }
        for sql in [
            "SELECT count(*) FROM t WHERE users IS NULL", "SELECT amount_q, count(*) FROM t GROUP BY amount_q",
            "SELECT approx_count_distinct(amount_q) FROM t",
        ] {
            let error = #expect(throws: StrataError.self, "\(sql)") { try db.query(sql) }
            #expect(error?.message.contains("holds sketches") == true, "\(error?.message ?? "")")
        }
    }
}
