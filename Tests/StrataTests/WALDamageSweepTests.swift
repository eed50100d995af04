import Foundation
import Strata
import StrataCore
import Testing

@Suite("Write-ahead log damage sweep")
struct WALDamageSweepTests {
    @Test("every flipped byte of a log is harmless, a reported torn tail, or an error whose repair counts the loss")
    func byteFlips() throws {
        let source = TestDirectory()
        try WALRecoveryTests.crashAfterAppends(source, count: 8, rows: 3)
        let log = try #require(AppendFixture.walFiles(source.path).last)
        let original = try Data(contentsOf: URL(fileURLWithPath: log))
        let all = WALRecoveryTests.expected(0..<8, rows: 3)
        var outcomes: [String: Int] = [:]
        for position in stride(from: 0, to: original.count, by: 11) {
            let dir = TestDirectory()
            try FileManager.default.removeItem(atPath: dir.path)
            try FileManager.default.copyItem(atPath: source.path, toPath: dir.path)
            var bytes = original
            bytes[position] ^= 0x10
            try bytes.write(to: URL(fileURLWithPath: dir.path + "/wal/" + URL(fileURLWithPath: log).lastPathComponent))
            do {
                let db = try Database.open(at: dir.path, options: AppendFixture.options())
                let counts = try AppendFixture.counts(db.table(named: "appends").snapshot())
                if counts == all {
                    outcomes["harmless", default: 0] += 1
                } else {
                    // Only the last append may go, as a torn tail, and it is reported.
                    #expect(counts == WALRecoveryTests.expected(0..<7, rows: 3), "byte \(position)")
                    #expect(db.recoveryNotes.count == 1, "byte \(position)")
                    outcomes["torn tail", default: 0] += 1
                }
                try db.close()
            } catch let error as StrataError {
                #expect(error.code == .corruption, "byte \(position): \(error)")
                let report = try Database.repair(at: dir.path, options: AppendFixture.options())
                let counts = try WALRecoveryTests.counts(dir)
                #expect(counts.allSatisfy { all[$0.key] == $0.value }, "byte \(position)")
                let lost = all.count - counts.count
                let file = try #require(report.logFiles.first)
                #expect(
                    lost == file.lostRecords || (file.lostUncounted && lost > file.lostRecords), "byte \(position)")
                #expect(lost >= 1 || file.damage == [0..<16], "byte \(position)")
                outcomes["repaired", default: 0] += 1
            }
        }
        print("WAL byte flips: \(outcomes)")
        #expect(outcomes["repaired", default: 0] > 0 && outcomes["torn tail", default: 0] > 0)
    }
}
