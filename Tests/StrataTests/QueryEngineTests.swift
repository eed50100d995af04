import PropertyBased
import Strata
import StrataCore
import StrataTestSupport
import Testing

@Suite("Query engine")
struct QueryEngineTests {
    @Test("random queries give the reference evaluator's answers, over several segments with nulls")
    func differential() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int.max)) { seed in
            let db = Database.inMemory(
                options: {
                    var o = Database.Options(); o.blockRowCount = 256; return o
                }())
            let table = try db.createTable(RandomTable.spec(userDictionary: seed % 2 == 0 ? .segment : .table))
            let batch = RandomTable.batch(rows: 1500, days: 3, seed: UInt64(seed))
            let second = RandomTable.batch(rows: 300, days: 2, seed: UInt64(seed) &+ 1)
            try table.append(batch)
            try table.append(second)
            let query = RandomQuery.make(seed: UInt64(seed), batch: batch)
            let engine = try db.execute(query)
            let expected = try ReferenceEvaluator.evaluate(
                query, on: ReferenceTable(spec: table.spec, batches: [batch, second]))
            let difference = expected.mismatch(engine)
            #expect(difference == nil, "\(query)")
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

@Suite("Query engine: limits, parallelism and work counters")
struct QueryEngineLimitTests {
    static func table() throws -> (Database, Table) {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 128; return o
            }())
        let table = try db.createTable(RandomTable.spec())
        try table.append(RandomTable.batch(rows: 4000, days: 4, seed: 77))
        return (db, table)
    }

    @Test("one worker and several workers give the same answer")
    func parallelism() throws {
        let (db, _) = try Self.table()
        var query = Query(table: "t", groupBy: [.column("country"), .column("user")])
        query.aggregations = [
            Aggregation("n", .count), Aggregation("s", .sum, column: "amount"),
            Aggregation("v", .varianceSample, column: "score"), Aggregation("d", .countDistinct, column: "user"),
            Aggregation("lo", .min, column: "country"), Aggregation("hi", .max, column: "score"),
        ]
        let one = try db.execute(query, options: QueryOptions(parallelism: 1))
        let four = try db.execute(query, options: QueryOptions(parallelism: 4))
        #expect(ReferenceEvaluator.same(one, four))
        #expect(one.stats.groups == four.stats.groups)
    }

    @Test("the same query over the same data gives the same floating-point answer every run")
    func deterministic() throws {
        let (db, _) = try Self.table()
        var options = QueryOptions(parallelism: 3)
        options.timeout = nil
        let query = Query(
            table: "t", groupBy: [.column("flag")],
            aggregations: [
                Aggregation("s", .sum, column: "score"), Aggregation("v", .varianceSample, column: "amount"),
            ])
        let first = try db.execute(query, options: options)
        for _ in 0..<8 { #expect(try db.execute(query, options: options).rows == first.rows) }
    }

    @Test("time intervals prune segments and blocks, and the counters say so")
    func counters() throws {
        let (db, table) = try Self.table()
        let start = Int64(CivilDate.days(year: 2026, month: 10, day: 2)) * Timestamp.millisecondsPerDay
        let query = Query(
            table: "t", intervals: [start..<(start + 3_600_000)], aggregations: [Aggregation("n", .count)])
        let result = try db.execute(query)
        #expect(result.stats.segmentsTotal == table.segments.count)
        #expect(result.stats.segmentsScanned == 1)
        #expect(result.stats.segmentsPruned == table.segments.count - 1)
        #expect(result.stats.blocksPruned > 0)
        #expect(result.stats.rowsMatched == Int(result.rows[0][0].doubleValue ?? -1))
        #expect(result.stats.rowsScanned >= result.stats.rowsMatched)
        #expect(result.stats.bytesDecoded > 0)
        // Stable: the same query does the same work.
        let again = try db.execute(query)
        #expect(again.stats.blocksScanned == result.stats.blocksScanned)
        #expect(again.stats.rowsScanned == result.stats.rowsScanned)
    }

    @Test("repeated queries read decoded blocks from the block cache; disabling it decodes every time")
    func blockCache() throws {
        let (db, _) = try Self.table()
        let query = Query(
            table: "t", groupBy: [.column("country")], aggregations: [Aggregation("s", .sum, column: "amount")])
        let first = try db.execute(query)
        let second = try db.execute(query)
        #expect(first == second)
        #expect(first.stats.bytesDecoded > 0)
        #expect(second.stats.bytesDecoded == 0)
        var options = Database.Options()
        options.blockCacheBytes = 0
        let uncached = Database.inMemory(options: options)
        try uncached.createTable(RandomTable.spec()).append(RandomTable.batch(rows: 4000, days: 4, seed: 77))
        let a = try uncached.execute(query)
        let b = try uncached.execute(query)
        #expect(a.stats.bytesDecoded == b.stats.bytesDecoded && a.stats.bytesDecoded > 0)
        #expect(ReferenceEvaluator.same(a, first))
    }

    @Test("a timeout, a memory budget and task cancellation end a query with clear errors")
    func limits() async throws {
        let (db, table) = try Self.table()
        var query = Query(table: "t", groupBy: [.column("user")])
        query.aggregations = [Aggregation("d", .countDistinct, column: "count")]
        do {
            _ = try db.execute(query, options: QueryOptions(memoryLimit: 1000))
            Issue.record("no memory limit error")
        } catch {
            #expect(error.code == .limit)
        }
        do {
            _ = try db.execute(query, options: QueryOptions(timeout: .nanoseconds(1)))
            Issue.record("no timeout error")
        } catch {
            #expect(error.code == .limit)
        }
        let snapshot = table.snapshot()
        let task = Task<QueryResult, any Error> {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await snapshot.execute(query)
        }
        do {
            _ = try await task.value
            Issue.record("a cancelled query completed")
        } catch let error as StrataError {
            #expect(error.code == .cancelled)
        }
    }
}
