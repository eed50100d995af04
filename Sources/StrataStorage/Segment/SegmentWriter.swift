public import StrataCore

/// Serializes sorted, rolled-up columns into the bytes of one segment file.
///
/// Rows must already be in segment order (see ``SegmentBuilder``); string columns must carry
/// sorted dictionaries. The writer cuts columns into blocks of ``blockRowCount`` rows, encodes,
/// compresses and checksums each block, and writes dictionaries, bitmap indexes and the footer.
public struct SegmentWriter: Sendable {
    /// Rows per block: large enough to amortize per-block work, small enough for zone maps to prune.
    public static let defaultBlockRowCount = 16_384

    public var blockRowCount: Int

    /// Whether a column's values change so often from row to row (average run under 8 rows) that its
    /// bitmaps would be arrays of row numbers, about 2 bytes a row: then an automatic index is not
    /// worth building only to be dropped.
    static func isScattered(_ codes: [UInt32]) -> Bool {
        guard codes.count > 1 else { return false }
        var changes = 0
        for i in 1..<codes.count where codes[i] != codes[i - 1] { changes += 1 }
        return changes * 8 > codes.count
    }

    /// An automatic bitmap index is kept only when it takes at most one byte per this many rows.
    public static let maxAutomaticIndexRowRatio = 2

    public init(blockRowCount: Int = SegmentWriter.defaultBlockRowCount) {
        precondition(blockRowCount > 0 && blockRowCount % 64 == 0, "block row count must be a positive multiple of 64")
        self.blockRowCount = blockRowCount
    }

    /// The true smallest and largest time of a segment's rows, whatever their order: rows are sorted
    /// by a truncated time first when a table has a sort key or rollup, so the first and last rows
    /// need not hold the extremes. `chunk.lowerBound` for both when there are no rows. Catalog
    /// entries and footers both take their time range from here.
    public static func timeRange(of times: ColumnData, chunk: Range<Int64>) -> ClosedRange<Int64> {
        guard case .int64(let values, _) = times, var low = values.first else {
            return chunk.lowerBound...chunk.lowerBound
        }
        var high = low
        for t in values {
            low = min(low, t)
            high = max(high, t)
        }
        return low...high
    }

    /// The segment file bytes.
    /// - Parameters:
    ///   - columns: the stored columns; the first must be the time column.
    ///   - data: one ``ColumnData`` per column, all of the same length; time as `.int64`.
    ///   - chunk: the time chunk the rows belong to.
    ///   - rollupGranularity: the granularity rows were merged at, if rolled up.
    public func write(
        columns: [StoredColumn], data: [ColumnData], chunk: Range<Int64>, rollupGranularity: QueryGranularity?
    ) -> [UInt8] {
        precondition(columns.count == data.count && !columns.isEmpty, "one data column per stored column")
        precondition(columns[0].role == .time, "the first stored column is the time column")
        let rowCount = data[0].count
        var out = SegmentFooter.headerMagic
        var w = ByteWriter()
        w.write(SegmentFooter.formatVersion)
        w.write(UInt16(0))
        out += w.bytes
        pad(&out, to: SegmentFooter.headerSize)

        let timeRange = Self.timeRange(of: data[0], chunk: chunk)
        var descriptors: [ColumnDescriptor] = []
        for (column, values) in zip(columns, data) {
            precondition(
                values.count == rowCount, "column \(column.name) has \(values.count) rows, expected \(rowCount)")
            var blocks: [BlockDescriptor] = []
            var start = 0
            while start < rowCount {
                let end = min(start + blockRowCount, rowCount)
                blocks.append(writeBlock(values, rows: start..<end, codec: column.codec, to: &out))
                start = end
            }
            var descriptor = ColumnDescriptor(column: column, blocks: blocks, dictionary: nil, bitmapIndex: nil)
            if case .string(let dictionary, let codes, let validity) = values, !column.tableDictionary {
                descriptor.dictionary = writeDictionary(dictionary, codec: column.codec, to: &out)
                var indexed = column.bitmapIndex ?? (dictionary.count * 16 <= rowCount && !Self.isScattered(codes))
                if indexed {
                    let mark = out.count
                    let region = writeBitmapIndex(
                        codes: codes, validity: validity, dictionaryCount: dictionary.count, to: &out)
                    // Automatic indexes must pay for themselves: bitmaps of values scattered over the
                    // segment cost about 2 bytes a row, more than scanning the codes they replace costs.
                    if column.bitmapIndex == nil, Int(region.storedLength) > rowCount / Self.maxAutomaticIndexRowRatio {
                        out.removeSubrange(mark...)
                        indexed = false
                    } else {
                        descriptor.bitmapIndex = region
                    }
                }
                descriptor.column.bitmapIndex = indexed
            }
            descriptors.append(descriptor)
        }
        let footer = SegmentFooter(
            rowCount: rowCount, blockRowCount: blockRowCount, chunkStart: chunk.lowerBound, chunkEnd: chunk.upperBound,
            minTime: timeRange.lowerBound, maxTime: timeRange.upperBound,
            rollupGranularity: rollupGranularity, columns: descriptors)
        pad(&out, to: 32)
        let footerBytes = footer.encode()
        let footerOffset = out.count
        out += footerBytes
        let trailer = SegmentTrailer(
            footerOffset: UInt64(footerOffset), footerLength: UInt64(footerBytes.count),
            footerChecksum: CRC32C.checksum(footerBytes))
        out += trailer.encode(header: Array(out[0..<SegmentFooter.headerSize]))
        return out
    }

    private func pad(_ out: inout [UInt8], to alignment: Int) {
        let r = out.count % alignment
        if r != 0 { out.append(contentsOf: repeatElement(0, count: alignment - r)) }
    }

    private func writeBlock(_ values: ColumnData, rows: Range<Int>, codec: Codec, to out: inout [UInt8])
        -> BlockDescriptor
    {
        var raw: [UInt8] = []
        var nullCount = 0
        if let validity = values.validity {
            for i in rows where !validity[i] { nullCount += 1 }
            if nullCount > 0 {
                var words = [UInt64](repeating: 0, count: (rows.count + 63) / 64)
                for (k, i) in rows.enumerated() where validity[i] { words[k >> 6] |= 1 << UInt64(k & 63) }
                for word in words { withUnsafeBytes(of: word.littleEndian) { raw.append(contentsOf: $0) } }
            }
        }
        let encoded = BlockEncoder.encode(values, rows: rows, into: &raw)
        pad(&out, to: 32)
        let offset = out.count
        let stored = raw.withUnsafeBytes { BlockCompressor.compress($0, codec: codec, into: &out) }
        let checksum = out.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + stored]))
        }
        return BlockDescriptor(
            offset: UInt64(offset), storedLength: UInt32(stored), rawLength: UInt32(raw.count), checksum: checksum,
            rowCount: UInt32(rows.count), nullCount: UInt32(nullCount), encoding: encoded.encoding,
            minBits: encoded.minBits, maxBits: encoded.maxBits, hasRange: encoded.hasRange)
    }

    private func writeDictionary(_ dictionary: [String], codec: Codec, to out: inout [UInt8]) -> RegionDescriptor {
        let raw = DictionaryCoding.encode(dictionary)
        pad(&out, to: 32)
        let start = out.count
        let stored = raw.withUnsafeBytes { BlockCompressor.compress($0, codec: codec, into: &out) }
        let checksum = out.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<start + stored]))
        }
        return RegionDescriptor(
            offset: UInt64(start), storedLength: UInt64(stored), rawLength: UInt64(raw.count), checksum: checksum,
            codec: codec, count: UInt32(dictionary.count))
    }

    /// Region layout: count u32, 4 bytes padding, `count` pairs of u64 (offset relative to the region
    /// start, length), then each bitmap in frozen format at a 32-byte aligned offset (frozen views need
    /// the exact length, so padding is not part of a bitmap). Stored uncompressed so that
    /// bitmaps are zero-copy views of the mapped file.
    private func writeBitmapIndex(
        codes: [UInt32], validity: Bitset?, dictionaryCount: Int, to out: inout [UInt8]
    ) -> RegionDescriptor {
        // Counting sort of row numbers by code, then one bulk add per bitmap.
        var starts = [Int](repeating: 0, count: dictionaryCount + 1)
        for (i, c) in codes.enumerated() where validity?[i] ?? true { starts[Int(c) + 1] += 1 }
        for k in 0..<dictionaryCount { starts[k + 1] += starts[k] }
        var rows = [UInt32](repeating: 0, count: starts[dictionaryCount])
        var next = starts
        for (i, c) in codes.enumerated() where validity?[i] ?? true {
            rows[next[Int(c)]] = UInt32(i)
            next[Int(c)] += 1
        }
        pad(&out, to: 32)
        let start = out.count
        let headerSize = 8 + 16 * dictionaryCount
        out.append(contentsOf: repeatElement(0, count: headerSize))
        var header = ByteWriter()
        header.write(UInt32(dictionaryCount))
        header.write(UInt32(0))
        rows.withUnsafeBufferPointer { all in
            for k in 0..<dictionaryCount {
                pad(&out, to: RoaringBitmap.frozenAlignment)
                let offset = out.count - start
                RoaringBitmap(members: UnsafeBufferPointer(rebasing: all[starts[k]..<starts[k + 1]])).appendFrozen(
                    to: &out)
                header.write(UInt64(offset))
                header.write(UInt64(out.count - start - offset))
            }
        }
        out.replaceSubrange(start..<start + headerSize, with: header.bytes)
        let length = out.count - start
        let checksum = out.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<start + length]))
        }
        return RegionDescriptor(
            offset: UInt64(start), storedLength: UInt64(length), rawLength: UInt64(length), checksum: checksum,
            codec: .none, count: UInt32(dictionaryCount))
    }
}
