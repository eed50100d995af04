import Foundation
import Strata
import StrataCore
import Testing

/// A database on a tiny tmpfs, filled until appends fail. Needs permission to mount (root in a
/// container that allows it); elsewhere the test is skipped with the reason printed.
@Suite("Disk full")
struct DiskFullTests {
    static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(
        "a full disk fails appends with io errors, loses nothing acknowledged, and still opens read-only",
        arguments: [false, true])
    func fillUp(logOnly: Bool) throws {
        let mountPoint = TestDirectory()
        guard Self.run(["-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint.path]) else {
            print("skipped: cannot mount a tmpfs here (needs root and permission to mount)")
            return
        }
        defer {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/umount")
            process.arguments = [mountPoint.path]
            try? process.run()
            process.waitUntilExit()
        }
        let path = mountPoint.path + "/db"
        var acknowledged: [String: Int] = [:]
        var failure: StrataError?
        do {
            let db = try Database.open(
                at: path,
                options: AppendFixture.options(directWriteRows: 400, headRowLimit: logOnly ? 1_000_000 : 300))
            let table = try db.createTable(AppendFixture.spec)
            var rng = SystemRandomNumberGenerator()
            for i in 0..<2_000 {
                // Random values do not compress: the disk fills in a few dozen appends.
                let rows = i % 3 == 2 && !logOnly ? 1_000 : 50
                let batch = ColumnBatch([
                    "ts": .timestamp((0..<rows).map { AppendFixture.base + Int64(i % 3) * 86_400_000 + Int64($0) }),
                    "batch": .string([String](repeating: "b\(i)", count: rows)),
                    "thread": .int64([Int64](repeating: 0, count: rows)),
                    "value": .int64((0..<rows).map { _ in Int64.random(in: .min ... .max, using: &rng) }),
                ])
                do {
                    try table.append(batch)
                    acknowledged["b\(i)"] = rows
                } catch {
                    failure = error
                    break
                }
            }
            // Full: a reader beside the writer still opens and sees every acknowledged append.
            let reader = try Database.open(at: path, options: AppendFixture.options(), mode: .readOnly)
            let seen = try AppendFixture.counts(reader.table(named: "appends").snapshot())
            #expect(acknowledged.allSatisfy { seen[$0.key] == $0.value })
            _ = try? db.close()
        }
        let error = try #require(failure, "256 KB never filled up")
        #expect(error.code == .io, "\(error)")
        print(
            "disk full (\(logOnly ? "log only" : "log, flushes and direct writes")) after \(acknowledged.count) appends: \(error)"
        )
        // Still full, writer gone: read-only opens work, writer opens fail cleanly or work.
        let reader = try Database.open(at: path, options: AppendFixture.options(), mode: .readOnly)
        let seen = try AppendFixture.counts(reader.table(named: "appends").snapshot())
        #expect(acknowledged.allSatisfy { seen[$0.key] == $0.value })
        // Batches are whole (an unacknowledged one may be stored, but only whole).
        #expect(seen.allSatisfy { batch in batch.value == 50 || batch.value == 1_000 })
        do {
            try Database.open(at: path, options: AppendFixture.options()).close()
        } catch {
            #expect(error.code == .io, "\(error)")
        }
        // Space freed: everything acknowledged is there, and the database is healthy.
        #expect(Self.run(["-o", "remount,size=64m", mountPoint.path]))
        let db = try Database.open(at: path, options: AppendFixture.options())
        let after = try AppendFixture.counts(db.table(named: "appends").snapshot())
        #expect(acknowledged.allSatisfy { after[$0.key] == $0.value })
        #expect(db.verify().isEmpty && Database.verify(at: path).isEmpty)
        try db.close()
    }
}
