import Foundation
import StrataCore
import Testing

@testable import Strata
@testable import StrataStorage

/// Inputs the libFuzzer targets of `Fuzz/` (issue 15) found crashing, each inline as the target received it
/// (base64), with the behaviour the fix gives: an error, never a trap.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func bytes(_ base64: String) throws -> [UInt8] {
        try #require(Data(base64Encoded: base64).map(Array.init))
    }

    /// Decodes `payload` as a write-ahead log record payload.
    static func decode(_ payload: [UInt8]) throws -> WALRecord {
        try payload.withUnsafeBytes { raw in try WALRecord.decode(payload: raw) }
    }

    /// fuzz-wal: a record claiming LZ4 compression and a body of 0xfc000000 bytes allocated 4 GB, then
    /// trapped converting the length to LZ4's Int32.
    @Test("a log record claiming a 4 GB LZ4 body is a corruption error")
    func walHugeCompressedLength() throws {
        let input = try Self.bytes("U1RSQVRXU1RSQVRXQUwB9AAAAAAAAAD8AQAAqYk0/AEAAAAAAAAACAAAAAsAAQAAU1RBTAEAAC5l")
        let error = #expect(throws: StrataError.self) { try Self.decode(input) }
        #expect(error?.code == .corruption)
        let scan = input.withUnsafeBytes { WALFile.scan($0) }
        #expect(scan.records.isEmpty && scan.damaged)
    }

    @Test("LZ4 refuses sizes beyond Int32 instead of trapping")
    func lz4SizeBeyondInt32() {
        let input: [UInt8] = [0x10, 0x41]
        let output = UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: 0x1000), count: 1 << 31)
        #expect(!input.withUnsafeBytes { BlockCompressor.decompress($0, codec: .lz4, into: output) })
    }

    /// fuzz-segment, before the reader's bounds checks: 8 inputs (in `Fixtures/fuzz-regressions/segment/`,
    /// checksums stamped as the target stamps them) that trapped on `Int(UInt64)` conversions of the row
    /// count, footer offset and length, and region lengths, overflowed `footerOffset + footerLength`, or
    /// reserved 240 GB for a crafted block count. Each must open with an error or read without one.
    @Test("segment inputs the fuzzer found crashing are errors, never traps")
    func segmentCrashes() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz-regressions/segment")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
        #expect(files.count == 8)
        var opened = 0
        for file in files.sorted() {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
            guard let reader = try? SegmentReader(bytes: SegmentBytes(copying: bytes), name: file) else { continue }
            opened += 1
            for (c, column) in reader.columns.enumerated() {
                for b in column.blocks.indices { _ = try? reader.decodedBlock(column: c, block: b) }
                if column.dictionary != nil { _ = try? reader.dictionary(column: c) }
            }
            _ = try? reader.verify()
        }
        print("fuzz-segment regressions: \(files.count) inputs, \(opened) opened")
    }
}
