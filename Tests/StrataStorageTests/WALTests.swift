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

    /// A header and three records of 3, 700 and 2 rows (sequences 1, 2, 3), with each record's range.
    static func threeRecords() -> (file: [UInt8], ranges: [Range<Int>]) {
        var file = WALFile.header
        var ranges: [Range<Int>] = []
        for (i, rows) in [3, 700, 2].enumerated() {
            var bytes = WALRecord.encode(table: "t", columns: Self.columns(rows: rows, seed: UInt64(i)))
            WALRecord.stamp(&bytes, sequence: UInt64(i + 1))
            ranges.append(file.count..<file.count + bytes.count)
            file += bytes
        }
        return (file, ranges)
    }

    @Test("every cut inside the last record is a torn tail; the records before it survive")
    func tornRecords() throws {
        let (file, ranges) = Self.threeRecords()
        for cut in stride(from: ranges[2].lowerBound, to: ranges[2].upperBound, by: 1) {
            let scan = Array(file[0..<cut]).withUnsafeBytes { WALFile.scan($0) }
            #expect(scan.records.map(\.sequence) == [1, 2] && scan.validLength == ranges[1].upperBound)
            #expect(scan.damaged == (cut != ranges[2].lowerBound) && (!scan.damaged || scan.damageIsTornTail))
        }
    }

    @Test("every flipped byte is found: a damaged record is skipped, the records after it are still read")
    func flippedBytes() throws {
        let (file, ranges) = Self.threeRecords()
        // Every byte of the header, the small records and the big record's frame; every 97th byte of the
        // big record's body (each scan decodes it whole).
        let positions = (0..<file.count).filter { !ranges[1].contains($0 - 40) || $0 % 97 == 0 }
        for position in positions {
            var damaged = file
            damaged[position] ^= 0x08
            let scan = damaged.withUnsafeBytes { WALFile.scan($0) }
            guard let hit = ranges.firstIndex(where: { $0.contains(position) }) else {
                if (12..<16).contains(position) {
                    // The header's reserved word is not read.
                    #expect(!scan.damaged && scan.records.count == 3)
                } else {
                    #expect(scan.damage == [0..<16] && scan.records.count == 3 && !scan.damageIsTornTail)
                }
                continue
            }
            #expect(scan.records.map(\.sequence) == [1, 2, 3].filter { $0 != UInt64(hit + 1) }, "byte \(position)")
            #expect(scan.damage == [ranges[hit]], "byte \(position)")
            #expect(scan.damageIsTornTail == (hit == 2))
        }
    }

    @Test("a scan over garbage after the header finds nothing and stays linear")
    func garbage() throws {
        var rng = SplitMix64(seed: 7)
        let file = WALFile.header + (0..<200_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let scan = file.withUnsafeBytes { WALFile.scan($0) }
        #expect(scan.records.isEmpty && scan.damage == [16..<file.count] && scan.damageIsTornTail)
    }
}
