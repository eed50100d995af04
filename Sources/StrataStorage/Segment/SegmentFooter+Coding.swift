public import StrataCore

extension SegmentFooter {
    /// Serializes the footer (see the layout on ``SegmentFooter``).
    public func encode() -> [UInt8] {
        var w = ByteWriter()
        w.write(UInt64(rowCount))
        w.write(UInt32(blockRowCount))
        w.write(chunkStart)
        w.write(chunkEnd)
        w.write(minTime)
        w.write(maxTime)
        w.write(rollupGranularity?.rawValue ?? "")
        w.write(UInt32(columns.count))
        for c in columns {
            w.write(c.column.name)
            w.write(c.column.type.rawValue)
            let (role, kind, part) = Self.encode(role: c.column.role)
            w.write(role)
            w.write(kind)
            w.write(part)
            w.write(c.column.nullable)
            w.write(UInt8(c.column.tableDictionary ? 1 : 0))
            w.write(c.column.codec.rawValue)
            w.write(c.column.source ?? "")
            w.write(UInt32(c.blocks.count))
            for b in c.blocks {
                w.write(b.offset)
                w.write(b.storedLength)
                w.write(b.rawLength)
                w.write(b.checksum)
                w.write(b.rowCount)
                w.write(b.nullCount)
                w.write(b.encoding.rawValue)
                w.write(b.hasRange)
                w.write(b.minBits)
                w.write(b.maxBits)
            }
            for region in [c.dictionary, c.bitmapIndex] {
                w.write(region != nil)
                if let region {
                    w.write(region.offset)
                    w.write(region.storedLength)
                    w.write(region.rawLength)
                    w.write(region.checksum)
                    w.write(region.codec.rawValue)
                    w.write(region.count)
                }
            }
        }
        return w.bytes
    }

    /// Reads a footer and checks every count, length and offset in it before anything is sized by
    /// them: blocks and regions must lie between the header and `dataEnd` (the footer offset), row
    /// counts must match the block layout, and decompressed sizes must be reachable from the stored
    /// ones. A crafted footer passes the checksum, so these checks are what keep it from trapping or
    /// allocating terabytes.
    /// - Throws: `corruption` describing the first invalid field (no file location; the reader adds it).
    public static func decode(_ bytes: UnsafeRawBufferPointer, dataEnd: UInt64) throws(StrataError) -> SegmentFooter {
        do {
            return try decodeUnchecked(bytes, dataEnd: dataEnd)
        } catch let error as StrataError {
            throw error
        } catch {
            throw StrataError(.corruption, "segment footer is truncated")
        }
    }

    /// Encoded bytes of the smallest column (empty strings, no blocks, no regions) and of one block
    /// descriptor: counts read from the footer are checked against the bytes left before allocating.
    private static let minimumColumnBytes = 27
    private static let blockDescriptorBytes = 46

    private static func decodeUnchecked(_ bytes: UnsafeRawBufferPointer, dataEnd: UInt64) throws -> SegmentFooter {
        var r = ByteReader(bytes)
        func bad(_ what: String) -> StrataError { StrataError(.corruption, "segment footer: invalid \(what)") }
        let rowCount64 = try r.read(UInt64.self)
        // Row numbers are u32 in bitmap indexes; a larger count is damage (and would overflow block math).
        guard rowCount64 <= UInt64(UInt32.max) else { throw bad("row count \(rowCount64)") }
        let rowCount = Int(rowCount64)
        let blockRowCount = Int(try r.read(UInt32.self))
        guard blockRowCount > 0, blockRowCount % 64 == 0, blockRowCount <= maxBlockRowCount else {
            throw bad("block row count \(blockRowCount)")
        }
        let expectedBlocks = (rowCount + blockRowCount - 1) / blockRowCount
        let chunkStart = try r.read(Int64.self)
        let chunkEnd = try r.read(Int64.self)
        let minTime = try r.read(Int64.self)
        let maxTime = try r.read(Int64.self)
        // Queries subtract these (bucket counts): far outside the calendar they would overflow. A year
        // of slack: an empty segment takes its chunk start, which may precede the first valid time.
        let slack: Int64 = 366 * 86_400_000
        guard minTime <= maxTime, minTime >= Timestamp.minimum - slack, maxTime <= Timestamp.maximum + slack else {
            throw bad("time range \(minTime)...\(maxTime)")
        }
        let granularityText = try r.readString()
        let granularity = granularityText.isEmpty ? nil : QueryGranularity(rawValue: granularityText)
        if !granularityText.isEmpty, granularity == nil { throw bad("rollup granularity") }
        let columnCount = Int(try r.read(UInt32.self))
        guard columnCount <= r.remaining / minimumColumnBytes else { throw bad("column count \(columnCount)") }
        var columns: [ColumnDescriptor] = []
        columns.reserveCapacity(columnCount)
        for _ in 0..<columnCount {
            let name = try r.readString()
            guard let type = DataType(rawValue: try r.readString()) else { throw bad("column type") }
            let role = decodeRole(try r.read(UInt8.self), try r.read(UInt8.self), try r.read(UInt8.self))
            guard let role else { throw bad("column role") }
            let nullable = try r.readBool()
            let flags = try r.read(UInt8.self)
            guard let codec = Codec(rawValue: try r.readString()) else { throw bad("codec") }
            let source = try r.readString()
            let blockCount = Int(try r.read(UInt32.self))
            guard blockCount == expectedBlocks, blockCount <= r.remaining / blockDescriptorBytes else {
                throw bad("block count \(blockCount) of column '\(name)' (\(expectedBlocks) expected)")
            }
            var blocks: [BlockDescriptor] = []
            blocks.reserveCapacity(blockCount)
            for b in 0..<blockCount {
                let offset = try r.read(UInt64.self)
                let stored = try r.read(UInt32.self)
                let raw = try r.read(UInt32.self)
                let checksum = try r.read(UInt32.self)
                let rows = try r.read(UInt32.self)
                let nulls = try r.read(UInt32.self)
                guard let encoding = BlockEncoding(rawValue: try r.read(UInt8.self)) else { throw bad("encoding") }
                let hasRange = try r.readBool()
                let minBits = try r.read(UInt64.self)
                let maxBits = try r.read(UInt64.self)
                let what = "block \(b) of column '\(name)'"
                let expectedRows = min(blockRowCount, rowCount - b * blockRowCount)
                guard Int(rows) == expectedRows, nulls <= rows else {
                    throw bad("row count of \(what) (\(rows) rows, \(nulls) nulls; \(expectedRows) rows expected)")
                }
                try checkPlacement(offset: offset, stored: UInt64(stored), dataEnd: dataEnd, what: what)
                guard UInt64(raw) <= maxRawLength(stored: UInt64(stored), codec: codec),
                    encoding == .sketches || Int(raw) <= maxFixedWidthBlockLength(rows: Int(rows))
                else { throw bad("decompressed length \(raw) of \(what)") }
                blocks.append(
                    BlockDescriptor(
                        offset: offset, storedLength: stored, rawLength: raw, checksum: checksum, rowCount: rows,
                        nullCount: nulls, encoding: encoding, minBits: minBits, maxBits: maxBits, hasRange: hasRange))
            }
            var regions: [RegionDescriptor?] = []
            for k in 0..<2 {
                guard try r.readBool() else {
                    regions.append(nil)
                    continue
                }
                let offset = try r.read(UInt64.self)
                let stored = try r.read(UInt64.self)
                let raw = try r.read(UInt64.self)
                let checksum = try r.read(UInt32.self)
                guard let codec = Codec(rawValue: try r.readString()) else { throw bad("codec") }
                let count = try r.read(UInt32.self)
                let what = "\(k == 0 ? "dictionary" : "bitmap index") of column '\(name)'"
                try checkPlacement(offset: offset, stored: stored, dataEnd: dataEnd, what: what)
                // Dictionary offsets are u32; bitmap indexes are stored as is and hold one bitmap per value.
                let rawOK =
                    k == 0
                    ? raw <= UInt64(UInt32.max) && raw <= maxRawLength(stored: stored, codec: codec)
                    : codec == .none && raw == stored && count == regions[0]?.count
                guard rawOK else { throw bad("length \(raw) or count \(count) of the \(what)") }
                regions.append(
                    RegionDescriptor(
                        offset: offset, storedLength: stored, rawLength: raw, checksum: checksum, codec: codec,
                        count: count))
            }
            let column = StoredColumn(
                name: name, type: type, role: role, nullable: nullable, codec: codec,
                bitmapIndex: regions[1] != nil, source: source.isEmpty ? nil : source, tableDictionary: flags & 1 != 0)
            columns.append(
                ColumnDescriptor(column: column, blocks: blocks, dictionary: regions[0], bitmapIndex: regions[1]))
        }
        return SegmentFooter(
            rowCount: rowCount, blockRowCount: blockRowCount, chunkStart: chunkStart, chunkEnd: chunkEnd,
            minTime: minTime, maxTime: maxTime, rollupGranularity: granularity, columns: columns)
    }

    /// Checks that `stored` bytes at `offset` lie between the header and the footer (in UInt64:
    /// `Int(_:)` of a damaged offset would trap).
    private static func checkPlacement(offset: UInt64, stored: UInt64, dataEnd: UInt64, what: String)
        throws(StrataError)
    {
        guard offset >= UInt64(headerSize), offset <= dataEnd, stored <= dataEnd - offset else {
            throw StrataError(
                .corruption, "segment footer: \(what) lies outside the file (offset \(offset), length \(stored))")
        }
    }

    /// The most bytes `stored` bytes of `codec` can decompress to. LZ4 expands at most 255:1 (a match
    /// grows by 255 bytes per input byte); zstd at most 32768:1 (a 4-byte RLE block yields 128 KB). A
    /// larger claim is damage, refused before the buffer is allocated.
    package static func maxRawLength(stored: UInt64, codec: Codec) -> UInt64 {
        switch codec {
        case .none: stored
        case .lz4: stored * 256 + 64
        case .zstd: stored * 32_768 + 64
        }
    }

    /// The largest raw block of fixed-width values: validity words, up to 24 bytes of encoding
    /// header, at most 8 bytes a row.
    static func maxFixedWidthBlockLength(rows: Int) -> Int { (rows + 63) / 64 * 8 + 24 + 8 * rows }

    static func encode(role: ColumnRole) -> (UInt8, UInt8, UInt8) {
        switch role {
        case .time: (0, 0, 0)
        case .dimension: (1, 0, 0)
        case .metric: (2, 0, 0)
        case .aggregate(let kind, let part):
            (3, UInt8(AggregatorKind.allCases.firstIndex(of: kind)!), part.rawValue)
        }
    }

    static func decodeRole(_ role: UInt8, _ kind: UInt8, _ part: UInt8) -> ColumnRole? {
        switch role {
        case 0: return .time
        case 1: return .dimension
        case 2: return .metric
        case 3:
            guard Int(kind) < AggregatorKind.allCases.count, let part = AggregatePart(rawValue: part) else {
                return nil
            }
            return .aggregate(AggregatorKind.allCases[Int(kind)], part: part)
        default: return nil
        }
    }
}
