import Foundation
import PropertyBased
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// The rows of a batch as boxed values in stored-column order, sorted for order-insensitive comparison.
func sortedRows(_ batch: ColumnBatch, spec: TableSpec) -> [[Value]] {
    let vectors = spec.storedColumns.map { batch.vector(named: $0.name)! }
    let rows = (0..<batch.rowCount).map { r in
        zip(spec.storedColumns, vectors).map { column, vector -> Value in
            let v = vector.value(at: r)
            if column.type == .timestamp, case .int64(let x) = v { return .timestamp(x) }
            return v
        }
    }
    return rows.sorted { $0.description < $1.description }
}

func sorted(_ rows: [[Value]]) -> [[Value]] { rows.sorted { $0.description < $1.description } }

@Suite("Database")
struct DatabaseTests {
    @Test("appended rows of every type read back exactly, in memory and on disk across reopen")
    func roundTrip() async throws {
        await propertyCheck(count: 8, input: Gen.int(in: 0...2500), Gen.int(in: 0...Int.max)) { rows, seed in
            let spec = RandomTable.spec(codec: Codec.allCases[seed % 3])
            let batch = RandomTable.batch(rows: rows, days: 3, seed: UInt64(seed))
            let expected = sortedRows(batch, spec: spec)
            let memory = Database.inMemory()
            let table = try memory.createTable(spec)
            try table.append(batch)
            #expect(sorted(try table.scan().rows) == expected)

            let dir = TestDirectory()
            do {
                let db = try Database.open(at: dir.path)
                try db.createTable(spec).append(batch)
            }
            let reopened = try Database.open(at: dir.path)
            let table2 = try reopened.table(named: "t")
            #expect(sorted(try table2.scan().rows) == expected)
            #expect(table2.rowCount == rows)
            #expect(reopened.verify().isEmpty)
        }
    }

    @Test("rows are split into one segment per time chunk, sorted by time within each")
    func chunks() throws {
        let db = Database.inMemory()
        let table = try db.createTable(RandomTable.spec())
        try table.append(RandomTable.batch(rows: 3000, days: 4, seed: 1))
        let segments = table.segments
        #expect(segments.count == 4)
        for s in segments {
            #expect(s.chunk.upperBound - s.chunk.lowerBound == Timestamp.millisecondsPerDay)
            #expect(s.chunk.contains(s.timeRange.lowerBound) && s.chunk.contains(s.timeRange.upperBound))
        }
        let times = try table.scan(columns: ["ts"]).rows.map { $0[0] }
        let ms = times.compactMap { if case .timestamp(let t) = $0 { t } else { nil } }
        #expect(ms == ms.sorted())
        // A second append adds segments (late data lands in its own chunk's new segment).
        try table.append(RandomTable.batch(rows: 10, days: 1, seed: 2))
        #expect(table.segments.count == 5)
        #expect(table.rowCount == 3010)
    }

    @Test("a scan restricted to a time range prunes segments and filters rows")
    func timeRange() throws {
        let db = Database.inMemory()
        let table = try db.createTable(RandomTable.spec())
        let batch = RandomTable.batch(rows: 2000, days: 3, seed: 4)
        try table.append(batch)
        let start = Int64(CivilDate.days(year: 2026, month: 10, day: 2)) * Timestamp.millisecondsPerDay
        let range = start..<(start + Timestamp.millisecondsPerDay / 2)
        let rows = try table.scan(columns: ["ts"], timeRange: range).rows
        guard case .timestamp(let ts) = batch.vector(named: "ts")!.values else { return }
        #expect(rows.count == ts.filter { range.contains($0) }.count)
    }

    @Test("bad appends are rejected whole with clear errors")
    func badInput() throws {
        let db = Database.inMemory()
        let table = try db.createTable(RandomTable.spec())
        var batch = RandomTable.batch(rows: 10, seed: 1)
        let missing = ColumnBatch(["ts": .timestamp([1])])
        #expect(throws: StrataError.self) { try table.append(missing) }
        batch.append(column: "extra", .int64([Int64?](repeating: 1, count: 10)))
        #expect(throws: StrataError.self) { try table.append(batch) }
        let wrongType: [[String: Value]] = [["ts": .timestamp(0), "country": .int64(3)]]
        do {
            try table.append(rows: wrongType)
            Issue.record("accepted a wrong type")
        } catch {
            #expect(error.message.contains("country"))
        }
        let nullTime = ColumnBatch(["ts": .timestamp([nil])])
        #expect(throws: StrataError.self) { try table.append(nullTime) }
        #expect(table.rowCount == 0)
        #expect(table.segments.isEmpty)
    }

    @Test("typed rows append, with timestamps as text")
    func typedRows() throws {
        let db = Database.inMemory()
        let spec = TableSpec(
            name: "e", dimensions: [DimensionSpec(name: "variant", type: .string)],
            metrics: [MetricSpec(name: "revenue", type: .double)])
        let table = try db.createTable(spec)
        try table.append(rows: [
            ["ts": "2026-10-01 10:00:00", "variant": "control", "revenue": 1.5],
            ["ts": .timestamp(1_790_000_000_000), "variant": nil, "revenue": 2],
        ])
        let rows = try table.scan().rows
        #expect(rows.count == 2)
        #expect(rows.contains([.timestamp(1_790_000_000_000), .null, .double(2)]))
    }

    @Test("table names: duplicates rejected, unknown names suggest the closest")
    func names() throws {
        let db = Database.inMemory()
        try db.createTable(RandomTable.spec(name: "events"))
        #expect(throws: StrataError.self) { try db.createTable(RandomTable.spec(name: "EVENTS")) }
        do {
            _ = try db.table(named: "evnets")
            Issue.record("found a missing table")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.message.contains("did you mean 'events'"))
        }
        #expect(db.tableNames == ["events"])
        try db.dropTable(named: "events")
        #expect(db.tableNames.isEmpty)
    }

    @Test("a second open of the same directory is refused while the first is alive")
    func lock() throws {
        let dir = TestDirectory()
        let first = try Database.open(at: dir.path)
        #expect(throws: StrataError.self) { try Database.open(at: dir.path) }
        _ = first
    }
}
