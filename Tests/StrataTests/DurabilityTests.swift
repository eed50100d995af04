import Foundation
import StrataCore
import StrataTestSupport
import Synchronization
import Testing

@testable import Strata

@Suite("Durability and corruption")
struct DurabilityTests {
    @Test("a crash between writing segments and publishing the catalog reopens at the old version")
    func crashBeforePublish() throws {
        let dir = TestDirectory()
        let before: [[Value]]
        let version: UInt64
        do {
            // Every append written straight to segments (the log and head path has its own tests).
            var options = Database.Options()
            options.directWriteRows = 1
            let db = try Database.open(at: dir.path, options: options)
            let table = try db.createTable(RandomTable.spec())
            try table.append(RandomTable.batch(rows: 500, seed: 1))
            before = try table.scan().rows
            version = db.catalogVersion
            db.crashPoint.withLock { $0 = .afterSegmentWrite }
            #expect(throws: StrataError.self) { try table.append(RandomTable.batch(rows: 500, days: 2, seed: 2)) }
            #expect(dir.files(under: "segments").count == 3 + 2)  // the unpublished files exist on disk
        }
        // A torn catalog write leaves a temporary file; it must never be read.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: dir.path + "/CATALOG.tmp"))
        let db = try Database.open(at: dir.path)
        #expect(db.catalogVersion == version)
        #expect(try db.table(named: "t").scan().rows == before)
        #expect(dir.files(under: "segments").count == 3)  // orphans removed
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/CATALOG.tmp"))
        // New writes after recovery do not collide with anything left behind.
        try db.table(named: "t").append(RandomTable.batch(rows: 10, days: 1, seed: 3))
        #expect(try db.table(named: "t").rowCount == 510)
    }

    @Test("a flipped byte in one segment is reported with file and block; other segments still read")
    func flippedByte() throws {
        let dir = TestDirectory()
        let day = Timestamp.millisecondsPerDay
        let oct1 = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * day
        do {
            let db = try Database.open(
                at: dir.path,
                options: {
                    var o = Database.Options(); o.blockRowCount = 256; return o
                }())
            try db.createTable(RandomTable.spec()).append(RandomTable.batch(rows: 3000, days: 2, seed: 8))
            try db.close()
        }
        let files = dir.files(under: "segments")
        #expect(files.count == 2)
        let damagedPath = dir.path + "/segments/" + files[0]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: damagedPath))
        bytes[64] ^= 0x10  // inside the first column's first block
        try bytes.write(to: URL(fileURLWithPath: damagedPath))

        let db = try Database.open(at: dir.path)
        let table = try db.table(named: "t")
        do {
            _ = try table.scan()
            Issue.record("read a corrupt segment without error")
        } catch {
            #expect(error.code == .corruption)
            #expect(error.location?.file == damagedPath)
            #expect(error.location?.block == 0)
        }
        let second = try table.scan(timeRange: (oct1 + day)..<(oct1 + 2 * day))
        #expect(second.rows.count > 1000)
        let problems = db.verify()
        #expect(problems.count == 1)
        #expect(problems.first?.description.contains(files[0]) == true)
    }

    @Test("a corrupt catalog is a clear error, not a crash")
    func corruptCatalog() throws {
        let dir = TestDirectory()
        do { try Database.open(at: dir.path).createTable(RandomTable.spec()) }
        let path = dir.path + "/CATALOG"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 3] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        do {
            _ = try Database.open(at: dir.path)
            Issue.record("opened a corrupt catalog")
        } catch {
            #expect(error.code == .corruption)
            #expect(error.description.contains("CATALOG"))
        }
    }
}
