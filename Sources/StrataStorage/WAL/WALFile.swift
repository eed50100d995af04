import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files of a write-ahead log: `wal/000001.log`, `wal/000002.log`, … Each starts with a 16-byte
/// header (`STRATWAL`, u32 format version 1, u32 zero) followed by ``WALRecord`` frames.
public enum WALFile {
    static let magic: [UInt8] = Array("STRATWAL".utf8)
    static let formatVersion: UInt32 = 1
    public static let headerSize = 16

    static var header: [UInt8] {
        var w = ByteWriter()
        w.write(formatVersion)
        w.write(UInt32(0))
        return magic + w.bytes
    }

    /// `000042.log` for 42.
    public static func name(_ number: UInt64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".log"
    }

    /// The number of a log file name, or `nil` if `name` is not one.
    public static func number(of name: String) -> UInt64? {
        guard name.hasSuffix(".log") else { return nil }
        let stem = name.dropLast(4)
        guard !stem.isEmpty, stem.allSatisfy(\.isASCII) else { return nil }
        return UInt64(stem)
    }

    /// What reading one log file found.
    public struct Scan: Sendable {
        /// The intact records, in file order.
        public var records: [WALRecord] = []
        /// Where each record's frame starts.
        public var recordOffsets: [Int] = []
        /// Byte ranges that hold no intact record, in file order. A damaged header is a range from 0.
        public var damage: [Range<Int>] = []
        /// Bytes up to the end of the last intact record (the header alone when there are none, 0 when
        /// the header is damaged).
        public var validLength: Int
        /// The file's size.
        public var byteCount: Int

        /// Whether any byte is unreadable.
        public var damaged: Bool { !damage.isEmpty }

        /// Whether the only damage runs from the end of the last intact record to the end of the file:
        /// what an append cut short by a crash leaves (a *torn tail*). Damage anywhere else (a record
        /// followed by intact ones, a bad header on a file that holds records) is never a crash's.
        public var damageIsTornTail: Bool {
            guard damage.count == 1, let range = damage.first else { return false }
            return range.upperBound == byteCount && range.lowerBound == validLength
                && (validLength >= headerSize || headerCutShort)
        }

        /// Whether the file is a header cut short by a crash while the file was created: a prefix of
        /// the header, or zeros (the header is synced before any record is written).
        public var headerCutShort = false
    }

    /// Reads the records of a log file's bytes. After a damaged stretch it looks for the next intact
    /// record (a frame whose length fits, whose checksum matches and whose sequence number is above
    /// the last intact one), so damage in the middle of a log is told apart from a torn tail and the
    /// records after it are still read.
    public static func scan(_ bytes: UnsafeRawBufferPointer) -> Scan {
        var scan = Scan(validLength: 0, byteCount: bytes.count)
        // The record expected at `offset` (decoded once, whether found in place or by a resync).
        var next: Frame?
        var offset: Int
        if bytes.count >= headerSize, Array(bytes[0..<8]) == magic,
            bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self) == formatVersion.littleEndian
        {
            scan.validLength = headerSize
            offset = headerSize
            next = frame(bytes, at: offset)
        } else if bytes.count <= headerSize {
            scan.damage = [0..<bytes.count]
            scan.headerCutShort = bytes.indices.allSatisfy { bytes[$0] == header[$0] } || bytes.allSatisfy { $0 == 0 }
            return scan
        } else {
            next = resync(bytes, from: headerSize, after: 0)
            offset = next?.offset ?? bytes.count
            scan.damage = [0..<offset]
        }
        while offset < bytes.count {
            if let intact = next, intact.offset == offset,
                intact.record.sequence > (scan.records.last?.sequence ?? 0)
            {
                scan.records.append(intact.record)
                scan.recordOffsets.append(offset)
                offset = intact.end
                scan.validLength = offset
                next = frame(bytes, at: offset)
                continue
            }
            next = resync(bytes, from: offset + 1, after: scan.records.last?.sequence ?? 0)
            scan.damage.append(offset..<(next?.offset ?? bytes.count))
            offset = next?.offset ?? bytes.count
        }
        return scan
    }

    /// An intact record, where its frame starts and the offset after it.
    struct Frame {
        var offset: Int
        var record: WALRecord
        var end: Int
    }

    /// The intact record framed at `offset`, or `nil`. A sequence number of 0 or past
    /// ``WALRecord/maximumSequence`` is never written: it is damage (and would overflow the numbering).
    static func frame(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Frame? {
        guard bytes.count - offset >= WALRecord.frameHeaderSize else { return nil }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let expected = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let start = offset + WALRecord.frameHeaderSize
        guard length <= WALRecord.maximumPayloadLength, length <= bytes.count - start else { return nil }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
        let crc = CRC32C.checksum(
            payload, continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 4])))
        guard crc == expected, let record = try? WALRecord.decode(payload: payload),
            (1...WALRecord.maximumSequence).contains(record.sequence)
        else { return nil }
        return Frame(offset: offset, record: record, end: start + length)
    }

    /// The first intact record at or after `from` numbered above `sequence`. Candidates are rejected on
    /// their length and sequence number before any checksum is computed, so a scan over garbage stays
    /// linear in practice.
    static func resync(_ bytes: UnsafeRawBufferPointer, from: Int, after sequence: UInt64) -> Frame? {
        let minimumPayload = 8 + 4 + 2 + 1 + 1 + 4 + 4
        var offset = from
        while bytes.count - offset >= WALRecord.frameHeaderSize + minimumPayload {
            defer { offset += 1 }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            guard length >= minimumPayload, length <= bytes.count - offset - WALRecord.frameHeaderSize else { continue }
            let candidate = UInt64(
                littleEndian: bytes.loadUnaligned(fromByteOffset: offset + WALRecord.frameHeaderSize, as: UInt64.self))
            guard candidate > sequence, candidate <= WALRecord.maximumSequence,
                let intact = frame(bytes, at: offset)
            else { continue }
            return intact
        }
        return nil
    }
}

/// An open log file being appended to; closes its descriptor when released.
final class WALFileHandle: Sendable {
    let path: String
    private let fd: Int32

    /// Creates the file with its header and makes both the file and its directory entry durable.
    init(creating path: String) throws(StrataError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.ioError("create write-ahead log", path) }
        self.fd = fd
        self.path = path
        try write(WALFile.header)
        if fsync(fd) != 0 { throw FileSystem.ioError("fsync write-ahead log", path) }
        try FileSystem.syncDirectory(containing: path)
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) throws(StrataError) {
        try FileSystem.writeAll(fd, bytes, path: path)
    }

    /// Makes written data durable; returns `errno` on failure, 0 on success.
    func sync() -> Int32 {
        #if canImport(Darwin)
            fsync(fd) == 0 ? 0 : errno
        #else
            fdatasync(fd) == 0 ? 0 : errno
        #endif
    }

    /// Cuts the file back to `length` bytes (undoing a partly written record).
    func truncate(to length: Int) -> Bool {
        ftruncate(fd, off_t(length)) == 0
    }
}
