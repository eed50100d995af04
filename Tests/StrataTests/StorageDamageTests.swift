import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Damaged segment and dictionary files seen through the public API: a database with them opens,
/// and every answer is either the clean one or a corruption error naming the file.
@Suite("Damaged files through the public API")
struct StorageDamageTests {
    static func query(_ table: String) -> Query {
        var query = Query(table: table, groupBy: [.column("country"), .column("flag")])
        query.aggregations = [
            Aggregation("n", .count), Aggregation("users", .countDistinct, column: "user"),
            Aggregation("amount", .sum, column: "amount"), Aggregation("top", .max, column: "cohort"),
        ]
        query.orderBy = [OrderKey("country"), OrderKey("flag")]
        return query
    }

    /// Everything a table answers: a grouped query and every stored value.
    static func answers(_ db: Database, _ table: String) throws(StrataError) -> (QueryResult, ScanResult) {
        (try db.execute(query(table)), try db.table(named: table).scan())
    }

    static func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// A database at `dir` with table "t" (table-wide `user` codes) stored in segments.
    static func makeDatabase(_ dir: TestDirectory) throws {
        var options = Database.Options()
        options.blockRowCount = 128
        let db = try Database.open(at: dir.path, options: options)
        let table = try db.createTable(RandomTable.spec(userDictionary: .table))
        try table.append(RandomTable.batch(rows: 400, days: 1, seed: 3))
        try table.flush()
        try db.close()
    }

    @Test("a flipped or cut segment file gives the clean answer or a corruption error naming it")
    func segmentDamage() throws {
        let dir = TestDirectory()
        try Self.makeDatabase(dir)
        let file = try #require(dir.files(under: "segments").first)
        let path = dir.path + "/segments/" + file
        let clean = try Self.read(path)
        let expected = try {
            let db = try Database.open(at: dir.path)
            defer { try? db.close() }
            return try Self.answers(db, "t")
        }()
        let seed =
            ProcessInfo.processInfo.environment["STRATA_DAMAGE_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64.max)
        print("StorageDamageTests.segmentDamage seed \(seed)")
        var rng = SplitMix64(seed: seed)
        // A sample of every region (about 120 flips), every trailer byte, and cuts across the file.
        var variants: [(String, [UInt8])] = []
        let stride = max(1, clean.count / 120)
        for i in Swift.stride(from: Int(rng.next() % UInt64(stride)), to: clean.count, by: stride)
            + Array(clean.count - 32..<clean.count)
        {
            var bytes = clean
            bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
            variants.append(("byte \(i) (seed \(seed))", bytes))
        }
        for length in Swift.stride(from: 0, to: clean.count, by: max(1, clean.count / 25)) {
            variants.append(("cut at \(length)", Array(clean.prefix(length))))
        }
        var harmless = 0
        var errors = 0
        for (what, bytes) in variants {
            try Self.write(bytes, path)
            let db = try Database.open(at: dir.path)
            defer { try? db.close() }
            do {
                let answers = try Self.answers(db, "t")
                #expect(ReferenceEvaluator.same(answers.0, expected.0, ordered: true), "\(what): different answer")
                #expect(answers.1 == expected.1, "\(what): different rows")
                #expect(db.verify().isEmpty, "\(what): verify reports a problem the queries did not")
                harmless += 1
            } catch {
                // A flipped byte of the header's format version reads as a version this build does not know
                // (`unsupported`, naming it); anything else is corruption.
                let versionByte = error.code == .unsupported && error.message.contains("segment format version")
                #expect(error.code == .corruption || versionByte, "\(what): \(error)")
                #expect(error.location?.file == path, "\(what): \(error)")
                #expect(db.verify().contains { $0.location?.file == path }, "\(what): verify misses it")
                errors += 1
            }
        }
        print("StorageDamageTests.segmentDamage: \(harmless) harmless, \(errors) errors")
        #expect(errors > 0)
    }

    @Test("a database whose segments are in format version 1 opens and answers the same")
    func versionOneSegments() throws {
        let dir = TestDirectory()
        try Self.makeDatabase(dir)
        let expected = try {
            let db = try Database.open(at: dir.path)
            defer { try? db.close() }
            return try Self.answers(db, "t")
        }()
        let files = dir.files(under: "segments")
        #expect(!files.isEmpty)
        for file in files {
            // Version 1 differs only in the header's version and a zero (reserved) trailer checksum.
            var bytes = try Self.read(dir.path + "/segments/" + file)
            #expect(bytes[8] == 2)
            bytes[8] = 1
            bytes.replaceSubrange((bytes.count - 12)..<(bytes.count - 8), with: [0, 0, 0, 0])
            try Self.write(bytes, dir.path + "/segments/" + file)
        }
        let db = try Database.open(at: dir.path)
        defer { try? db.close() }
        let answers = try Self.answers(db, "t")
        #expect(ReferenceEvaluator.same(answers.0, expected.0, ordered: true))
        #expect(answers.1 == expected.1)
        #expect(db.verify().isEmpty)
    }

    @Test("a damaged table dictionary fails its own table only, naming the file, and is left as found")
    func dictionaryDamage() throws {
        let dir = TestDirectory()
        let batches = (0..<3).map { RandomTable.batch(rows: 300, days: 2, seed: 60 + UInt64($0)) }
        let expectedA: QueryResult
        var expectedB: QueryResult
        let reference = Database.inMemory()
        let referenceB = try reference.createTable(RandomTable.spec(name: "b", userDictionary: .table))
        do {
            let db = try Database.open(at: dir.path)
            let a = try db.createTable(RandomTable.spec(name: "a", userDictionary: .table))
            let b = try db.createTable(RandomTable.spec(name: "b", userDictionary: .table))
            try a.append(batches[0])
            try b.append(batches[1])
            try db.flush()
            try a.append(batches[2])  // logged, left in the head: replayed on open
            expectedA = try db.execute(Self.query("a"))
            expectedB = try db.execute(Self.query("b"))
            // No close: a's last batch is only in the log.
        }
        let path = dir.path + "/dictionaries/a/user.dict"
        let clean = try Self.read(path)
        var flipped = clean
        flipped[clean.count / 2] ^= 0x10
        var badMagic = clean
        badMagic[0] ^= 1
        let variants = [
            ("flipped", flipped), ("bad magic", badMagic), ("cut to 10 bytes", Array(clean.prefix(10))),
            ("cut by 3 bytes", Array(clean.dropLast(3))), ("emptied", []),
        ]
        for (k, (what, bytes)) in variants.enumerated() {
            try Self.write(bytes, path)
            var options = Database.Options()
            options.directWriteRows = 200  // 300 rows go to segments directly, 50 through the log and head
            let db = try Database.open(at: dir.path, options: options)
            func expectNamesFile(_ body: () throws -> Void) {
                do {
                    try body()
                    Issue.record("\(what): table a answered")
                } catch let error as StrataError {
                    #expect(error.code == .corruption, "\(what): \(error)")
                    #expect(error.location?.file == path, "\(what): \(error)")
                } catch {
                    Issue.record("\(what): \(error)")
                }
            }
            #expect(ReferenceEvaluator.same(try db.execute(Self.query("b")), expectedB, ordered: true), "\(what)")
            expectNamesFile { _ = try db.execute(Self.query("a")) }
            expectNamesFile { _ = try db.query("SELECT count(*) AS n FROM a") }
            expectNamesFile { try db.table(named: "a").append(batches[0]) }
            expectNamesFile { try db.table(named: "a").append(RandomTable.batch(rows: 50, seed: 1)) }
            let problems = db.verify()
            #expect(problems.contains { $0.code == .corruption && $0.location?.file == path }, "\(what)")
            #expect(!problems.contains { $0.location?.file?.contains("/b/") ?? false }, "\(what)")
            if k == 0 {
                // The other table keeps taking appends and publishing (its dictionary persists).
                try referenceB.append(batches[1])
                try referenceB.append(batches[2])
                expectedB = try reference.execute(Self.query("b"))
                try db.table(named: "b").append(batches[2])
                try db.flush()
                #expect(ReferenceEvaluator.same(try db.execute(Self.query("b")), expectedB, ordered: true))
            }
            try db.close()
            #expect(try Self.read(path) == bytes, "\(what): the damaged file was changed")
        }
        // Repaired, the table answers as before, its logged batch included.
        try Self.write(clean, path)
        let db = try Database.open(at: dir.path)
        defer { try? db.close() }
        #expect(ReferenceEvaluator.same(try db.execute(Self.query("a")), expectedA, ordered: true))
        #expect(db.verify().isEmpty)
    }
}
