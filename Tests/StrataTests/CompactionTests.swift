import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Synchronization
import Testing

@testable import Strata

@Suite("Compaction and retention")
struct CompactionTests {
    static func options(directWriteRows: Int = 1) -> Database.Options {
        var o = AppendFixture.options(directWriteRows: directWriteRows)
        o.blockRowCount = 256
        o.compactionSegmentCount = nil
        return o
    }

    static let rollup = RollupSpec(
        granularity: .hour,
        aggregates: [
            AggregateSpec(name: "rows", type: .count),
            AggregateSpec(name: "amount_sum", type: .sum, column: "amount"),
            AggregateSpec(name: "count_min", type: .min, column: "count"),
            AggregateSpec(name: "count_max", type: .max, column: "count"),
        ])

    static func queries(rollup: Bool) -> [Query] {
        let sums: [Aggregation] =
            rollup
            ? [
                Aggregation("rows", .sum, column: "rows"), Aggregation("amount", .sum, column: "amount_sum"),
                Aggregation("lo", .min, column: "count_min"), Aggregation("hi", .max, column: "count_max"),
            ]
            : [
                Aggregation("rows", .count), Aggregation("amount", .sum, column: "amount"),
                Aggregation("lo", .min, column: "count"), Aggregation("hi", .max, column: "count"),
                Aggregation("users", .countDistinct, column: "user"),
            ]
        return [
            Query(table: "t", aggregations: sums),
            Query(table: "t", groupBy: [.column("country"), .timeBucket(.day)], aggregations: sums),
            Query(
                table: "t", filter: .in("country", ["US", "DE", "Ünïcode"]), groupBy: [.column("flag")],
                aggregations: sums),
        ]
    }

    @Test("compaction keeps every answer and leaves one segment per chunk", arguments: [false, true])
    func keepsAnswers(rollup: Bool) throws {
        let dir = TestDirectory()
        let spec = RandomTable.spec(rollup: rollup ? Self.rollup : nil)
        let queries = Self.queries(rollup: rollup)
        let before: [QueryResult]
        do {
            let db = try Database.open(at: dir.path, options: Self.options())
            let table = try db.createTable(spec)
            for seed in 0..<6 { try table.append(RandomTable.batch(rows: 300, days: 3, seed: UInt64(seed))) }
            #expect(table.segments.count == 18)
            before = try queries.map { try db.execute($0) }
            let report = try table.compact()
            #expect(report == CompactionReport(chunksCompacted: 3, segmentsBefore: 18, segmentsAfter: 3))
            #expect(table.segments.count == 3)
            #expect(dir.files(under: "segments").count == 3)  // old files removed
            for (query, expected) in zip(queries, before) {
                #expect(ReferenceEvaluator.same(try db.execute(query), expected), "\(query)")
            }
            #expect(try table.compact().chunksCompacted == 0)  // nothing left to merge
        }
        let db = try Database.open(at: dir.path, options: Self.options())
        for (query, expected) in zip(queries, before) {
            #expect(ReferenceEvaluator.same(try db.execute(query), expected), "\(query)")
        }
        #expect(db.verify().isEmpty)
    }

    @Test("a snapshot taken before a compaction keeps reading the removed files")
    func snapshotSurvivesCompaction() throws {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path, options: Self.options())
        let table = try db.createTable(RandomTable.spec())
        for seed in 0..<4 { try table.append(RandomTable.batch(rows: 500, days: 2, seed: UInt64(seed))) }
        let snapshot = table.snapshot()
        let rows = try snapshot.scan().rows
        let query = Self.queries(rollup: false)[1]
        let answer = try snapshot.execute(query)
        try table.compact()
        #expect(dir.files(under: "segments").count == 2)
        #expect(try snapshot.scan().rows == rows)
        #expect(try snapshot.execute(query) == answer)
        #expect(sorted(try table.scan().rows) == sorted(rows))
    }

    @Test("a crash after a compaction publishes, before the old files go, reopens with the new segments only")
    func crashBeforeRemoval() throws {
        let dir = TestDirectory()
        let before: [[Value]]
        do {
            let db = try Database.open(at: dir.path, options: Self.options())
            let table = try db.createTable(RandomTable.spec())
            for seed in 0..<3 { try table.append(RandomTable.batch(rows: 200, days: 2, seed: UInt64(seed))) }
            before = sorted(try table.scan().rows)
            db.crashPoint.withLock { $0 = .beforeSegmentRemoval }
            #expect(throws: StrataError.self) { try table.compact() }
            #expect(dir.files(under: "segments").count == 6 + 2)
        }
        let db = try Database.open(at: dir.path, options: Self.options())
        #expect(dir.files(under: "segments").count == 2)
        #expect(sorted(try db.table(named: "t").scan().rows) == before)
    }

    @Test("after flushes, a chunk with many segments is compacted automatically")
    func automatic() throws {
        var options = Self.options(directWriteRows: 1_000)
        options.compactionSegmentCount = 3
        let db = Database.inMemory(options: options)
        let table = try db.createTable(AppendFixture.spec)
        for i in 0..<7 {
            try table.append(AppendFixture.batch(id: "b\(i)", rows: 4))
            try table.flush()
            #expect(table.segments.count < 3)
        }
        #expect(db.statistics.compactions >= 2)
        #expect(try AppendFixture.counts(table.snapshot()).count == 7)
    }

    @Test("retention drops whole chunks older than the period before the newest row, also after flushes")
    func retention() throws {
        let dir = TestDirectory()
        var spec = AppendFixture.spec
        spec.retentionDays = 2
        let db = try Database.open(at: dir.path, options: Self.options())
        let table = try db.createTable(spec)
        for day in 0..<5 { try table.append(AppendFixture.batch(id: "d\(day)", rows: 10, firstDay: day)) }
        #expect(table.segments.count == 5)
        // The newest row is in day 4: days 0 and 1 end more than two days before it.
        #expect(try table.applyRetention() == 2)
        #expect(Set(try AppendFixture.counts(table.snapshot()).keys) == ["d2", "d3", "d4"])
        #expect(dir.files(under: "segments").count == 3)
        #expect(try table.applyRetention() == 0)

        // Through the head: a newer day arrives; the flush applies retention.
        let small = try Database.open(at: dir.path + "/head", options: Self.options(directWriteRows: 1_000))
        let headTable = try small.createTable(spec)
        for day in 0..<6 { try headTable.append(AppendFixture.batch(id: "d\(day)", rows: 10, firstDay: day)) }
        try headTable.flush()
        #expect(Set(try AppendFixture.counts(headTable.snapshot()).keys) == ["d3", "d4", "d5"])
    }
}
