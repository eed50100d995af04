import Foundation
import StrataCore
import StrataStorage
import StrataTestSupport
import Testing

/// What a reader yields when everything in a segment is read: every value of every block, every
/// dictionary, and the cardinality of every bitmap of every indexed column.
private func readEverything(_ bytes: [UInt8]) throws -> [[Value]] {
    let reader = try SegmentReader(bytes: SegmentBytes(copying: bytes), name: "d.seg")
    var out = try readAll(reader)
    for (c, column) in reader.columns.enumerated() where column.dictionary != nil {
        let dictionary = try reader.dictionaryValues(column: c)
        out.append(dictionary.map { .string($0) })
        if column.bitmapIndex != nil {
            out.append(try dictionary.indices.map { .int64(Int64(try reader.bitmap(column: c, code: $0).count)) })
        }
    }
    try reader.verify()
    return out
}

/// The outcomes of reading damaged variants of a segment.
private struct DamageTally: CustomStringConvertible {
    var harmless = 0
    var errors = 0

    /// Reads `bytes`: the same answer as `clean`, or a corruption (or unsupported-version) error
    /// naming the file; anything else is recorded as an issue naming `what`.
    mutating func check(_ bytes: [UInt8], clean: [[Value]], _ what: @autoclosure () -> String) {
        do {
            let read = try readEverything(bytes)
            if same(read, clean) {
                harmless += 1
            } else {
                Issue.record("\(what()): a different answer without an error")
            }
        } catch let error as StrataError {
            errors += 1
            if error.code != .corruption && error.code != .unsupported || error.location?.file != "d.seg" {
                Issue.record("\(what()): unexpected error \(error)")
            }
        } catch {
            Issue.record("\(what()): not a StrataError: \(error)")
        }
    }

    var description: String { "\(harmless) harmless, \(errors) errors" }
}

/// Where the footer lies, from the (intact) trailer.
private func footerRange(_ bytes: [UInt8]) -> Range<Int> {
    func u64(_ at: Int) -> Int { bytes[at..<at + 8].reversed().reduce(0) { $0 << 8 | Int($1) } }
    let trailer = bytes.count - SegmentFooter.trailerSize
    return u64(trailer)..<u64(trailer) + u64(trailer + 8)
}

/// A segment file of `data` (header and regions) followed by `footer` and a current-format trailer.
private func sealed(_ data: ArraySlice<UInt8>, footer: [UInt8]) -> [UInt8] {
    var out = Array(data) + footer
    let trailer = SegmentTrailer(
        footerOffset: UInt64(data.count), footerLength: UInt64(footer.count), footerChecksum: CRC32C.checksum(footer))
    out += trailer.encode(header: Array(out[0..<SegmentFooter.headerSize]))
    return out
}

@Suite("Damaged and crafted segments")
struct SegmentDamageTests {
    static let clean = RandomColumns(rows: 90, codec: .lz4, nulls: .some, seed: 21).write(blockRowCount: 64)

    @Test("every flipped byte, and every flipped bit of header and trailer, reads the same or throws corruption")
    func flips() throws {
        let clean = try readEverything(Self.clean)
        // STRATA_DAMAGE_SEED=<seed> replays a run.
        let seed =
            ProcessInfo.processInfo.environment["STRATA_DAMAGE_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64.max)
        print("SegmentDamageTests.flips seed \(seed)")
        var rng = SplitMix64(seed: seed)
        var tally = DamageTally()
        for i in Self.clean.indices {
            var bytes = Self.clean
            bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
            tally.check(bytes, clean: clean, "byte \(i) of \(Self.clean.count) (seed \(seed))")
        }
        // The footer is one checksummed run (a random byte each above); header and trailer locate
        // everything, so each of their bits.
        for i in Array(0..<SegmentFooter.headerSize) + Array(footerRange(Self.clean).upperBound..<Self.clean.count) {
            for bit in 0..<8 {
                var bytes = Self.clean
                bytes[i] ^= 1 << bit
                tally.check(bytes, clean: clean, "bit \(bit) of byte \(i)")
            }
        }
        print("SegmentDamageTests.flips: \(tally)")
        #expect(tally.errors > 0)
    }

    @Test("a segment cut at any length is a corruption error")
    func truncations() {
        for length in 0..<Self.clean.count {
            #expect(throws: StrataError.self) {
                try SegmentReader(bytes: SegmentBytes(copying: Array(Self.clean.prefix(length))), name: "t.seg")
            }
        }
    }

    @Test("huge or misplaced trailer lengths are corruption errors, even with a valid trailer checksum")
    func craftedTrailer() {
        let footer = footerRange(Self.clean)
        let size = UInt64(Self.clean.count)
        let values: [UInt64] = [0, 1, UInt64(UInt32.max), UInt64.max, UInt64(Int64.max) + 1, size, size + 1]
        for value in values {
            for field in 0..<2 {
                var trailer = SegmentTrailer(
                    footerOffset: UInt64(footer.lowerBound), footerLength: UInt64(footer.count),
                    footerChecksum: CRC32C.checksum(Array(Self.clean[footer])))
                if field == 0 { trailer.footerOffset = value } else { trailer.footerLength = value }
                let bytes =
                    Array(Self.clean.prefix(footer.upperBound)) + trailer.encode(header: Array(Self.clean.prefix(32)))
                expectCorruption(bytes, "trailer field \(field) = \(value)")
            }
        }
    }

    @Test("huge counts and lengths in the footer are corruption errors, even with valid checksums")
    func craftedFooter() throws {
        let range = footerRange(Self.clean)
        let data = Self.clean[..<range.lowerBound]
        let footer = try Self.clean[range].withUnsafeBytes {
            try SegmentFooter.decode($0, dataEnd: UInt64(range.lowerBound))
        }
        let size = UInt64(Self.clean.count)
        let huge: [UInt64] = [UInt64(UInt32.max), UInt64.max, size + 1]
        var variants: [(String, SegmentFooter)] = []
        for value in huge {
            let u32 = UInt32(truncatingIfNeeded: value)
            for c in footer.columns.indices {
                for b in footer.columns[c].blocks.indices {
                    for field in 0..<5 {
                        var f = footer
                        switch field {
                        case 0: f.columns[c].blocks[b].offset = value
                        case 1: f.columns[c].blocks[b].storedLength = u32
                        case 2: f.columns[c].blocks[b].rawLength = u32
                        case 3: f.columns[c].blocks[b].rowCount = u32
                        default: f.columns[c].blocks[b].nullCount = u32
                        }
                        variants.append(("column \(c) block \(b) field \(field) = \(value)", f))
                    }
                }
                for (k, region) in [footer.columns[c].dictionary, footer.columns[c].bitmapIndex].enumerated() {
                    guard var region else { continue }
                    for field in 0..<4 {
                        switch field {
                        case 0: region.offset = value
                        case 1: region.storedLength = value
                        case 2: region.rawLength = value
                        default: region.count = u32
                        }
                        var f = footer
                        if k == 0 { f.columns[c].dictionary = region } else { f.columns[c].bitmapIndex = region }
                        variants.append(("column \(c) region \(k) field \(field) = \(value)", f))
                    }
                }
            }
            var f = footer
            f.rowCount = Int(truncatingIfNeeded: value & UInt64(Int.max))
            variants.append(("row count \(value)", f))
            f = footer
            f.blockRowCount = Int(u32)
            variants.append(("block row count \(u32)", f))
        }
        for (extreme, other) in [(Int64.min, Int64.max), (Int64.max, Int64.min), (Int64.min, Int64.min)] {
            var f = footer
            f.minTime = extreme
            f.maxTime = other
            variants.append(("time range \(extreme)...\(other)", f))
        }
        for (what, f) in variants { expectCorruption(sealed(data, footer: f.encode()), what) }

        // Counts that the footer structure derives from its arrays, patched in the encoded bytes:
        // row count (u64 at 0), block row count (u32 at 8), granularity length (u32 at 44), column
        // count (u32 at 48), first column name length (u32 at 52), first column block count.
        let encoded = footer.encode()
        let first = footer.columns[0].column
        let blockCountOffset =
            52 + 4 + first.name.utf8.count + 4 + first.type.rawValue.utf8.count + 3 + 1 + 1 + 4
            + first.codec.rawValue.utf8.count + 4 + (first.source ?? "").utf8.count
        let fields: [(Int, Int)] = [(0, 8), (8, 4), (44, 4), (48, 4), (52, 4), (blockCountOffset, 4)]
        for (offset, width) in fields {
            for value in huge {
                var bytes = encoded
                for k in 0..<width { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
                expectCorruption(sealed(data, footer: bytes), "encoded field at \(offset) = \(value)")
            }
        }
    }

    @Test("a version 1 segment (no trailer checksum) still reads, and reads like the current format")
    func versionOneFixture() throws {
        let old = segmentFormatVersion1Fixture
        #expect(old.count > 64 && old[8] == 1)
        let columns = RandomColumns(rows: 70, codec: .lz4, nulls: .some, seed: 11)
        let current = columns.write(blockRowCount: 64)
        #expect(current[8] == UInt8(SegmentFooter.formatVersion))
        #expect(same(try readEverything(old), try readEverything(current)))
        #expect(same(try readAll(SegmentReader(bytes: SegmentBytes(copying: old), name: "v1.seg")), boxed(columns)))
        // The formats differ only in the version and the trailer checksum (reserved, zero, in version 1).
        var upgraded = old
        upgraded[8] = current[8]
        upgraded.replaceSubrange(
            (old.count - 12)..<(old.count - 8), with: current[(current.count - 12)..<(current.count - 8)])
        #expect(upgraded == current)
    }

    @Test("damage to a version 1 segment, trailer included, reads the same or throws corruption")
    func versionOneFlips() throws {
        let old = segmentFormatVersion1Fixture
        let clean = try readEverything(old)
        var tally = DamageTally()
        for i in old.indices {
            // Every bit of the unchecksummed header and trailer, one bit of every other byte.
            let unchecked = i < SegmentFooter.headerSize || i >= old.count - SegmentFooter.trailerSize
            for bit in unchecked ? Array(0..<8) : [i % 8] {
                var bytes = old
                bytes[i] ^= 1 << bit
                tally.check(bytes, clean: clean, "version 1: bit \(bit) of byte \(i)")
            }
        }
        for length in 0..<old.count {
            tally.check(Array(old.prefix(length)), clean: clean, "version 1 cut at \(length)")
        }
        print("SegmentDamageTests.versionOneFlips: \(tally)")
    }

    @Test(
        "the bound on decompressed sizes holds for the most compressible input of every codec",
        arguments: Codec.allCases)
    func expansionBound(codec: Codec) {
        for size in [0, 1, 100, 65_536, 1 << 22] {
            let raw = [UInt8](repeating: 0, count: size)
            var stored: [UInt8] = []
            let length = raw.withUnsafeBytes { BlockCompressor.compress($0, codec: codec, into: &stored) }
            #expect(UInt64(size) <= SegmentFooter.maxRawLength(stored: UInt64(length), codec: codec), "\(size) bytes")
        }
    }

    private func expectCorruption(_ bytes: [UInt8], _ what: String) {
        do {
            _ = try readEverything(bytes)
            Issue.record("\(what): read without an error")
        } catch let error as StrataError {
            #expect(error.code == .corruption, "\(what): \(error)")
            #expect(error.location?.file == "d.seg", "\(what): \(error)")
        } catch {
            Issue.record("\(what): not a StrataError: \(error)")
        }
    }
}
