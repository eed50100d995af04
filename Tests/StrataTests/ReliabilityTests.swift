import Foundation
import StrataCore
import StrataTestSupport
import Testing

@testable import Strata
@testable import StrataStorage

/// Issue 15: opening, cleaning up and replaying never harm what Strata did not write, and crafted
/// input on disk is a clear error, not a crash.
@Suite("Reliability")
struct ReliabilityTests {
    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test("opening a database deletes no foreign file, only its own unpublished segments")
    func foreignFilesSurvive() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path)
            let table = try db.createTable(RandomTable.spec())
            try table.append(RandomTable.batch(rows: 50, days: 1, seed: 1))
            try db.close()
        }
        let tableDirectory = dir.path + "/segments/t"
        let foreign = [
            dir.path + "/notes.txt", dir.path + "/CATALOG.bak", tableDirectory + "/x.seg.bak",
            tableDirectory + "/notes.txt", tableDirectory + "/000000000099.seg.old", tableDirectory + "/12a.seg",
            dir.path + "/segments/readme.txt",
        ]
        for path in foreign { try Self.write("user data", to: path) }
        let orphan = tableDirectory + "/000000000777.seg"
        try Self.write("unpublished", to: orphan)
        _ = try Database.open(at: dir.path)
        for path in foreign { #expect(Self.exists(path), "\(path) was deleted") }
        #expect(!Self.exists(orphan))  // Strata's own leftover still goes
    }

    @Test("a symlinked table directory is not followed: segment-named files outside the database survive")
    func symlinkNotFollowed() throws {
        let outside = TestDirectory()
        let dir = TestDirectory()
        let target = outside.path + "/000000000001.seg"
        try Self.write("not Strata's", to: target)
        try FileManager.default.createDirectory(atPath: dir.path + "/segments", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/segments/linked", withDestinationPath: outside.path)
        // A symlinked segment file inside a real table directory is not followed either.
        try FileManager.default.createDirectory(atPath: dir.path + "/segments/t", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/segments/t/000000000002.seg", withDestinationPath: target)
        let db = try Database.open(at: dir.path)
        try db.close()
        #expect(Self.exists(target))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "not Strata's")
    }

    @Test("a catalog naming a segment outside the database is refused as corrupt; the file survives")
    func craftedCatalogPath() throws {
        let parent = TestDirectory()
        let dbPath = parent.path + "/db"
        let victim = parent.path + "/victim.txt"
        try Self.write("precious", to: victim)
        try FileManager.default.createDirectory(atPath: dbPath, withIntermediateDirectories: true)
        for file in ["../victim.txt", "/etc/passwd", "segments/t/../../../victim.txt", "segments/t/1.seg.bak"] {
            let segment = SegmentEntry(
                id: "t-1", file: file, chunkStart: 0, chunkEnd: Timestamp.millisecondsPerDay, version: 1, rowCount: 1,
                minTime: 0, maxTime: 0, sizeBytes: 1)
            let catalog = Catalog(
                version: 1, nextSegmentNumber: 2, tables: [TableEntry(spec: RandomTable.spec(), segments: [segment])])
            try CatalogStore(directory: dbPath).publish(catalog)
            let error = #expect(throws: StrataError.self) { try Database.open(at: dbPath) }
            #expect(error?.code == .corruption)
            #expect(error?.description.contains("CATALOG") == true)
            #expect(Self.exists(victim))
        }
    }

    @Test("a table name longer than the maximum is refused when the table is created")
    func longTableName() throws {
        let db = Database.inMemory()
        let longest = "t" + String(repeating: "x", count: TableSpec.maxNameLength - 1)
        _ = try db.createTable(RandomTable.spec(name: longest))
        let error = #expect(throws: StrataError.self) {
            try db.createTable(RandomTable.spec(name: longest + "x"))
        }
        #expect(error?.code == .schema)
        #expect(error?.description.contains("at most \(TableSpec.maxNameLength) bytes") == true)
    }

    @Test("a huge retentionDays is refused by validation; the largest allowed one flushes without overflow")
    func hugeRetention() throws {
        for days in [Int.max, TableSpec.maxRetentionDays + 1, 0] {
            var spec = RandomTable.spec()
            spec.retentionDays = days
            let error = #expect(throws: StrataError.self) { try spec.validate() }
            #expect(error?.code == .schema)
        }
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path)
        var spec = RandomTable.spec()
        spec.retentionDays = TableSpec.maxRetentionDays
        let table = try db.createTable(spec)
        try table.append(RandomTable.batch(rows: 100, seed: 2))
        try table.flush()
        #expect(table.rowCount == 100)
    }

    @Test("a crafted log record with an Int64.min timestamp is a corruption error on open, not a crash")
    func craftedLogRecord() throws {
        let dir = TestDirectory()
        let spec = TableSpec(name: "w", metrics: [MetricSpec(name: "v", type: .int64)])
        do {
            let db = try Database.open(at: dir.path)
            _ = try db.createTable(spec)
            try db.close()
        }
        var record = WALRecord.encode(
            table: "w", columns: [.int64([0, .min], validity: nil), .int64([1, 2], validity: nil)])
        WALRecord.stamp(&record, sequence: 1_000_000)
        try FileManager.default.createDirectory(atPath: dir.path + "/wal", withIntermediateDirectories: true)
        try Data(WALFile.header + record).write(to: URL(fileURLWithPath: dir.path + "/wal/" + WALFile.name(999_999)))
        let error = #expect(throws: StrataError.self) { try Database.open(at: dir.path) }
        #expect(error?.code == .corruption)
        #expect(error?.description.contains("\(Int64.min)") == true)
    }

    @Test("a crafted log record numbered UInt64.max is damage, not an overflow of the numbering")
    func craftedLogSequence() throws {
        let dir = TestDirectory()
        let spec = TableSpec(name: "w", metrics: [MetricSpec(name: "v", type: .int64)])
        do {
            let db = try Database.open(at: dir.path)
            _ = try db.createTable(spec)
            try db.close()
        }
        var record = WALRecord.encode(table: "w", columns: [.int64([1], validity: nil), .int64([1], validity: nil)])
        WALRecord.stamp(&record, sequence: .max)
        try FileManager.default.createDirectory(atPath: dir.path + "/wal", withIntermediateDirectories: true)
        try Data(WALFile.header + record).write(to: URL(fileURLWithPath: dir.path + "/wal/" + WALFile.name(999_999)))
        // The newest file, its only record unreadable: a torn tail, cut and reported; appends go on.
        let db = try Database.open(at: dir.path)
        #expect(db.recoveryNotes.count == 1)
        try db.table(named: "w").append(ColumnBatch(["ts": .timestamp([AppendFixture.base]), "v": .int64([5])]))
        try db.close()
    }

    @Test("a crafted catalog with counters near UInt64.max is a corruption error")
    func craftedCatalogCounters() throws {
        let dir = TestDirectory()
        try Database.open(at: dir.path).close()
        for catalog in [
            Catalog(version: .max), Catalog(nextSegmentNumber: .max),
            Catalog(tables: [TableEntry(spec: TableSpec(name: "w"), walCheckpoint: .max)]),
        ] {
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasPrefix("CATALOG.") {
                try FileManager.default.removeItem(atPath: dir.path + "/" + name)
            }
            try CatalogStore(directory: dir.path).publish(catalog)
            let error = #expect(throws: StrataError.self) { try Database.open(at: dir.path) }
            #expect(error?.code == .corruption && error?.message.contains("out of range") == true)
        }
    }

    @Test("deleting or replacing LOCK while a writer runs admits no second writer; readers still open")
    func lockFileRemoved() throws {
        let dir = TestDirectory()
        let writer = try Database.open(at: dir.path)
        try FileManager.default.removeItem(atPath: dir.path + "/LOCK")
        let error = #expect(throws: StrataError.self) { try Database.open(at: dir.path) }
        #expect(error?.code == .io && error?.message.contains("in use") == true)
        _ = FileManager.default.createFile(atPath: dir.path + "/LOCK", contents: Data())
        #expect(throws: StrataError.self) { try Database.open(at: dir.path) }
        #expect(throws: Never.self) { try Database.open(at: dir.path, mode: .readOnly) }
        try writer.close()
        #expect(throws: Never.self) { try Database.open(at: dir.path).close() }
    }
}
