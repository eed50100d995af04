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
        /// Bytes up to the end of the last intact record (the header alone when there are none).
        public var validLength: Int
        /// Whether bytes after `validLength` were dropped (a torn or damaged tail), or the header was bad.
        public var damaged: Bool
    }

    /// Reads the records of a log file's bytes, stopping at the first short or damaged record.
    public static func scan(_ bytes: UnsafeRawBufferPointer) -> Scan {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic,
            bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self) == formatVersion.littleEndian
        else {
            return Scan(validLength: 0, damaged: true)
        }
        var scan = Scan(validLength: headerSize, damaged: false)
        var offset = headerSize
        while offset < bytes.count {
            guard bytes.count - offset >= WALRecord.frameHeaderSize else { break }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let expected = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let start = offset + WALRecord.frameHeaderSize
            guard length <= WALRecord.maximumPayloadLength, length <= bytes.count - start else { break }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
            let crc = CRC32C.checksum(
                payload, continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 4])))
            guard crc == expected, let record = try? WALRecord.decode(payload: payload) else { break }
            scan.records.append(record)
            offset = start + length
            scan.validLength = offset
        }
        scan.damaged = scan.validLength != bytes.count
        return scan
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
