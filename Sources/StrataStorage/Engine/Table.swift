public import StrataCore
import Synchronization

/// A handle to one table of a ``Database``. Cheap to create; thread-safe.
public final class Table: Sendable {
    let database: Database
    public let name: String
    public let spec: TableSpec

    init(database: Database, name: String, spec: TableSpec) {
        self.database = database
        self.name = name
        self.spec = spec
    }

    /// Appends a columnar batch. The call is all-or-nothing: when it returns, every row is stored
    /// (durably, with the default options) and visible to queries; when it throws, none is.
    ///
    /// Batches smaller than ``Database/Options/directWriteRows`` are written to the write-ahead log
    /// and added to the table's in-memory head (flushed to segments later); larger ones are written
    /// as segments directly. Appends from many threads at once are safe and share log syncs.
    ///
    /// The batch must hold every input column of the spec (``TableSpec/inputColumns``: the timestamp, if the
    /// table has one, dimensions and metrics) by name.
    /// Int64 vectors are accepted for double metrics; timestamps may be given as `.timestamp` or `.int64`
    /// milliseconds.
    /// - Throws: `ingest` naming the column and row at fault; `io` if storing fails.
    /// - Complexity: O(n log n) for sorting rows into segment order.
    public func append(_ batch: ColumnBatch) throws(StrataError) {
        let input = try BatchEncoder.encode(batch, spec: spec)
        try write(input)
    }

    /// Appends rows given as dictionaries from column name to value (convenient, not the fast path).
    public func append(rows: [[String: Value]]) throws(StrataError) {
        try append(try BatchEncoder.batch(fromRows: rows, spec: spec))
    }

    /// Stores rows of `input` (input-column order) by the size rule: the log and the head for small
    /// batches, segments for large ones (``Database/Options/directWriteRows``).
    /// - Returns: the segments written directly (0 when the rows went to the head) and the rows
    ///   stored (after rollup).
    @discardableResult
    package func write(_ input: [ColumnData]) throws(StrataError) -> (segments: Int, rows: Int) {
        guard let rowCount = input.first?.count, rowCount > 0 else { return (0, 0) }
        if rowCount >= database.options.directWriteRows { return try store(input) }
        let added = try database.appendToHead(self, input)
        return (0, added.rows)
    }

    /// Sorts, rolls up and writes the rows of `input` (input-column order), one segment per time
    /// chunk, then publishes them in one catalog version.
    /// - Returns: the segments written and the rows they hold (after rollup).
    @discardableResult
    func store(_ input: [ColumnData]) throws(StrataError) -> (segments: Int, rows: Int) {
        try database.checkWritable()
        let entries = try writeSegments(input)
        guard !entries.isEmpty else { return (0, 0) }
        try database.publishLock.withLock { _ throws(StrataError) in
            var catalog = database.state.withLock { $0.catalog }
            guard let index = catalog.tables.firstIndex(where: { $0.spec.name == spec.name }) else {
                throw StrataError(.notFound, "table '\(name)' was dropped")
            }
            catalog.tables[index].segments += Self.published(entries, version: catalog.version + 1)
            try database.publish(catalog)
        }
        return (entries.count, entries.reduce(0) { $0 + $1.rowCount })
    }

    /// Sorts, rolls up and writes the rows of `input` (input-column order) as segments, one per time chunk,
    /// synced but not yet published (the caller publishes the returned entries, or removes their files).
    func writeSegments(_ input: [ColumnData]) throws(StrataError) -> [SegmentEntry] {
        let chunks = try ChunkSplit.split(input, spec: spec)
        guard !chunks.isEmpty else { return [] }
        let firstNumber = database.reserveSegmentNumbers(chunks.count)
        let writer = SegmentWriter(blockRowCount: database.options.blockRowCount)
        var entries: [SegmentEntry] = []
        for (k, (chunk, chunkInput)) in chunks.enumerated() {
            let stored = SegmentBuilder.build(
                spec: spec, data: try database.initialStates(spec: spec, input: chunkInput))
            let bytes = writer.write(
                columns: spec.storedColumns, data: stored, chunk: chunk, rollupGranularity: spec.rollup?.granularity)
            let number = firstNumber + UInt64(k)
            let file = "segments/\(name.lowercased())/\(Self.fileName(number))"
            try database.storeSegment(bytes, file: file)
            let times = SegmentWriter.timeRange(of: stored[0], chunk: chunk)
            entries.append(
                SegmentEntry(
                    id: "\(name.lowercased())-\(number)", file: file, chunkStart: chunk.lowerBound,
                    chunkEnd: chunk.upperBound, version: 0, rowCount: stored[0].count, minTime: times.lowerBound,
                    maxTime: times.upperBound, sizeBytes: bytes.count))
        }
        if database.crashPoint.withLock({ $0 }) == .afterSegmentWrite {
            throw StrataError(.io, "simulated crash after writing segments")
        }
        return entries
    }

    /// `entries` as published by the catalog of `version`.
    static func published(_ entries: [SegmentEntry], version: UInt64) -> [SegmentEntry] {
        entries.map { entry in
            var entry = entry
            entry.version = version
            return entry
        }
    }

    static func fileName(_ number: UInt64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits + ".seg"
    }

    /// The table's live segments as of now: stored segments, then head segments (in memory,
    /// ``SegmentInfo/isHead``).
    public var segments: [SegmentInfo] {
        let visible = database.wal.durableSequence
        return database.state.withLock { s in
            (s.catalog.table(named: name)?.segments ?? []).map { SegmentInfo($0, isHead: false) }
                + (s.heads[name.lowercased()]?.visible(through: visible) ?? []).map {
                    SegmentInfo($0.entry(table: name), isHead: true)
                }
        }
    }

    /// Total rows stored (after rollup), head included.
    public var rowCount: Int { segments.reduce(0) { $0 + $1.rowCount } }
}
