public import StrataCore
import Synchronization

extension Database {
    /// Flushes every table's head (see ``Table/flush()``).
    /// - Throws: `io` if writing or publishing fails; what was not flushed stays in the head and the log.
    public func flush() throws(StrataError) {
        try checkWritable()
        try flushAllHeads()
        try wal.sync()
    }

    func flushAllHeads() throws(StrataError) {
        try maintenanceLock.withLock { _ throws(StrataError) in
            let keys = state.withLock { s in s.heads.filter { !$0.value.isEmpty }.keys.sorted() }
            for key in keys { try flushHead(key) }
        }
    }

    /// Writes the visible parts of a table's head as segments (one per time chunk, small parts of a
    /// chunk merged), publishes them together with the table's new log checkpoint in one catalog
    /// version and drops them from the head in the same step, then deletes log files no longer
    /// needed, applies retention and compacts chunks that have many segments.
    /// Caller holds `maintenanceLock`.
    func flushHead(_ key: String) throws(StrataError) {
        guard let spec = state.withLock({ $0.catalog.table(named: key)?.spec }) else { return }
        guard state.withLock({ !($0.heads[key]?.isEmpty ?? true) }) else { return }
        // A new log file: the records written so far (now synced) can be deleted as a whole later.
        try wal.rotate()
        // Every record of this table up to `checkpoint` is in a visible head part: parts join the
        // head in the same step as their record is written, and become visible in log order.
        let checkpoint = wal.durableSequence
        let parts = state.withLock { s in s.heads[key]?.visible(through: checkpoint) ?? [] }
        guard !parts.isEmpty else { return }
        var byChunk: [Int64: [HeadPart]] = [:]
        for part in parts { byChunk[part.chunk.lowerBound, default: []].append(part) }
        let chunkStarts = byChunk.keys.sorted()
        let firstNumber = reserveSegmentNumbers(chunkStarts.count)
        var entries: [SegmentEntry] = []
        for (k, start) in chunkStarts.enumerated() {
            let chunkParts = byChunk[start]!
            let part =
                chunkParts.count == 1
                ? chunkParts[0]
                : try HeadPart.merge(
                    chunkParts, spec: spec, level: 0, blockRowCount: options.blockRowCount, cache: nil)
            let number = firstNumber + UInt64(k)
            let file = "segments/\(key)/\(Table.fileName(number))"
            try storeSegment(part.bytes, file: file)
            var entry = part.entry(table: key)
            entry.id = "\(key)-\(number)"
            entry.file = file
            entries.append(entry)
        }
        if crashPoint.withLock({ $0 }) == .afterSegmentWrite {
            throw StrataError(.io, "simulated crash after writing segments")
        }
        let ids = Set(parts.map(\.id))
        try publishLock.withLock { _ throws(StrataError) in
            var catalog = state.withLock { $0.catalog }
            guard let index = catalog.tables.firstIndex(where: { $0.spec.name.lowercased() == key }) else { return }
            let version = catalog.version + 1
            catalog.tables[index].segments += entries.map { entry in
                var entry = entry
                entry.version = version
                return entry
            }
            catalog.tables[index].walCheckpoint = max(catalog.tables[index].walCheckpoint ?? 0, checkpoint)
            try publish(catalog) { s in s.heads[key]?.remove(ids) }
        }
        headFlushCount.add(1, ordering: .relaxed)
        retireLog()
        if spec.retentionDays != nil { _ = try applyRetention(key) }
        if let trigger = options.compactionSegmentCount {
            _ = try compact(key, chunks: Set(chunkStarts), minimumSegments: max(2, trigger))
        }
    }

    /// Drops the table's chunks that end more than `retentionDays` before its newest row.
    /// Caller holds `maintenanceLock`.
    /// - Returns: the number of segments dropped.
    func applyRetention(_ key: String) throws(StrataError) -> Int {
        let dropped = try publishLock.withLock { _ throws(StrataError) -> [SegmentEntry] in
            var catalog = state.withLock { $0.catalog }
            guard let index = catalog.tables.firstIndex(where: { $0.spec.name.lowercased() == key }),
                let days = catalog.tables[index].spec.retentionDays
            else { return [] }
            let visible = wal.durableSequence
            let headNewest = state.withLock { s in
                s.heads[key]?.visible(through: visible).map(\.reader.footer.maxTime).max()
            }
            let segments = catalog.tables[index].segments
            guard let newest = (segments.map(\.maxTime) + [headNewest ?? .min]).max(), newest != .min else {
                return []
            }
            // Validation bounds `days`, but a catalog written before that check (or by hand) may hold
            // any value: an overflowing cutoff means nothing is old enough to drop.
            let span = Int64(days).multipliedReportingOverflow(by: Timestamp.millisecondsPerDay)
            let difference = newest.subtractingReportingOverflow(span.partialValue)
            guard days > 0, !span.overflow, !difference.overflow else { return [] }
            let cutoff = difference.partialValue
            let dropped = segments.filter { $0.chunkEnd <= cutoff }
            guard !dropped.isEmpty else { return [] }
            catalog.tables[index].segments.removeAll { $0.chunkEnd <= cutoff }
            try publish(catalog)
            return dropped
        }
        guard !dropped.isEmpty else { return 0 }
        if crashPoint.withLock({ $0 }) == .beforeSegmentRemoval {
            throw StrataError(.io, "simulated crash before removing segment files")
        }
        removeSegmentFiles(dropped)
        return dropped.count
    }

    /// Rewrites, per time chunk with at least `minimumSegments` stored segments, those segments as
    /// one of a new version: rows re-sorted and, with rollup, re-rolled-up. Publishes every new
    /// segment in one catalog version, then removes the old files (snapshots taken before keep
    /// reading them). Caller holds `maintenanceLock`.
    func compact(_ key: String, chunks: Set<Int64>? = nil, minimumSegments: Int = 2) throws(StrataError)
        -> CompactionReport
    {
        guard let table = state.withLock({ $0.catalog.table(named: key) }) else { return CompactionReport() }
        var byChunk: [Int64: [SegmentEntry]] = [:]
        for segment in table.segments where chunks?.contains(segment.chunkStart) ?? true {
            byChunk[segment.chunkStart, default: []].append(segment)
        }
        let chosen = byChunk.filter { $0.value.count >= minimumSegments }.sorted { $0.key < $1.key }
        guard !chosen.isEmpty else { return CompactionReport() }
        let spec = table.spec
        let writer = SegmentWriter(blockRowCount: options.blockRowCount)
        let firstNumber = reserveSegmentNumbers(chosen.count)
        var replaced: [SegmentEntry] = []
        var entries: [SegmentEntry] = []
        for (k, (start, old)) in chosen.enumerated() {
            // The maintenance lock keeps these files in place (only maintenance removes files).
            var readers: [SegmentReader] = []
            for segment in old { readers.append(try reader(for: segment)) }
            let stored = try SegmentMerge.merge(readers: readers, spec: spec)
            let chunk = old[0].chunkStart..<old[0].chunkEnd
            let bytes = writer.write(
                columns: spec.storedColumns, data: stored, chunk: chunk, rollupGranularity: spec.rollup?.granularity)
            let number = firstNumber + UInt64(k)
            let file = "segments/\(key)/\(Table.fileName(number))"
            try storeSegment(bytes, file: file)
            let times = SegmentWriter.timeRange(of: stored[0], chunk: chunk)
            entries.append(
                SegmentEntry(
                    id: "\(key)-\(number)", file: file, chunkStart: start, chunkEnd: chunk.upperBound, version: 0,
                    rowCount: stored[0].count, minTime: times.lowerBound, maxTime: times.upperBound,
                    sizeBytes: bytes.count))
            replaced += old
        }
        if crashPoint.withLock({ $0 }) == .afterSegmentWrite {
            throw StrataError(.io, "simulated crash after writing segments")
        }
        let oldIDs = Set(replaced.map(\.id))
        try publishLock.withLock { _ throws(StrataError) in
            var catalog = state.withLock { $0.catalog }
            guard let index = catalog.tables.firstIndex(where: { $0.spec.name.lowercased() == key }),
                catalog.tables[index].segments.count(where: { oldIDs.contains($0.id) }) == oldIDs.count
            else {
                throw StrataError(.internal, "segments of table '\(key)' changed during compaction")
            }
            let version = catalog.version + 1
            catalog.tables[index].segments.removeAll { oldIDs.contains($0.id) }
            catalog.tables[index].segments += entries.map { entry in
                var entry = entry
                entry.version = version
                return entry
            }
            try publish(catalog)
        }
        compactionCount.add(chosen.count, ordering: .relaxed)
        if crashPoint.withLock({ $0 }) == .beforeSegmentRemoval {
            throw StrataError(.io, "simulated crash before removing segment files")
        }
        removeSegmentFiles(replaced)
        return CompactionReport(
            chunksCompacted: chosen.count, segmentsBefore: replaced.count, segmentsAfter: entries.count)
    }
}

/// What a compaction did.
public struct CompactionReport: Sendable, Hashable {
    /// Time chunks rewritten.
    public var chunksCompacted = 0
    /// Segments those chunks had.
    public var segmentsBefore = 0
    /// Segments they have now (one each).
    public var segmentsAfter = 0

    package init(chunksCompacted: Int = 0, segmentsBefore: Int = 0, segmentsAfter: Int = 0) {
        self.chunksCompacted = chunksCompacted
        self.segmentsBefore = segmentsBefore
        self.segmentsAfter = segmentsAfter
    }
}
