import StrataCore
import Synchronization

extension Database {
    /// Parts of a chunk at one level that are merged into one part of the next level. Each row is
    /// rewritten about log_fanout(rows in the head) times before the head is flushed, and a chunk's
    /// head holds at most about fanout parts per level.
    static let headMergeFanout = 8

    /// Logs `input` (input-column order) and adds it to the table's head, one part per time chunk,
    /// visible to readers once the log record is durable (per ``Options/durability``).
    /// - Returns: the parts added and the rows they hold (after rollup).
    func appendToHead(_ table: Table, _ input: [ColumnData]) throws(StrataError) -> (parts: Int, rows: Int) {
        let spec = table.spec
        let key = spec.name.lowercased()
        try checkWritable()
        guard state.withLock({ $0.catalog.table(named: spec.name) != nil }) else {
            throw StrataError(.notFound, "table '\(spec.name)' was dropped")
        }
        // Build the parts and encode the record before taking the log's lock.
        var parts: [HeadPart] = []
        for (chunk, chunkInput) in try ChunkSplit.split(input, spec: spec) {
            let stored = SegmentBuilder.build(spec: spec, data: try initialStates(spec: spec, input: chunkInput))
            parts.append(
                try HeadPart(
                    spec: spec, stored: stored, chunk: chunk, level: 0, blockRowCount: options.blockRowCount,
                    cache: blockCache, dictionaries: tableDictionaryResolver(spec.name)))
        }
        guard !parts.isEmpty else { return (0, 0) }
        var record = path == nil ? [] : WALRecord.encode(table: spec.name, columns: input)
        try wal.append(&record, table: spec.name) { sequence in
            state.withLock { s in
                // A table dropped meanwhile keeps no head (its log records are ignored on replay).
                guard s.catalog.table(named: spec.name) != nil else { return }
                for var part in parts {
                    part.id = s.nextHeadPartID
                    part.sequence = sequence
                    s.nextHeadPartID += 1
                    s.heads[key, default: TableHead()].append(part)
                }
            }
        }
        maintainHead(key, chunks: parts.map(\.chunk.lowerBound))
        return (parts.count, parts.reduce(0) { $0 + $1.rowCount })
    }

    /// After an append: flush the head if it reached a limit, else merge small parts of the chunks
    /// just appended to. Skipped when another maintenance task runs (it, or the next append, catches
    /// up). Failures are kept in `deferredError`: the append itself already succeeded.
    func maintainHead(_ key: String, chunks: [Int64]) {
        let (rows, bytes) = state.withLock { s in
            (s.heads[key]?.rowCount ?? 0, s.heads[key]?.byteCount ?? 0)
        }
        let flush = rows >= options.headRowLimit || bytes >= options.headByteLimit
        _ = maintenanceLock.withLockIfAvailable { _ in
            do throws(StrataError) {
                if flush {
                    try flushHead(key)
                } else {
                    for chunk in Set(chunks) { try mergeHeadLevels(key, chunkStart: chunk) }
                }
            } catch {
                deferredError.withLock { $0 = error }
            }
        }
    }

    /// Merges, level by level, the visible parts of one chunk while a level holds
    /// ``headMergeFanout`` of them. Caller holds `maintenanceLock`.
    func mergeHeadLevels(_ key: String, chunkStart: Int64) throws(StrataError) {
        guard let spec = state.withLock({ $0.catalog.table(named: key)?.spec }) else { return }
        var level = 0
        while true {
            let visible = wal.durableSequence
            let group = state.withLock { s in
                (s.heads[key]?.visible(through: visible) ?? []).filter {
                    $0.chunk.lowerBound == chunkStart && $0.level == level
                }
            }
            if group.count < Self.headMergeFanout {
                if group.isEmpty { return }
                level += 1
                continue
            }
            let merged = try HeadPart.merge(
                group, spec: spec, level: level + 1, blockRowCount: options.blockRowCount, cache: blockCache)
            let ids = Set(group.map(\.id))
            state.withLock { s in
                var part = merged
                part.id = s.nextHeadPartID
                if s.heads[key]?.replace(ids, with: part) == true { s.nextHeadPartID += 1 }
            }
            headMergeCount.add(1, ordering: .relaxed)
            level += 1
        }
    }
}
