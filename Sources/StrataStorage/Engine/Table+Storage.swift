public import StrataCore

/// Where a table's bytes go on disk: per stored column, the blocks, dictionary and bitmap index
/// regions of every live segment, plus what the segments spend on headers, footers and padding.
///
/// Read from segment footers only (no block is decompressed), so it is cheap; used by the storage
/// size benchmark to say which columns dominate a table's size.
public struct StorageBreakdown: Sendable, Hashable {
    /// Stored sizes of one column summed over the table's live segments.
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: DataType
        /// Bytes of the column's blocks as stored (after compression), including validity bitmaps.
        public var blockBytes: Int
        /// Bytes of the column's blocks after encoding, before compression.
        public var encodedBlockBytes: Int
        /// Bytes of the sorted string dictionaries as stored (0 for non-string columns).
        public var dictionaryBytes: Int
        /// Bytes of the bitmap indexes (stored uncompressed; 0 when the column has none).
        public var bitmapIndexBytes: Int

        /// Blocks + dictionary + bitmap index.
        public var storedBytes: Int { blockBytes + dictionaryBytes + bitmapIndexBytes }
    }

    /// One entry per stored column, in ``TableSpec/storedColumns`` order.
    public var columns: [Column]
    /// Number of live segments.
    public var segmentCount: Int
    /// Sum of the live segment files' sizes.
    public var segmentBytes: Int

    /// Segment bytes that belong to no column region: headers, footers, trailers and alignment padding.
    public var overheadBytes: Int { segmentBytes - columns.reduce(0) { $0 + $1.storedBytes } }
}

extension Table {
    /// Per-column stored sizes of the table's current segments (see ``StorageBreakdown``).
    ///
    /// - Throws: `corruption` if a segment's footer fails its checksum, `io` if a segment cannot be opened.
    /// - Complexity: O(segments × blocks), reading footers only.
    public func storageBreakdown() throws(StrataError) -> StorageBreakdown {
        let snapshot = snapshot()
        let stored = spec.storedColumns
        var columns = stored.map {
            StorageBreakdown.Column(
                name: $0.name, type: $0.type, blockBytes: 0, encodedBlockBytes: 0, dictionaryBytes: 0,
                bitmapIndexBytes: 0)
        }
        var segmentBytes = 0
        for (i, entry) in snapshot.segmentEntries.enumerated() {
            segmentBytes += entry.sizeBytes
            let reader = try snapshot.reader(i)
            for descriptor in reader.footer.columns {
                guard let k = stored.firstIndex(where: { $0.name == descriptor.column.name }) else { continue }
                for block in descriptor.blocks {
                    columns[k].blockBytes += Int(block.storedLength)
                    columns[k].encodedBlockBytes += Int(block.rawLength)
                }
                columns[k].dictionaryBytes += Int(descriptor.dictionary?.storedLength ?? 0)
                columns[k].bitmapIndexBytes += Int(descriptor.bitmapIndex?.storedLength ?? 0)
            }
        }
        return StorageBreakdown(
            columns: columns, segmentCount: snapshot.segmentEntries.count, segmentBytes: segmentBytes)
    }
}
