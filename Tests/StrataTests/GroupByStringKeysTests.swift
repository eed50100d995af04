import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Group-by on several string columns whose code space is too large for the dense path: each row's
/// key ids pack into one word (through a per-segment remap for segment dictionaries, through the
/// position's code cache for table-wide ones), and the workers' groups merge by translated ids.
@Suite("Group-by on packed string keys")
struct GroupByStringKeysTests {
    static func table(userDictionary: DictionaryScope) throws -> (Database, Table, ReferenceTable) {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 1024; return o
            }())
        let spec = TableSpec(
            name: "t", timestamp: TimestampSpec(column: "ts"),
            dimensions: [
                DimensionSpec(name: "a", type: .string), DimensionSpec(name: "b", type: .string),
                DimensionSpec(name: "c", type: .string),
                DimensionSpec(name: "user", type: .string, dictionary: userDictionary),
            ],
            metrics: [MetricSpec(name: "amount", type: .double)], segmentGranularity: .day)
        let table = try db.createTable(spec)
        var reference = ReferenceTable(spec: spec)
        var rng = SplitMix64(seed: 7)
        let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
        for day in 0..<3 {
            var ts: [Int64?] = []
            var a: [String?] = []
            var b: [String?] = []
            var c: [String?] = []
            var user: [String?] = []
            var amount: [Double?] = []
            for _ in 0..<4000 {
                ts.append(start + Int64(day) * Timestamp.millisecondsPerDay + Int64(rng.next() % 86_400_000))
                // 200 values per column: 200³ combinations exceed the dense limit.
                func value(_ prefix: String) -> String? { rng.next() % 50 == 0 ? nil : "\(prefix)\(rng.next() % 200)" }
                a.append(value("a"))
                b.append(value("b"))
                c.append("c\(rng.next() % 200)")
                user.append(rng.next() % 40 == 0 ? nil : "u\(rng.next() % 3000)")
                amount.append(Double(rng.next() % 1000) / 10)
            }
            let batch = ColumnBatch([
                "ts": .timestamp(ts), "a": .string(a), "b": .string(b), "c": .string(c), "user": .string(user),
                "amount": .double(amount),
            ])
            try table.append(batch)
            reference.append(batch)
        }
        return (db, table, reference)
    }

    @Test(
        "answers equal the reference evaluator's",
        arguments: [DictionaryScope.segment, .table], [["a", "b", "c"], ["a", "b", "c", "user"], ["user", "a", "b"]])
    func matchesReference(userDictionary: DictionaryScope, keys: [String]) throws {
        let (db, _, reference) = try Self.table(userDictionary: userDictionary)
        var query = Query(table: "t")
        query.groupBy = keys.map { .column($0) }
        query.aggregations = [Aggregation("n", .count), Aggregation("s", .sum, column: "amount")]
        for parallelism in [1, 2] {
            let engine = try db.execute(query, options: QueryOptions(parallelism: parallelism))
            let expected = try ReferenceEvaluator.evaluate(query, on: reference)
            let difference = expected.mismatch(engine)
            #expect(difference == nil, "\(keys) parallelism \(parallelism)")
        }
    }

    @Test("approx_count_distinct over table-wide codes equals the same sketch over segment dictionaries")
    func approximateDistinct() throws {
        let (segmentDB, _, _) = try Self.table(userDictionary: .segment)
        let (tableDB, _, _) = try Self.table(userDictionary: .table)
        for groupBy in [[GroupKey.column("c")], [.column("a"), .column("b")], []] {
            var query = Query(table: "t")
            query.groupBy = groupBy
            query.aggregations = [Aggregation("users", .approxCountDistinct, column: "user")]
            query.orderBy = groupBy.map { OrderKey($0.name) }
            for parallelism in [1, 2] {
                let options = QueryOptions(parallelism: parallelism)
                let expected = try segmentDB.execute(query, options: options).rows
                #expect(try tableDB.execute(query, options: options).rows == expected, "\(groupBy)")
            }
        }
    }
}
