import Strata
import StrataCore
import StrataTestSupport
import Testing

/// `approx_quantile` keeps an integer column's type, as DuckDB's does (BIGINT in, BIGINT out): the
/// sketch's estimate is rounded half to even. DOUBLE columns keep the estimate.
@Suite("approx_quantile result types")
struct ApproxQuantileTypeTests {
    @Test("SQL: BIGINT in, BIGINT out, on the engine's path and on the general path")
    func sqlTypes() throws {
        let db = SQLTestTable.database
        for sql in [
            "SELECT approx_quantile(cohort, 0.5) AS q FROM events",
            "SELECT approx_quantile(cohort + 0, 0.5) AS q FROM events",
            "SELECT approx_quantile(DISTINCT cohort, 0.5) AS q FROM events",
        ] {
            let result = try db.query(sql)
            #expect(result.columns.map(\.type) == [.int64], "\(sql)")
            guard case .int64 = result.rows.first?.first else {
                Issue.record("\(sql): \(result.rows)")
                continue
            }
        }
        let doubles = try db.query("SELECT approx_quantile(score, 0.5) FROM events")
        #expect(doubles.columns.map(\.type) == [.double])
        let empty = try db.query("SELECT approx_quantile(cohort, 0.5) FROM events WHERE country = 'nowhere'")
        #expect(empty.rows == [[.null]])
    }

    @Test("SQL: the estimate rounds to the nearest integer of the exact quantile (DuckDB gives 124)")
    func rounded() throws {
        let db = Database.inMemory()
        let spec = TableSpec(
            name: "t", dimensions: [DimensionSpec(name: "k", type: .string)],
            metrics: [MetricSpec(name: "x", type: .int64)])
        let table = try db.createTable(spec)
        // 0...248: the exact median is 124; the sketch's estimate is within 1%, and rounds to 124.
        try table.append(rows: (0..<249).map { i in ["ts": "2026-10-01 10:00:00", "k": "a", "x": .int64(Int64(i))] })
        let result = try db.query("SELECT approx_quantile(x, 0.5) FROM t")
        #expect(result.columns.map(\.type) == [.int64])
        #expect(result.rows == [[.int64(124)]])
    }

    @Test("a rolled-up table answers an int64 metric's approx_quantile with the raw table's BIGINT")
    func rollup() throws {
        let raw = Database.inMemory()
        let rolled = Database.inMemory()
        let batch = RandomTable.batch(rows: 1000, days: 2, seed: 17)
        try raw.createTable(RandomTable.spec()).append(batch)
        try rolled.createTable(SketchRollupTests.rolledSpec()).append(SketchRollupTests.project(batch))
        let sql = "SELECT country, approx_quantile(\"count\", 0.5) AS p50 FROM t GROUP BY country ORDER BY country"
        let a = try raw.query(sql)
        let b = try rolled.query(sql)
        #expect(a.columns.map(\.type) == [.string, .int64])
        #expect(b.columns == a.columns)
        #expect(b.rows == a.rows)
    }

    @Test("native queries: an int64 column's approxQuantile is int64")
    func nativeType() throws {
        let query = Query(
            table: "events",
            aggregations: [
                Aggregation("c", .approxQuantile(0.5), column: "cohort"),
                Aggregation("s", .approxQuantile(0.5), column: "score"),
            ])
        let result = try SQLTestTable.database.execute(query)
        #expect(result.columns.map(\.type) == [.int64, .double])
        guard case .int64 = result.rows.first?.first else {
            Issue.record("\(result.rows)")
            return
        }
    }
}
