public import StrataCore

/// One logged append: the table it went to and its rows as input columns (``TableSpec/storedInputColumns``
/// order), numbered by a log sequence number that increases across the whole database.
///
/// ## Format
///
/// A record is framed as
///
/// ```
/// u32 payload length   u32 CRC32C (of the length field, then the payload)   payload
/// ```
///
/// and the payload is `u64 sequence, u32 row count, u16 column count, u8 compression (0 none, 1 LZ4),
/// u8 reserved, table name (u32 length + UTF-8), u32 body length before compression, body`. The body
/// holds each column in turn: `u8 type (0 int64, 1 double, 2 bool, 3 string), u8 flags (1: has
/// validity)`, the validity words (u64 each, least significant bit first) when flagged, then the
/// values: 8 bytes per int64 or double, 1 byte per bool, and for strings the dictionary (u32 count,
/// then u32 length + UTF-8 per entry), a code width (1, 2 or 4 bytes) and the codes. Integers are
/// little-endian. A short record or a checksum mismatch marks the torn end of a log.
public struct WALRecord: Sendable, Equatable {
    public var sequence: UInt64
    public var table: String
    public var columns: [ColumnData]

    public init(sequence: UInt64, table: String, columns: [ColumnData]) {
        self.sequence = sequence
        self.table = table
        self.columns = columns
    }

    /// Bytes before the payload: length and checksum.
    public static let frameHeaderSize = 8
    /// Largest payload accepted when reading (a longer length field is damage).
    public static let maximumPayloadLength = 1 << 30
    /// Largest sequence number accepted when reading: far beyond any real log (2^62 appends), and far
    /// enough below `UInt64.max` that numbering on from it cannot overflow.
    public static let maximumSequence: UInt64 = 1 << 62
    /// Bodies shorter than this are stored uncompressed.
    static let compressionThreshold = 512

    /// Encodes a framed record whose sequence number and checksum are filled in later by
    /// ``stamp(_:sequence:)`` (so the expensive part runs outside the log's lock).
    public static func encode(table: String, columns: [ColumnData]) -> [UInt8] {
        let rowCount = columns.first?.count ?? 0
        var body = ByteWriter()
        for column in columns { encode(column, into: &body) }
        var compressed: [UInt8] = []
        var compression: UInt8 = 0
        if body.bytes.count >= compressionThreshold {
            let n = body.bytes.withUnsafeBytes { BlockCompressor.compress($0, codec: .lz4, into: &compressed) }
            if n < body.bytes.count - body.bytes.count / 8 { compression = 1 }
        }
        var w = ByteWriter()
        w.write(UInt32(0))  // payload length, below
        w.write(UInt32(0))  // checksum, stamped
        w.write(UInt64(0))  // sequence, stamped
        w.write(UInt32(rowCount))
        w.write(UInt16(columns.count))
        w.write(compression)
        w.write(UInt8(0))
        w.write(table)
        w.write(UInt32(body.bytes.count))
        var bytes = w.bytes
        bytes += compression == 1 ? compressed : body.bytes
        let length = UInt32(bytes.count - frameHeaderSize).littleEndian
        withUnsafeBytes(of: length) { raw in for i in 0..<4 { bytes[i] = raw[i] } }
        return bytes
    }

    /// Writes the sequence number and the checksum into a record made by ``encode(table:columns:)``.
    public static func stamp(_ bytes: inout [UInt8], sequence: UInt64) {
        withUnsafeBytes(of: sequence.littleEndian) { raw in for i in 0..<8 { bytes[frameHeaderSize + i] = raw[i] } }
        let crc = bytes.withUnsafeBytes { raw in
            CRC32C.checksum(
                UnsafeRawBufferPointer(rebasing: raw[frameHeaderSize...]),
                continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<4])))
        }
        withUnsafeBytes(of: crc.littleEndian) { raw in for i in 0..<4 { bytes[4 + i] = raw[i] } }
    }

    /// Decodes a payload whose checksum has been verified.
    /// - Throws: `corruption` if the payload is malformed.
    public static func decode(payload: UnsafeRawBufferPointer) throws(StrataError) -> WALRecord {
        do {
            var r = ByteReader(payload)
            let sequence = try r.read(UInt64.self)
            let rowCount = Int(try r.read(UInt32.self))
            let columnCount = Int(try r.read(UInt16.self))
            let compression = try r.read(UInt8.self)
            _ = try r.read(UInt8.self)
            let table = try r.readString()
            let rawLength = Int(try r.read(UInt32.self))
            let rest = UnsafeRawBufferPointer(rebasing: payload[r.offset...])
            var columns: [ColumnData] = []
            func decodeBody(_ body: UnsafeRawBufferPointer) throws(ByteReader.Failure) {
                var b = ByteReader(body)
                for _ in 0..<columnCount { columns.append(try decodeColumn(&b, rows: rowCount)) }
                guard b.isAtEnd else { throw .truncated }
            }
            switch compression {
            case 0:
                guard rest.count == rawLength else { throw ByteReader.Failure.truncated }
                try decodeBody(rest)
            case 1:
                // LZ4 expands at most 255:1; a larger claim is damage, never an allocation.
                guard rawLength <= rest.count * 255 else { throw ByteReader.Failure.truncated }
                let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: max(rawLength, 1), alignment: 16)
                defer { raw.deallocate() }
                let body = UnsafeMutableRawBufferPointer(rebasing: raw[0..<rawLength])
                guard BlockCompressor.decompress(rest, codec: .lz4, into: body) else {
                    throw ByteReader.Failure.truncated
                }
                try decodeBody(UnsafeRawBufferPointer(body))
            default:
                throw ByteReader.Failure.truncated
            }
            return WALRecord(sequence: sequence, table: table, columns: columns)
        } catch {
            throw StrataError(.corruption, "write-ahead log record is malformed")
        }
    }

    // MARK: Columns

    private static func encode(_ column: ColumnData, into w: inout ByteWriter) {
        let tag: UInt8 =
            switch column {
            case .int64: 0
            case .double: 1
            case .bool: 2
            case .string: 3
            case .sketch: 4
            }
        w.write(tag)
        w.write(UInt8(column.validity == nil ? 0 : 1))
        if let validity = column.validity { for word in validity.words { w.write(word) } }
        switch column {
        case .int64(let v, _):
            w.write(raw: v)
        case .double(let v, _):
            w.write(raw: v.map(\.bitPattern))
        case .bool(let v, _):
            w.write(raw: v.map { $0 ? UInt8(1) : 0 })
        case .string(let dictionary, let codes, _):
            w.write(UInt32(dictionary.count))
            for s in dictionary { w.write(s) }
            if dictionary.count <= 0x100 {
                w.write(UInt8(1))
                w.write(raw: codes.map { UInt8(truncatingIfNeeded: $0) })
            } else if dictionary.count <= 0x1_0000 {
                w.write(UInt8(2))
                w.write(raw: codes.map { UInt16(truncatingIfNeeded: $0) })
            } else {
                w.write(UInt8(4))
                w.write(raw: codes)
            }
        case .sketch(let bytes, let offsets, _):
            w.write(raw: (0..<(offsets.count - 1)).map { UInt32(offsets[$0 + 1] - offsets[$0]) })
            w.write(raw: bytes)
        }
    }

    private static func decodeColumn(_ r: inout ByteReader, rows: Int) throws(ByteReader.Failure) -> ColumnData {
        let tag = try r.read(UInt8.self)
        let flags = try r.read(UInt8.self)
        var validity: Bitset?
        if flags & 1 != 0 {
            let words = try r.readArray(UInt64.self, count: (rows + 63) / 64)
            if rows % 64 != 0, let last = words.last, last >> UInt64(rows % 64) != 0 { throw .truncated }
            validity = Bitset(words: words, count: rows)
        }
        switch tag {
        case 0:
            return .int64(try r.readArray(Int64.self, count: rows), validity: validity)
        case 1:
            return .double(try r.readArray(UInt64.self, count: rows).map { Double(bitPattern: $0) }, validity: validity)
        case 2:
            return .bool(try r.readArray(UInt8.self, count: rows).map { $0 != 0 }, validity: validity)
        case 3:
            let count = Int(try r.read(UInt32.self))
            guard count <= r.remaining / 4 else { throw .truncated }
            var dictionary: [String] = []
            dictionary.reserveCapacity(count)
            for _ in 0..<count { dictionary.append(try r.readString()) }
            let codes: [UInt32]
            switch try r.read(UInt8.self) {
            case 1: codes = try r.readArray(UInt8.self, count: rows).map { UInt32($0) }
            case 2: codes = try r.readArray(UInt16.self, count: rows).map { UInt32($0) }
            case 4: codes = try r.readArray(UInt32.self, count: rows)
            default: throw .truncated
            }
            for (i, c) in codes.enumerated() where Int(c) >= count && !(validity.map { !$0[i] } ?? false) {
                throw .truncated
            }
            return .string(dictionary: dictionary, codes: codes, validity: validity)
        case 4:
            let lengths = try r.readArray(UInt32.self, count: rows)
            var offsets = [0]
            offsets.reserveCapacity(rows + 1)
            for length in lengths { offsets.append(offsets[offsets.count - 1] + Int(length)) }
            let bytes = try r.readArray(UInt8.self, count: offsets[rows])
            return .sketch(bytes: bytes, offsets: offsets, validity: validity)
        default:
            throw .truncated
        }
    }
}
