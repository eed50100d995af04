import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

@Suite("Table dictionaries end to end")
struct TableDictionaryEndToEndTests {
    static let spec = RandomTable.spec(userDictionary: .table)

    static func query() -> Query {
        var query = Query(table: "t", groupBy: [.column("user"), .column("flag")])
        query.aggregations = [
            Aggregation("n", .count), Aggregation("users", .countDistinct, column: "user"),
            Aggregation("lo", .min, column: "user"), Aggregation("approx", .approxCountDistinct, column: "user"),
        ]
        query.orderBy = [OrderKey("user"), OrderKey("flag")]
        return query
    }

    @Test("codes stay table-wide across segments, heads, flushes, compaction and reopening")
    func persistence() throws {
        let dir = TestDirectory()
        let batches = (0..<4).map { RandomTable.batch(rows: 700, days: 2, seed: 40 + UInt64($0)) }
        let expected: QueryResult
        do {
            let reference = Database.inMemory()
            let table = try reference.createTable(RandomTable.spec())
            for b in batches { try table.append(b) }
            expected = try reference.execute(Self.query())
        }
        do {
            var options = Database.Options()
            options.directWriteRows = 1000  // two batches to segments directly, two through the head
            let db = try Database.open(at: dir.path, options: options)
            let table = try db.createTable(Self.spec)
            try table.append(batches[0])
            try table.append(batches[1])
            try table.flush()
            try table.append(batches[2])
            try table.append(batches[3])
            #expect(ReferenceEvaluator.same(try db.execute(Self.query()), expected, ordered: true))
            try db.close()
        }
        #expect(FileManager.default.fileExists(atPath: dir.path + "/dictionaries/t/user.dict"))
        let db = try Database.open(at: dir.path)
        let table = try db.table(named: "t")
        #expect(ReferenceEvaluator.same(try db.execute(Self.query()), expected, ordered: true))
        _ = try table.compact(minimumSegments: 2)
        #expect(ReferenceEvaluator.same(try db.execute(Self.query()), expected, ordered: true))
        let users = try db.query(
            "SELECT count(DISTINCT \"user\") AS u FROM t WHERE \"user\" = 'u3' OR \"user\" LIKE 'u1%'")
        #expect(users.rows.count == 1)
        #expect(db.verify().isEmpty)
    }

    @Test("appends logged but not flushed replay with the same values after a crash")
    func replay() throws {
        let dir = TestDirectory()
        let batch = RandomTable.batch(rows: 300, days: 1, seed: 9)
        let expected: QueryResult
        do {
            let reference = Database.inMemory()
            try reference.createTable(RandomTable.spec()).append(batch)
            expected = try reference.execute(Self.query())
        }
        do {
            let db = try Database.open(at: dir.path)
            try db.createTable(Self.spec).append(batch)
            // No close: the head is only in the log.
        }
        let db = try Database.open(at: dir.path)
        #expect(ReferenceEvaluator.same(try db.execute(Self.query()), expected, ordered: true))
    }
}

@Suite("Group-by on table-wide codes")
struct TableWideGroupByTests {
    @Test(
        "grouping by a table-dictionary column (ids are its codes) matches the reference, with NULLs and workers",
        arguments: [1, 2, 4])
    func groupsMatchReference(parallelism: Int) throws {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 256; return o
            }())
        let table = try db.createTable(RandomTable.spec(userDictionary: .table))
        let batch = RandomTable.batch(rows: 6000, days: 4, nullRate: 0.05, seed: 77)
        let second = RandomTable.batch(rows: 500, days: 2, seed: 78)
        try table.append(batch)
        try table.append(second)
        let reference = ReferenceTable(spec: table.spec, batches: [batch, second])
        for keys in [
            ["user"], ["country", "user"], ["user", "flag", "country"], ["flag", "country", "cohort", "user"],
        ] {
            var query = Query(table: "t", groupBy: keys.map { GroupKey.column($0) })
            query.aggregations = [
                Aggregation("n", .count), Aggregation("s", .sum, column: "amount"),
                Aggregation("u", .countDistinct, column: "user"),
            ]
            let answer = try db.execute(query, options: QueryOptions(parallelism: parallelism))
            let expected = try ReferenceEvaluator.evaluate(query, on: reference)
            #expect(answer.rows.count > 1000)
            let difference = expected.mismatch(answer)
            #expect(difference == nil, "\(keys)")
        }
    }

    @Test("equality and IN on a table-dictionary column match the reference; an absent value prunes every block")
    func pointFilters() throws {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 128; return o
            }())
        let table = try db.createTable(RandomTable.spec(userDictionary: .table))
        let batch = RandomTable.batch(rows: 4000, days: 3, nullRate: 0.05, seed: 91)
        try table.append(batch)
        let reference = ReferenceTable(spec: table.spec, batches: [batch])
        let filters: [Filter] = [
            .equals("user", "u7"), .equals("user", "nobody"), .not(.equals("user", "u7")),
            .in("user", ["u3", "u999", "nobody", "u0"]), .in("user", ["nobody", .null]),
            .and([.in("user", ["u12", "u400"]), .equals("country", "US")]),
        ]
        for filter in filters {
            var query = Query(table: "t", groupBy: [.column("country")])
            query.filter = filter
            query.aggregations = [Aggregation("n", .count), Aggregation("s", .sum, column: "amount")]
            let answer = try db.execute(query)
            let difference = try ReferenceEvaluator.evaluate(query, on: reference).mismatch(answer)
            #expect(difference == nil, "\(filter)")
        }
        let absent = try db.execute(
            Query(table: "t", filter: .equals("user", "nobody"), aggregations: [Aggregation("n", .count)]))
        #expect(absent.rows == [[.int64(0)]])
        #expect(absent.stats.blocksScanned == 0 && absent.stats.blocksPruned > 10)
    }
}
