import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Synchronization
import Testing

@testable import Strata

@Suite("Write-ahead log recovery")
struct WALRecoveryTests {
    /// Appends `count` batches of `rows` rows ("b0", "b1", …) and drops the database without closing it.
    static func crashAfterAppends(_ dir: TestDirectory, count: Int, rows: Int = 7) throws {
        let db = try Database.open(at: dir.path, options: AppendFixture.options())
        let table = try db.createTable(AppendFixture.spec)
        for i in 0..<count { try table.append(AppendFixture.batch(id: "b\(i)", rows: rows, firstDay: i % 2)) }
        #expect(db.statistics.logAppends == count)
    }

    static func counts(_ dir: TestDirectory) throws -> [String: Int] {
        let db = try Database.open(at: dir.path, options: AppendFixture.options())
        return try AppendFixture.counts(db.table(named: "appends").snapshot())
    }

    static func expected(_ ids: Range<Int>, rows: Int = 7) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: ids.map { ("b\($0)", rows) })
    }

    @Test("appends of a database dropped without close come back from the log")
    func replayAfterCrash() throws {
        let dir = TestDirectory()
        try Self.crashAfterAppends(dir, count: 20)
        #expect(dir.files(under: "segments").isEmpty)
        do {
            let db = try Database.open(at: dir.path, options: AppendFixture.options())
            let table = try db.table(named: "appends")
            #expect(try AppendFixture.counts(table.snapshot()) == Self.expected(0..<20))
            #expect(table.segments.allSatisfy { $0.isHead })
            // Appends after recovery get new sequence numbers; a second crash keeps both generations.
            try table.append(AppendFixture.batch(id: "b20", rows: 7))
            try table.flush()
            try table.append(AppendFixture.batch(id: "b21", rows: 7))
        }
        #expect(try Self.counts(dir) == Self.expected(0..<22))
    }

    @Test("a torn tail record (file cut mid-record) is dropped; earlier records survive; the database opens")
    func truncatedTail() throws {
        let dir = TestDirectory()
        try Self.crashAfterAppends(dir, count: 5)
        let log = try #require(AppendFixture.walFiles(dir.path).last)
        let size = FileManager.default.sizeOfFile(log)
        #expect(truncate(log, off_t(size - 9)) == 0)
        #expect(try Self.counts(dir) == Self.expected(0..<4))
        #expect(FileManager.default.sizeOfFile(log) < size - 9)  // cut back to the last good record
        // The database keeps working after recovery.
        let db = try Database.open(at: dir.path, options: AppendFixture.options())
        try db.table(named: "appends").append(AppendFixture.batch(id: "b9", rows: 7))
        try db.close()
        #expect(try Self.counts(dir) == Self.expected(0..<4).merging(["b9": 7]) { a, _ in a })
    }

    @Test("a flipped byte in the last record of the newest file is a torn tail: cut, and reported")
    func flippedLastRecord() throws {
        let dir = TestDirectory()
        try Self.crashAfterAppends(dir, count: 5)
        let log = try #require(AppendFixture.walFiles(dir.path).last)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        bytes[bytes.count - 3] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: log))
        let db = try Database.open(at: dir.path, options: AppendFixture.options())
        #expect(try AppendFixture.counts(db.table(named: "appends").snapshot()) == Self.expected(0..<4))
        #expect(db.recoveryNotes.count == 1 && db.recoveryNotes[0].contains(log))
    }

    @Test("damage in a middle record stops the open with the file and offset, and changes nothing")
    func flippedMiddleRecord() throws {
        let dir = TestDirectory()
        try Self.crashAfterAppends(dir, count: 6)
        let log = try #require(AppendFixture.walFiles(dir.path).last)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        // Records are equal-sized here: the header, then six records.
        let recordSize = (bytes.count - 16) / 6
        bytes[16 + 3 * recordSize + recordSize / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: log))
        for mode in [AccessMode.readWrite, .readOnly] {
            let error = #expect(throws: StrataError.self) {
                try Database.open(at: dir.path, options: AppendFixture.options(), mode: mode)
            }
            #expect(error?.code == .corruption)
            #expect(error?.location?.file == log && error?.location?.offset == 16 + 3 * recordSize)
            #expect(error?.message.contains("strata repair") == true)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == bytes)
        #expect(Database.verify(at: dir.path).count == 1)
        // Repair keeps the damaged file aside and the records on both sides of the damage.
        let report = try Database.repair(at: dir.path, options: AppendFixture.options())
        #expect(report.logFiles.count == 1 && report.logFiles[0].recoveredRecords == 5)
        #expect(report.logFiles[0].lostRecords == 1 && !report.logFiles[0].lostUncounted && !report.isClean)
        #expect(try Data(contentsOf: URL(fileURLWithPath: report.logFiles[0].keptAt)) == bytes)
        #expect(try Self.counts(dir) == Self.expected(0..<3).merging(Self.expected(4..<6)) { a, _ in a })
        #expect(Database.verify(at: dir.path).isEmpty)
    }

    @Test("verify reports a damaged log and a damaged segment together (the log does not hide the segments)")
    func verifyReportsAll() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path, options: AppendFixture.options())
            let table = try db.createTable(AppendFixture.spec)
            try table.append(AppendFixture.batch(id: "s", rows: 500))
            try table.flush()
            for i in 0..<6 { try table.append(AppendFixture.batch(id: "b\(i)", rows: 7)) }
        }
        let log = try #require(AppendFixture.walFiles(dir.path).last)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        bytes[16 + 20] ^= 0x01  // inside the first record, five intact ones after it
        try bytes.write(to: URL(fileURLWithPath: log))
        let segment = dir.path + "/segments/appends/" + (try #require(dir.files(under: "segments/appends").first))
        var segmentBytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        segmentBytes[40] ^= 0x01  // the first block, after the 32-byte header
        try segmentBytes.write(to: URL(fileURLWithPath: segment))
        let problems = Database.verify(at: dir.path, options: AppendFixture.options())
        #expect(problems.contains { $0.location?.file == log })
        #expect(problems.contains { $0.location?.file == segment }, "\(problems)")
    }

    @Test("a log file cut short while it was created is removed; a garbage log file is damage, kept")
    func garbageFile() throws {
        let dir = TestDirectory()
        try Self.crashAfterAppends(dir, count: 3)
        // The newest file, empty: a crash between creating it and writing its header.
        _ = FileManager.default.createFile(atPath: dir.path + "/wal/000098.log", contents: Data())
        #expect(try Self.counts(dir) == Self.expected(0..<3))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/wal/000098.log"))
        // Bytes that are no header prefix: not what a crash leaves.
        try Data("not a log".utf8).write(to: URL(fileURLWithPath: dir.path + "/wal/000099.log"))
        let error = #expect(throws: StrataError.self) { try Self.counts(dir) }
        #expect(error?.code == .corruption && error?.location?.file == dir.path + "/wal/000099.log")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/wal/000099.log"))
        let report = try Database.repair(at: dir.path, options: AppendFixture.options())
        #expect(report.logFiles.map(\.recoveredRecords) == [0] && report.logFiles[0].lostUncounted)
        #expect(try Self.counts(dir) == Self.expected(0..<3))
    }

    @Test("a crash while flushing (segments written, catalog not published) loses and duplicates nothing")
    func crashDuringFlush() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path, options: AppendFixture.options())
            let table = try db.createTable(AppendFixture.spec)
            for i in 0..<10 { try table.append(AppendFixture.batch(id: "b\(i)", rows: 7, firstDay: i % 2)) }
            db.crashPoint.withLock { $0 = .afterSegmentWrite }
            #expect(throws: StrataError.self) { try table.flush() }
            #expect(dir.files(under: "segments").count == 2)
            // Still readable from the head.
            #expect(try AppendFixture.counts(table.snapshot()) == Self.expected(0..<10))
        }
        #expect(try Self.counts(dir) == Self.expected(0..<10))
        #expect(dir.files(under: "segments").isEmpty)  // unpublished files removed
    }

    @Test("log records already held by published segments are not replayed twice")
    func checkpointSkipsFlushedRecords() throws {
        let dir = TestDirectory()
        let saved = TestDirectory()
        do {
            let db = try Database.open(at: dir.path, options: AppendFixture.options())
            let table = try db.createTable(AppendFixture.spec)
            for i in 0..<6 { try table.append(AppendFixture.batch(id: "b\(i)", rows: 7)) }
            // Keep copies of the log files as they are before the flush retires them.
            for file in AppendFixture.walFiles(dir.path) {
                try FileManager.default.copyItem(
                    atPath: file, toPath: saved.path + "/" + URL(fileURLWithPath: file).lastPathComponent)
            }
            try table.flush()
            try table.append(AppendFixture.batch(id: "b6", rows: 7))
        }
        // As if the process died after publishing the flush but before deleting the old log file.
        for name in try FileManager.default.contentsOfDirectory(atPath: saved.path) {
            let target = dir.path + "/wal/" + name
            if !FileManager.default.fileExists(atPath: target) {
                try FileManager.default.copyItem(atPath: saved.path + "/" + name, toPath: target)
            }
        }
        #expect(try Self.counts(dir) == Self.expected(0..<7))
    }
}
