import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

@Suite("Head segments")
struct HeadSegmentTests {
    @Test("an append is visible to scans and queries at once; after flush and reopen the rows are identical")
    func visibleThenFlushed() throws {
        let dir = TestDirectory()
        let spec = RandomTable.spec()
        let batches = (0..<6).map { RandomTable.batch(rows: 40 + $0 * 30, days: 3, seed: UInt64($0)) }
        var expected: [[Value]] = []
        let db = try Database.open(at: dir.path, options: AppendFixture.options())
        let table = try db.createTable(spec)
        for batch in batches {
            try table.append(batch)
            expected += sortedRows(batch, spec: spec)
            #expect(sorted(try table.scan().rows) == sorted(expected))
        }
        #expect(table.segments.allSatisfy { $0.isHead })
        #expect(dir.files(under: "segments").isEmpty)
        let count = Query(table: "t", aggregations: [Aggregation("n", .count)])
        #expect(try db.execute(count).rows == [[.int64(Int64(expected.count))]])
        let before = try table.scan().rows

        try table.flush()
        #expect(table.segments.allSatisfy { !$0.isHead })
        #expect(table.segments.count == 3)  // one per day
        #expect(try table.scan().rows.count == expected.count)
        #expect(sorted(try table.scan().rows) == sorted(before))
        try db.close()

        let reopened = try Database.open(at: dir.path, options: AppendFixture.options())
        let again = try reopened.table(named: "t")
        #expect(sorted(try again.scan().rows) == sorted(before))
        #expect(again.segments.allSatisfy { !$0.isHead })
        #expect(try reopened.execute(count).rows == [[.int64(Int64(expected.count))]])
        // Every record was retired: only the new, empty log file (its 16-byte header) remains.
        #expect(AppendFixture.walFiles(dir.path).map { FileManager.default.sizeOfFile($0) } == [16])
        #expect(reopened.verify().isEmpty)
    }

    @Test("small parts of a chunk merge level by level; the head flushes at its row limit")
    func mergesAndLimit() throws {
        let db = Database.inMemory(options: AppendFixture.options(headRowLimit: 2_000))
        let table = try db.createTable(AppendFixture.spec)
        for i in 0..<150 { try table.append(AppendFixture.batch(id: "b\(i)", rows: 10)) }
        let stats = db.statistics
        #expect(stats.headMerges > 0)
        #expect(stats.headFlushes == 0)
        // 150 level-0 appends: at most fanout - 1 parts per level remain.
        #expect(table.segments.filter(\.isHead).count < 3 * 8)
        #expect(table.rowCount == 1_500)
        for i in 150..<250 { try table.append(AppendFixture.batch(id: "b\(i)", rows: 10)) }
        #expect(db.statistics.headFlushes >= 1)
        #expect(table.segments.contains { !$0.isHead })
        let counts = try AppendFixture.counts(table.snapshot())
        #expect(counts.count == 250 && counts.values.allSatisfy { $0 == 10 })
    }

    @Test("appends of at least directWriteRows rows bypass the log and the head")
    func directWrites() throws {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path, options: AppendFixture.options(directWriteRows: 100))
        let table = try db.createTable(AppendFixture.spec)
        try table.append(AppendFixture.batch(id: "big", rows: 100, days: 2))
        #expect(table.segments.count == 2 && table.segments.allSatisfy { !$0.isHead })
        #expect(db.statistics.logAppends == 0)
        try table.append(AppendFixture.batch(id: "small", rows: 99))
        #expect(table.segments.filter(\.isHead).count == 1)
        #expect(db.statistics.logAppends == 1)
        #expect(try AppendFixture.counts(table.snapshot()) == ["big": 100, "small": 99])
    }

    @Test("a rolled-up table answers the same from the head, after flush and after compaction")
    func rollupHead() throws {
        let spec = TableSpec(
            name: "r", dimensions: [DimensionSpec(name: "variant", type: .string)],
            metrics: [MetricSpec(name: "revenue", type: .double)],
            rollup: RollupSpec(
                granularity: .hour,
                aggregates: [
                    AggregateSpec(name: "events", type: .count),
                    AggregateSpec(name: "revenue_sum", type: .sum, column: "revenue"),
                ]))
        let db = Database.inMemory(options: AppendFixture.options())
        let table = try db.createTable(spec)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<40 {
            let n = 25
            try table.append(
                ColumnBatch([
                    "ts": .timestamp(
                        (0..<n).map { _ in AppendFixture.base + Int64.random(in: 0..<(48 * 3_600_000), using: &rng) }),
                    "variant": .string((0..<n).map { _ in ["a", "b", "c"].randomElement(using: &rng)! }),
                    "revenue": .double((0..<n).map { _ in Double(Int.random(in: 0...100, using: &rng)) }),
                ]))
        }
        let query = Query(
            table: "r", groupBy: [.column("variant"), .timeBucket(.day)],
            aggregations: [
                Aggregation("events", .sum, column: "events"), Aggregation("revenue", .sum, column: "revenue_sum"),
            ],
            orderBy: [OrderKey("variant"), OrderKey("day_bucket")])
        let fromHead = try db.execute(query)
        #expect(fromHead.rows.count == 6)
        #expect(fromHead.rows.reduce(Int64(0)) { if case .int64(let n) = $1[2] { $0 + n } else { $0 } } == 1_000)
        try table.flush()
        #expect(try db.execute(query) == fromHead)
        // Rows with equal (hour, variant) from different appends merge when parts are rebuilt.
        #expect(table.rowCount <= 48 * 3)
        try table.compact()
        #expect(try db.execute(query) == fromHead)
    }

    @Test("close flushes the heads and releases the directory; later appends fail")
    func close() throws {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path, options: AppendFixture.options())
        let table = try db.createTable(AppendFixture.spec)
        try table.append(AppendFixture.batch(id: "x", rows: 5))
        try db.close()
        try db.close()  // a second close does nothing
        #expect(db.isClosed)
        #expect(dir.files(under: "segments").count == 1)
        #expect(throws: StrataError.self) { try table.append(AppendFixture.batch(id: "y", rows: 5)) }
        #expect(try AppendFixture.counts(table.snapshot()) == ["x": 5])  // still readable
        let reopened = try Database.open(at: dir.path)  // the lock is free
        #expect(try AppendFixture.counts(reopened.table(named: "appends").snapshot()) == ["x": 5])
    }

    @Test("the background timer flushes heads")
    func timer() throws {
        var options = AppendFixture.options()
        options.flushInterval = .milliseconds(20)
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path, options: options)
        let table = try db.createTable(AppendFixture.spec)
        try table.append(AppendFixture.batch(id: "x", rows: 5))
        let deadline = Date().addingTimeInterval(10)
        while table.segments.contains(where: \.isHead), Date() < deadline { usleep(5_000) }
        #expect(!table.segments.contains { $0.isHead })
        #expect(try AppendFixture.counts(table.snapshot()) == ["x": 5])
    }

    @Test("a dropped table's head and log records do not come back, even under the same name")
    func dropAndRecreate() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path, options: AppendFixture.options())
            try db.createTable(AppendFixture.spec).append(AppendFixture.batch(id: "old", rows: 5))
            try db.dropTable(named: "appends")
            try db.createTable(AppendFixture.spec).append(AppendFixture.batch(id: "new", rows: 3))
            #expect(try AppendFixture.counts(db.table(named: "appends").snapshot()) == ["new": 3])
        }
        let db = try Database.open(at: dir.path, options: AppendFixture.options())
        #expect(try AppendFixture.counts(db.table(named: "appends").snapshot()) == ["new": 3])
    }
}
