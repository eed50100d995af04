import Foundation
import StrataCore
import StrataTestSupport
import Testing

@testable import StrataStorage

@Suite("Write-ahead log format")
struct WALTests {
    static func columns(rows: Int, seed: UInt64) -> [ColumnData] {
        var rng = SplitMix64(seed: seed)
        var validity = Bitset(count: rows, value: true)
        for i in 0..<rows where rng.next() % 5 == 0 { validity[i] = false }
        let words = ["", "a", "Ünïcode", "long-" + String(repeating: "x", count: 300)]
        let many = (0..<300).map { "v\($0)" }
        return [
            .int64((0..<rows).map { _ in Int64(bitPattern: rng.next()) }, validity: nil),
            .double((0..<rows).map { _ in Double(rng.next() % 1000) / 7 }, validity: validity),
            .bool((0..<rows).map { _ in rng.next() % 2 == 0 }, validity: validity),
            .string(dictionary: words, codes: (0..<rows).map { _ in UInt32(rng.next() % 4) }, validity: validity),
            .string(dictionary: many, codes: (0..<rows).map { _ in UInt32(rng.next() % 300) }, validity: nil),
        ]
    }

    @Test("records round-trip every column type, with nulls, small (raw) and large (LZ4)", arguments: [0, 1, 5, 3000])
    func roundTrip(rows: Int) throws {
        let columns = Self.columns(rows: rows, seed: UInt64(rows))
        var bytes = WALRecord.encode(table: "Events", columns: columns)
        WALRecord.stamp(&bytes, sequence: 42)
        var file = WALFile.header
        file += bytes
        let scan = file.withUnsafeBytes { WALFile.scan($0) }
        #expect(!scan.damaged && scan.validLength == file.count)
        #expect(scan.records == [WALRecord(sequence: 42, table: "Events", columns: columns)])
    }

    @Test("every cut inside a record, and every flipped byte, ends the log before that record")
    func tornRecords() throws {
        var file = WALFile.header
        var ends: [Int] = []
        for (i, rows) in [3, 700, 2].enumerated() {
            var bytes = WALRecord.encode(table: "t", columns: Self.columns(rows: rows, seed: UInt64(i)))
            WALRecord.stamp(&bytes, sequence: UInt64(i + 1))
            file += bytes
            ends.append(file.count)
        }
        for cut in stride(from: ends[1], to: ends[2], by: 1) {
            let scan = Array(file[0..<cut]).withUnsafeBytes { WALFile.scan($0) }
            #expect(scan.records.count == 2 && scan.validLength == ends[1] && scan.damaged == (cut != ends[1]))
        }
        for position in stride(from: ends[0], to: ends[1], by: 37) {
            var damaged = file
            damaged[position] ^= 0x08
            let scan = damaged.withUnsafeBytes { WALFile.scan($0) }
            #expect(scan.records.count == 1 && scan.validLength == ends[0] && scan.damaged)
        }
    }
}
