import StrataCore

/// One immutable in-memory segment of a table's head: the rows of one append (or of several merged
/// appends) in one time chunk, sorted, dictionary encoded and rolled up like a stored segment, so
/// that queries read it with the same ``SegmentReader`` code.
struct HeadPart: Sendable {
    /// Unique within the database; assigned when the part joins a head.
    var id: UInt64 = 0
    /// The log sequence number of the newest append it holds; readers see the part once the log's
    /// durable sequence reaches it.
    var sequence: UInt64 = 0
    /// How many merges made it: appends make level 0; merging parts of level k makes level k + 1.
    var level: Int
    let chunk: Range<Int64>
    let bytes: SegmentBytes
    let reader: SegmentReader

    /// Builds a part from stored columns in segment order (``SegmentBuilder/build(spec:data:)``).
    init(
        spec: TableSpec, stored: [ColumnData], chunk: Range<Int64>, level: Int, blockRowCount: Int,
        cache: BlockCache?, dictionaries: (@Sendable (String) throws(StrataError) -> StringDictionary?)? = nil
    ) throws(StrataError) {
        let writer = SegmentWriter(blockRowCount: blockRowCount)
        let encoded = writer.write(
            columns: spec.storedColumns, data: stored, chunk: chunk, rollupGranularity: spec.rollup?.granularity)
        bytes = SegmentBytes(copying: encoded)
        reader = try SegmentReader(
            bytes: bytes, name: "head of table '\(spec.name)'", cache: cache, tableDictionaries: dictionaries)
        self.chunk = chunk
        self.level = level
    }

    var rowCount: Int { reader.rowCount }
    var byteCount: Int { bytes.count }

    /// The part as a catalog-style entry (no file; version 0), for snapshots and ``SegmentInfo``.
    func entry(table: String) -> SegmentEntry {
        SegmentEntry(
            id: "\(table.lowercased())-head-\(id)", file: "", chunkStart: chunk.lowerBound, chunkEnd: chunk.upperBound,
            version: 0, rowCount: reader.rowCount, minTime: reader.footer.minTime, maxTime: reader.footer.maxTime,
            sizeBytes: bytes.count)
    }

    /// Merges parts of one chunk into one part of `level`: decode, concatenate, re-sort and re-roll-up.
    static func merge(_ parts: [HeadPart], spec: TableSpec, level: Int, blockRowCount: Int, cache: BlockCache?)
        throws(StrataError) -> HeadPart
    {
        let stored = try SegmentMerge.merge(readers: parts.map(\.reader), spec: spec)
        var merged = try HeadPart(
            spec: spec, stored: stored, chunk: parts[0].chunk, level: level, blockRowCount: blockRowCount,
            cache: cache, dictionaries: parts[0].reader.tableDictionaries)
        merged.sequence = parts.map(\.sequence).max() ?? 0
        return merged
    }
}

/// Rebuilds the rows of several segments of one chunk as one: the compaction and head-merge step.
enum SegmentMerge {
    /// The stored columns of every row of `readers`, sorted and (with rollup) merged again.
    static func merge(readers: [SegmentReader], spec: TableSpec) throws(StrataError) -> [ColumnData] {
        let columns = spec.storedColumns
        var decoded: [[ColumnData]] = []
        for reader in readers { decoded.append(try reader.decodeAllColumns(ordered: columns)) }
        let data = columns.indices.map { c in ColumnData.concatenate(decoded.map { $0[c] }) }
        return SegmentBuilder.build(spec: spec, data: data)
    }
}

/// Splitting input rows by time chunk.
enum ChunkSplit {
    /// The rows of `input` (input-column order, time first) per time chunk, chunks in time order,
    /// rows in arrival order within each.
    static func split(_ input: [ColumnData], spec: TableSpec) throws(StrataError)
        -> [(chunk: Range<Int64>, input: [ColumnData])]
    {
        let rowCount = input[0].count
        guard rowCount > 0 else { return [] }
        guard case .int64(let times, _) = input[0] else { throw StrataError(.internal, "time column is not int64") }
        let unit = spec.segmentGranularity.unit
        let first = unit.truncate(times[0])
        if times.allSatisfy({ unit.truncate($0) == first }) {
            return [(spec.segmentGranularity.chunk(containing: first), input)]
        }
        var chunks: [Int64: [Int32]] = [:]
        for (i, t) in times.enumerated() { chunks[unit.truncate(t), default: []].append(Int32(i)) }
        return chunks.keys.sorted().map { start in
            (spec.segmentGranularity.chunk(containing: start), input.map { $0.permuted(chunks[start]!) })
        }
    }
}

/// A table's head: its parts in log order, with running totals for the flush limits.
struct TableHead: Sendable {
    private(set) var parts: [HeadPart] = []
    private(set) var rowCount = 0
    private(set) var byteCount = 0

    var isEmpty: Bool { parts.isEmpty }

    mutating func append(_ part: HeadPart) {
        parts.append(part)
        rowCount += part.rowCount
        byteCount += part.byteCount
    }

    /// Removes the parts with these ids.
    mutating func remove(_ ids: Set<UInt64>) {
        parts.removeAll { part in
            guard ids.contains(part.id) else { return false }
            rowCount -= part.rowCount
            byteCount -= part.byteCount
            return true
        }
    }

    /// Replaces the parts with these ids by `merged`, at the place of the first of them; does nothing
    /// (and returns `false`) unless all of them are still there.
    mutating func replace(_ ids: Set<UInt64>, with merged: HeadPart) -> Bool {
        guard let first = parts.firstIndex(where: { ids.contains($0.id) }),
            parts.count(where: { ids.contains($0.id) }) == ids.count
        else { return false }
        remove(ids)
        parts.insert(merged, at: min(first, parts.count))
        rowCount += merged.rowCount
        byteCount += merged.byteCount
        return true
    }

    /// The parts readers may see: those whose appends are durable up to `sequence`.
    func visible(through sequence: UInt64) -> [HeadPart] { parts.filter { $0.sequence <= sequence } }
}
