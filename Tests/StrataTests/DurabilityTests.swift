import Foundation
import StrataCore
import StrataStorage
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

    @Test("a damaged catalog opens from its copy (reported, rewritten); with the copy damaged too, a clear error")
    func corruptCatalog() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path)
            let table = try db.createTable(AppendFixture.spec)
            for i in 0..<5 {
                try table.append(AppendFixture.batch(id: "b\(i)", rows: 3))
                try table.flush()
            }
            try db.close()
        }
        let path = dir.path + "/CATALOG"
        let copies = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("CATALOG.") }
        #expect(copies.count == CatalogStore.keptCopies)
        let newest = try #require(copies.max { Int($0.dropFirst(8))! < Int($1.dropFirst(8))! })
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/" + newest)) == intact)
        // Every byte class of CATALOG: header, checksum, JSON body.
        for position in Array(0..<40) + Array(stride(from: 40, to: intact.count, by: max(1, intact.count / 40))) {
            var bytes = intact
            bytes[position] ^= 0x04
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(Database.verify(at: dir.path).count == 1, "byte \(position)")
            let db = try Database.open(at: dir.path)
            #expect(db.recoveryNotes.count == 1 && db.recoveryNotes[0].contains(newest), "byte \(position)")
            #expect(try AppendFixture.counts(db.table(named: "appends").snapshot()).count == 5)
            try db.close()
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == intact, "rewritten from the copy")
        }
        var bytes = intact
        bytes[bytes.count - 3] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        try bytes.write(to: URL(fileURLWithPath: dir.path + "/" + newest))
        let error = #expect(throws: StrataError.self) { try Database.open(at: dir.path) }
        #expect(error?.code == .corruption && error?.description.contains("CATALOG") == true)
        #expect(error?.message.contains("copy is damaged too") == true)
        #expect(throws: StrataError.self) { try Database.open(at: dir.path, mode: .readOnly) }
    }

    @Test("copies of catalogs that were never published are removed on open; foreign CATALOG.* files stay")
    func catalogCopiesPruned() throws {
        let dir = TestDirectory()
        try Database.open(at: dir.path).createTable(AppendFixture.spec)
        let version = try Database.open(at: dir.path, mode: .readOnly).catalogVersion
        let fm = FileManager.default
        try fm.copyItem(atPath: dir.path + "/CATALOG", toPath: dir.path + "/CATALOG.\(version + 1)")
        _ = fm.createFile(atPath: dir.path + "/CATALOG.backup", contents: Data("mine".utf8))
        _ = fm.createFile(atPath: dir.path + "/CATALOG.007", contents: Data("mine".utf8))
        try Database.open(at: dir.path).close()
        #expect(!fm.fileExists(atPath: dir.path + "/CATALOG.\(version + 1)"))
        #expect(fm.fileExists(atPath: dir.path + "/CATALOG.backup") && fm.fileExists(atPath: dir.path + "/CATALOG.007"))
    }
}
