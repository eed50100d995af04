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

    /// Reads a footer; throws `ByteReader.Failure` or a message for malformed content.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(StrataError) -> SegmentFooter {
        do {
            return try decodeUnchecked(bytes)
        } catch let error as StrataError {
            throw error
        } catch {
            throw StrataError(.corruption, "segment footer is truncated")
        }
    }

    private static func decodeUnchecked(_ bytes: UnsafeRawBufferPointer) throws -> SegmentFooter {
        var r = ByteReader(bytes)
        func bad(_ what: String) -> StrataError { StrataError(.corruption, "segment footer: invalid \(what)") }
        let rowCount = Int(try r.read(UInt64.self))
        let blockRowCount = Int(try r.read(UInt32.self))
        guard blockRowCount > 0 else { throw bad("block row count") }
        let chunkStart = try r.read(Int64.self)
        let chunkEnd = try r.read(Int64.self)
        let minTime = try r.read(Int64.self)
        let maxTime = try r.read(Int64.self)
        let granularityText = try r.readString()
        let granularity = granularityText.isEmpty ? nil : QueryGranularity(rawValue: granularityText)
        if !granularityText.isEmpty, granularity == nil { throw bad("rollup granularity") }
        let columnCount = Int(try r.read(UInt32.self))
        var columns: [ColumnDescriptor] = []
        for _ in 0..<columnCount {
            let name = try r.readString()
            guard let type = DataType(rawValue: try r.readString()) else { throw bad("column type") }
            let role = try decodeRole(try r.read(UInt8.self), try r.read(UInt8.self), try r.read(UInt8.self))
            guard let role else { throw bad("column role") }
            let nullable = try r.readBool()
            let flags = try r.read(UInt8.self)
            guard let codec = Codec(rawValue: try r.readString()) else { throw bad("codec") }
            let source = try r.readString()
            let blockCount = Int(try r.read(UInt32.self))
            var blocks: [BlockDescriptor] = []
            blocks.reserveCapacity(blockCount)
            for _ in 0..<blockCount {
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
                blocks.append(
                    BlockDescriptor(
                        offset: offset, storedLength: stored, rawLength: raw, checksum: checksum, rowCount: rows,
                        nullCount: nulls, encoding: encoding, minBits: minBits, maxBits: maxBits, hasRange: hasRange))
            }
            var regions: [RegionDescriptor?] = []
            for _ in 0..<2 {
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
        let footer = SegmentFooter(
            rowCount: rowCount, blockRowCount: blockRowCount, chunkStart: chunkStart, chunkEnd: chunkEnd,
            minTime: minTime, maxTime: maxTime, rollupGranularity: granularity, columns: columns)
        for c in columns where c.blocks.count != footer.blockCount {
            throw bad("block count of column \(c.column.name)")
        }
        return footer
    }

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
