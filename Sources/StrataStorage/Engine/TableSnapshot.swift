public import StrataCore

/// A consistent view of a table: the segments of one catalog version plus the head segments
/// (recent appends, in memory) as of the same moment. Appends, flushes, compaction and retention
/// that happen later do not change it; it keeps the segments it reads alive (files removed by a
/// later compaction stay readable through it).
public struct TableSnapshot: Sendable {
    public let spec: TableSpec
    public let catalogVersion: UInt64
    /// The write-ahead log sequence number of the newest append the snapshot sees.
    public let logSequence: UInt64
    /// Whoever made the snapshot (the database), kept alive as long as the snapshot is.
    let owner: any Sendable
    package let parts: [Part]
    package let entries: [SegmentEntry]

    /// One segment of the snapshot: stored (catalog) or in the head.
    package struct Part: Sendable {
        package var entry: SegmentEntry
        /// Opened when the snapshot was taken; an error (a damaged file) is reported on use.
        package var reader: Result<SegmentReader, StrataError>
        package var isHead: Bool

        package init(entry: SegmentEntry, reader: Result<SegmentReader, StrataError>, isHead: Bool) {
            self.entry = entry
            self.reader = reader
            self.isHead = isHead
        }
    }

    package init(spec: TableSpec, catalogVersion: UInt64, logSequence: UInt64, owner: any Sendable, parts: [Part]) {
        self.spec = spec
        self.catalogVersion = catalogVersion
        self.logSequence = logSequence
        self.owner = owner
        self.parts = parts
        self.entries = parts.map(\.entry)
    }

    /// The snapshot's segments, head segments included (``SegmentInfo/isHead``).
    public var segments: [SegmentInfo] { parts.map { SegmentInfo($0.entry, isHead: $0.isHead) } }

    /// The reader of the `index`-th segment.
    package func reader(_ index: Int) throws(StrataError) -> SegmentReader {
        try parts[index].reader.get()
    }

    /// The segments in read order: by time chunk, stored segments before head segments.
    package var segmentEntries: [SegmentEntry] { entries }

    /// The most entries a dictionary of stored string column `position` has in one segment (a table-wide
    /// dictionary's, when the column has one); `nil` when a segment cannot be read (the query reports it).
    package func largestDictionary(column position: Int) -> Int? {
        let name = spec.storedColumns[position].name
        var largest = 0
        for i in parts.indices {
            guard let reader = try? reader(i), let c = reader.footer.columnIndex(named: name) else { return nil }
            if reader.footer.columns[c].column.tableDictionary {
                guard let dictionary = try? reader.dictionary(column: c) else { return nil }
                return dictionary.count
            }
            largest = Swift.max(largest, Int(reader.footer.columns[c].dictionary?.count ?? 0))
        }
        return largest
    }
}

