import FuzzSupport
import Strata
import StrataCore
import StrataStorage

/// A segment file: open it and read everything in it (every block of every column, every dictionary,
/// every bitmap of every indexed column, then `verify()` and `decodeAllColumns()`). An error in one part
/// does not stop the others.
///
/// Before opening, the footer checksum in the trailer is replaced by the footer's true checksum (when the
/// trailer's footer location is in range), and the trailer's own checksum (format 2) by the true one, so
/// mutations of the footer and the trailer reach their decoders instead of stopping at the checksums.
@main
enum SegmentFuzzTarget {
    static func main() { FuzzDriver.run(fuzzSegment) }
}

func fuzzSegment(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    stampFooterChecksum(&bytes)
    guard let reader = try? SegmentReader(bytes: SegmentBytes(copying: bytes), name: "<fuzz>") else { return 0 }
    for (c, column) in reader.columns.enumerated() {
        for b in column.blocks.indices {
            _ = try? reader.columnBlock(column: c, block: b)
            _ = try? reader.decodedBlock(column: c, block: b)
        }
        if column.dictionary != nil { _ = try? reader.dictionary(column: c) }
        if column.bitmapIndex != nil {
            // Bounded: a crafted footer can claim 2^32 entries.
            for code in 0..<min(Int(column.dictionary?.count ?? 0), 1024) {
                _ = try? reader.bitmap(column: c, code: code)
            }
        }
    }
    _ = try? reader.verify()
    _ = try? reader.decodeAllColumns()
    return 0
}

/// Writes the CRC32C of the footer the trailer points at into the trailer.
func stampFooterChecksum(_ bytes: inout [UInt8]) {
    let trailerSize = SegmentFooter.trailerSize
    guard bytes.count >= SegmentFooter.headerSize + trailerSize else { return }
    let trailer = bytes.count - trailerSize
    func u64(_ at: Int) -> UInt64 { bytes[at..<at + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    let offset = u64(trailer)
    let length = u64(trailer + 8)
    guard offset <= UInt64(trailer), length <= UInt64(trailer) - offset else { return }
    let checksum = bytes.withUnsafeBytes { raw in
        CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[Int(offset)..<Int(offset + length)]))
    }
    for i in 0..<4 { bytes[trailer + 16 + i] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt32(i))) }
    // Format 2: the trailer checksum covers the header and the trailer's first 20 bytes.
    let trailerChecksum = bytes.withUnsafeBytes { raw in
        CRC32C.checksum(
            UnsafeRawBufferPointer(rebasing: raw[trailer..<trailer + 20]),
            continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<SegmentFooter.headerSize])))
    }
    for i in 0..<4 { bytes[trailer + 20 + i] = UInt8(truncatingIfNeeded: trailerChecksum >> (8 * UInt32(i))) }
}
