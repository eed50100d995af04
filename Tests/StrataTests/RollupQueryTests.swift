import PropertyBased
import Strata
import StrataCore
import StrataTestSupport
import Testing

@Suite("Queries over rolled-up tables")
struct RollupQueryTests {
    static let rollup = RollupSpec(
        granularity: .hour,
        aggregates: [
            AggregateSpec(name: "rows", type: .count), AggregateSpec(name: "amount_sum", type: .sum, column: "amount"),
            AggregateSpec(name: "count_min", type: .min, column: "count"),
            AggregateSpec(name: "count_max", type: .max, column: "count"),
            AggregateSpec(name: "amount_m", type: .moments, column: "amount"),
        ])

    @Test("aggregates named by input metric answer from rollup states as from the raw rows")
    func matchesRaw() async throws {
        await propertyCheck(count: 10, input: Gen.int(in: 0...Int.max)) { seed in
            let raw = Database.inMemory()
            let rolled = Database.inMemory()
            let batch = RandomTable.batch(rows: 1500, days: 2, seed: UInt64(seed))
            try raw.createTable(RandomTable.spec()).append(batch)
            try rolled.createTable(RandomTable.spec(rollup: Self.rollup)).append(batch)
            var query = Query(table: "t", groupBy: [.column("country"), .timeBucket(.day)])
            query.filter = .not(.equals("flag", .bool(true)))
            query.aggregations = [
                Aggregation("n", .count), Aggregation("s", .sum, column: "amount"),
                Aggregation("k", .count, column: "amount"),
                Aggregation("lo", .min, column: "count"), Aggregation("hi", .max, column: "count"),
                Aggregation("mean", .avg, column: "amount"), Aggregation("v", .varianceSample, column: "amount"),
                Aggregation("sd", .standardDeviationSample, column: "amount"),
            ]
            query.postAggregations = [PostAggregation("per_row", .divide(.column("s"), .column("n")))]
            query.orderBy = [OrderKey("n", descending: true), OrderKey("country"), OrderKey("day_bucket")]
            let a = try raw.execute(query)
            let b = try rolled.execute(query)
            #expect(b.columnNames == a.columnNames)
            #expect(
                ReferenceEvaluator.same(a, b, ordered: true, tolerance: 1e-6),
                "\(a.rows.prefix(3)) vs \(b.rows.prefix(3))")
        }
    }

    @Test("a count whose FILTER matches no row is 0, not NULL, as on the raw rows")
    func emptyFilteredCount() throws {
        let raw = Database.inMemory()
        let rolled = Database.inMemory()
        let batch = RandomTable.batch(rows: 200, seed: 7)
        try raw.createTable(RandomTable.spec()).append(batch)
        try rolled.createTable(RandomTable.spec(rollup: Self.rollup)).append(batch)
        let never = Filter.equals("country", "no such country")
        let query = Query(
            table: "t", groupBy: [.column("country")],
            aggregations: [
                Aggregation("n", .count), Aggregation("none", .count, filter: never),
                Aggregation("none_k", .count, column: "amount", filter: never),
            ], orderBy: [OrderKey("country")])
        let a = try raw.execute(query)
        let b = try rolled.execute(query)
        #expect(b.rows.allSatisfy { $0[2] == .int64(0) && $0[3] == .int64(0) })
        #expect(ReferenceEvaluator.same(a, b, ordered: true, tolerance: 1e-9))
    }

    @Test("aggregates the rollup cannot answer are clear errors")
    func unsupported() throws {
        let db = Database.inMemory()
        try db.createTable(RandomTable.spec(rollup: Self.rollup)).append(RandomTable.batch(rows: 100, seed: 1))
        for f in [AggregateFunction.countDistinct, .quantile(0.5), .avg] {
            let column = f == .avg ? "count" : "amount"
            do {
                _ = try db.execute(Query(table: "t", aggregations: [Aggregation("x", f, column: column)]))
                Issue.record("\(f) accepted")
            } catch {
                #expect(error.code == .unsupported)
            }
        }
    }
}
