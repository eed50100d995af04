import FuzzSupport
import Strata
import StrataCore
import StrataStorage

/// Write-ahead log bytes, three ways: scanned as a log file (`WALFile.scan`), decoded as a record payload
/// (`WALRecord.decode`), and scanned as a log holding the input as the payload of one correctly framed
/// record (so the decoder is reached past the frame checksum). What decodes must encode again.
@main
enum WALFuzzTarget {
    static func main() { FuzzDriver.run(fuzzWAL) }
}

func fuzzWAL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var records = bytes.withUnsafeBytes { WALFile.scan($0).records }
    if let record = try? bytes.withUnsafeBytes({ raw throws(StrataError) in try WALRecord.decode(payload: raw) }) {
        records.append(record)
    }
    // A log file: the header `WALFile` writes (magic, format version 1, zero), then the input as the payload of
    // one framed record (a payload starts with its 8-byte sequence number, which `stamp` rewrites in place).
    if bytes.count >= 8 {
        var frame = WALRecord.encode(table: "", columns: [])
        frame.removeSubrange(WALRecord.frameHeaderSize...)
        frame += bytes
        let length = UInt32(truncatingIfNeeded: bytes.count)
        for i in 0..<4 { frame[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
        let sequence = bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        WALRecord.stamp(&frame, sequence: sequence)
        let file = Array("STRATWAL".utf8) + [1, 0, 0, 0, 0, 0, 0, 0] + frame
        records += file.withUnsafeBytes { WALFile.scan($0).records }
    }
    for record in records { _ = WALRecord.encode(table: record.table, columns: record.columns) }
    return 0
}
