public import StrataCore

/// The index at the end of a segment file: where every column's blocks, dictionary and bitmap index
/// live, with their checksums and zone maps.
///
/// File layout (all integers little endian; every region starts at a 32-byte boundary):
/// ```
/// header   32 B   magic "STRATSEG", format version u16, flags u16, reserved
/// regions         column blocks, dictionaries, bitmap indexes
/// footer          this structure (see `encode()`)
/// trailer  32 B   footer offset u64, footer length u64, footer CRC32C u32, trailer CRC32C u32, magic "STRATEND"
/// ```
/// The trailer CRC32C (format version 2 on; zero in version 1) covers the header and the trailer's
/// first 20 bytes, so every byte that locates or sizes something is checksummed (``SegmentTrailer``).
public struct SegmentFooter: Sendable, Equatable {
    public static let headerMagic: [UInt8] = Array("STRATSEG".utf8)
    public static let trailerMagic: [UInt8] = Array("STRATEND".utf8)
    /// Version 2 added the trailer checksum; version 1 files are still read.
    public static let formatVersion: UInt16 = 2
    public static let readableVersions: ClosedRange<UInt16> = 1...formatVersion
    public static let headerSize = 32
    public static let trailerSize = 32
    /// The largest block a reader accepts: a decoded block holds 8 bytes a row, and one all-equal
    /// block takes 16 bytes on disk, so the row count alone must be bounded (2^24 rows: 128 MB).
    public static let maxBlockRowCount = 1 << 24

    public var rowCount: Int
    public var blockRowCount: Int
    /// The time chunk `[start, end)` the segment belongs to.
    public var chunkStart: Int64
    public var chunkEnd: Int64
    public var minTime: Int64
    public var maxTime: Int64
    /// The rollup granularity the rows were merged at; `nil` when not rolled up.
    public var rollupGranularity: QueryGranularity?
    public var columns: [ColumnDescriptor]

    public var blockCount: Int { (rowCount + blockRowCount - 1) / blockRowCount }

    public func columnIndex(named name: String) -> Int? { columns.firstIndex { $0.column.name == name } }
}

/// One stored column of a segment.
public struct ColumnDescriptor: Sendable, Equatable {
    public var column: StoredColumn
    public var blocks: [BlockDescriptor]
    /// Sorted dictionary of a string column.
    public var dictionary: RegionDescriptor?
    /// One frozen roaring bitmap per dictionary code.
    public var bitmapIndex: RegionDescriptor?
}

/// How a block's values are encoded before compression.
public enum BlockEncoding: UInt8, Sendable {
    /// Fixed-width little-endian values (doubles; int64 when nothing smaller fits).
    case plain = 0
    /// `base` then values minus `base`, bit packed (int64, timestamps, dictionary codes).
    case frameOfReference = 1
    /// First value, minimum delta, then deltas minus that minimum, bit packed (sorted timestamps).
    case delta = 2
    /// One bit per value.
    case bitPacked = 3
    /// Serialized sketches: a little-endian u32 length per row, then the rows' bytes back to back.
    case sketches = 4
}

/// Where a block is and what it holds.
public struct BlockDescriptor: Sendable, Equatable {
    public var offset: UInt64
    public var storedLength: UInt32
    public var rawLength: UInt32
    public var checksum: UInt32
    public var rowCount: UInt32
    public var nullCount: UInt32
    public var encoding: BlockEncoding
    /// Zone map: smallest and largest non-null value (bit patterns: Int64, Double bits, or a code).
    /// Absent when every value is null.
    public var minBits: UInt64
    public var maxBits: UInt64
    public var hasRange: Bool

    public var minInt: Int64 { Int64(bitPattern: minBits) }
    public var maxInt: Int64 { Int64(bitPattern: maxBits) }
    public var minDouble: Double { Double(bitPattern: minBits) }
    public var maxDouble: Double { Double(bitPattern: maxBits) }
}

/// A checksummed, optionally compressed byte region (dictionaries, bitmap indexes).
public struct RegionDescriptor: Sendable, Equatable {
    public var offset: UInt64
    public var storedLength: UInt64
    public var rawLength: UInt64
    public var checksum: UInt32
    public var codec: Codec
    /// Entries in the region (dictionary values, bitmaps).
    public var count: UInt32
}
