import PropertyBased
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Random native queries over a random table, for differential testing.
struct RandomQuery {
    static let stringColumns = ["country", "user"]
    static let numericColumns = ["cohort", "score", "amount", "count"]

    static func make(seed: UInt64, batch: ColumnBatch) -> Query {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        func sample(_ column: String) -> Value {
            let v = batch.vector(named: column)!
            return v.value(at: Int(rng.next() % UInt64(max(v.count, 1))))
        }
        func leaf() -> Filter {
            switch rng.next() % 7 {
            case 0: return .equals(pick(stringColumns), sample("country"))
            case 1:
                return .in(
                    "country", [sample("country"), sample("country"), .null].filter { _ in Bool.random(using: &rng) })
            case 2:
                let c = pick(numericColumns)
                return .compare(c, pick([.lessThan, .greaterThanOrEqual, .notEqual, .equal]), sample(c))
            case 3: return .like("user", pick(["u1%", "%3", "u_", "%"]))
            case 4: return .isNull(pick(stringColumns + numericColumns + ["flag"]))
            case 5: return .equals("flag", .bool(Bool.random(using: &rng)))
            default: return .range("seen", from: sample("seen"), to: nil)
            }
        }
        func filter(_ depth: Int) -> Filter {
            guard depth > 0, rng.next() % 2 == 0 else { return leaf() }
            switch rng.next() % 3 {
            case 0: return .and([filter(depth - 1), filter(depth - 1)])
            case 1: return .or([filter(depth - 1), filter(depth - 1)])
            default: return .not(filter(depth - 1))
            }
        }
        var query = Query(table: "t")
        if rng.next() % 2 == 0 { query.filter = filter(2) }
        let keys: [GroupKey] = [
            .column("country"), .column("flag"), .column("cohort"), .timeBucket(.day),
            .fixedBucket(milliseconds: 6 * 3_600_000), .column("seen"),
        ]
        query.groupBy = keys.filter { _ in rng.next() % 3 == 0 }
        let functions: [AggregateFunction] = [
            .count, .sum, .min, .max, .avg, .varianceSample, .standardDeviationSample, .countDistinct,
        ]
        query.aggregations = [Aggregation("rows", .count)]
        for (i, f) in functions.enumerated() where rng.next() % 2 == 0 {
            let column: String
            switch f {
            case .sum, .avg, .varianceSample, .standardDeviationSample: column = pick(numericColumns)
            default: column = pick(numericColumns + stringColumns + ["flag", "seen"])
            }
            let aggFilter: Filter? = rng.next() % 4 == 0 ? leaf() : nil
            query.aggregations.append(Aggregation("a\(i)", f, column: column, filter: aggFilter))
        }
        if rng.next() % 3 == 0 {
            let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
            query.intervals = [(start + 3_600_000)..<(start + 30 * 3_600_000)]
        }
        if rng.next() % 4 == 0 { query.having = .compare("rows", .greaterThan, .int64(2)) }
        return query
    }
}

@Suite("Query engine")
struct QueryEngineTests {
    @Test("random queries give the reference evaluator's answers, over several segments with nulls")
    func differential() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int.max)) { seed in
            let db = Database.inMemory(
                options: {
                    var o = Database.Options(); o.blockRowCount = 256; return o
                }())
            let table = try db.createTable(RandomTable.spec())
            let batch = RandomTable.batch(rows: 1500, days: 3, seed: UInt64(seed))
            try table.append(batch)
            try table.append(RandomTable.batch(rows: 300, days: 2, seed: UInt64(seed) &+ 1))
            let query = RandomQuery.make(seed: UInt64(seed), batch: batch)
            let engine = try db.execute(query)
            let reference = try ReferenceEvaluator.evaluate(query, table: table)
            #expect(ReferenceEvaluator.same(engine, reference), "\(query)")
        }
    }

    @Test("a dashboard question: per-variant counts, users and revenue in a window, ordered")
    func dashboard() throws {
        let db = Database.inMemory()
        let spec = TableSpec(
            name: "events",
            dimensions: [
                DimensionSpec(name: "user_id", type: .string), DimensionSpec(name: "variant", type: .string),
                DimensionSpec(name: "event", type: .string),
            ],
            metrics: [MetricSpec(name: "revenue", type: .double)])
        let table = try db.createTable(spec)
        try table.append(rows: [
            ["ts": "2026-10-01 10:00:00", "user_id": "u1", "variant": "control", "event": "exposure", "revenue": 0.0],
            ["ts": "2026-10-01 11:00:00", "user_id": "u1", "variant": "control", "event": "purchase", "revenue": 10.0],
            [
                "ts": "2026-10-02 10:00:00", "user_id": "u2", "variant": "treatment", "event": "purchase",
                "revenue": 30.0,
            ],
            [
                "ts": "2026-10-02 12:00:00", "user_id": "u3", "variant": "treatment", "event": "purchase",
                "revenue": 20.0,
            ],
            [
                "ts": "2026-10-09 12:00:00", "user_id": "u4", "variant": "treatment", "event": "purchase",
                "revenue": 99.0,
            ],
        ])
        var query = Query(table: "events")
        let start = try Timestamp.parse("2026-10-01").get()
        query.intervals = [start..<(start + 7 * Timestamp.millisecondsPerDay)]
        query.groupBy = [.column("variant")]
        query.aggregations = [
            Aggregation("events", .count), Aggregation("users", .countDistinct, column: "user_id"),
            Aggregation("revenue", .sum, column: "revenue"),
            Aggregation("purchases", .count, filter: .equals("event", "purchase")),
        ]
        query.orderBy = [OrderKey("revenue", descending: true)]
        let result = try db.execute(query)
        #expect(result.columnNames == ["variant", "events", "users", "revenue", "purchases"])
        #expect(
            result.rows == [
                ["treatment", .int64(2), .int64(2), .double(50), .int64(2)],
                ["control", .int64(2), .int64(1), .double(10), .int64(1)],
            ])
        query.limit = 1
        query.offset = 1
        #expect(try db.execute(query).rows.map { $0[0] } == ["control"])
        // Unknown names are binding errors with a suggestion.
        query.groupBy = [.column("varient")]
        #expect(throws: StrataError.self) { try db.execute(query) }
    }
}
