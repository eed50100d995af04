public import StrataCore
import StrataExecution
import StrataStorage

extension TableSnapshot {
    /// Runs a scan query: rows matching the filter and intervals, selected columns, with offset and limit.
    /// Stops reading as soon as the limit is reached.
    /// - Throws: `binding` for unknown columns, `type` for mismatched literals, `corruption` on a bad block,
    ///   `limit` past the timeout or memory limit of `options`.
    public func execute(_ scan: ScanQuery, options: QueryOptions = QueryOptions()) throws(StrataError) -> QueryResult {
        try execute(scan, context: QueryContext(options: options))
    }

    /// Runs a scan query under `context`: checked once per block; the rows read count against its memory
    /// limit while the scan runs (the caller accounts them once they are returned).
    public func execute(_ scan: ScanQuery, context: QueryContext) throws(StrataError) -> QueryResult {
        let names = scan.columns.isEmpty ? spec.storedColumns.map(\.name) : scan.columns
        // Bind the filter and columns as a query that groups by every selected column.
        let probe = Query(
            table: scan.table, intervals: scan.intervals, filter: scan.filter, groupBy: names.map { .column($0) })
        let bound = try QueryBinder.bind(probe, spec: spec)
        let selected = bound.keys.compactMap { key -> BoundColumn? in if case .column(let c) = key { c } else { nil } }
        var rows: [[Value]] = []
        var held = 0
        defer { context.release(bytes: held) }
        var skipped = 0
        let wanted = scan.limit.map { max(0, $0) }
        var stats = QueryStats()
        stats.segmentsTotal = segmentEntries.count
        segments: for (s, entry) in segmentEntries.enumerated() {
            if !scan.intervals.isEmpty,
                !scan.intervals.contains(where: { $0.lowerBound <= entry.maxTime && entry.minTime < $0.upperBound })
            {
                stats.segmentsPruned += 1
                continue
            }
            stats.segmentsScanned += 1
            let reader = try reader(s)
            var index: [Int: Int] = [:]
            for c in bound.needed {
                guard let i = reader.footer.columnIndex(named: c.name) else {
                    throw StrataError(
                        .corruption, "segment lacks column '\(c.name)'", location: .init(file: reader.name))
                }
                index[c.index] = i
            }
            let predicate = try bound.filter.map { f throws(StrataError) in
                try SegmentPredicate.compile(f, bound: bound, reader: reader) { index[$0]! }
            }
            for block in 0..<reader.blockCount {
                if let wanted, rows.count >= wanted { break segments }
                try context.account(&held, to: RowMemory.bytes(rows: rows.count, columns: selected.count))
                if let predicate, !predicate.mayMatch({ reader.footer.columns[index[$0]!].blocks[block] }) {
                    stats.blocksPruned += 1
                    continue
                }
                stats.blocksScanned += 1
                var columns = BlockColumns(rowCount: reader.rowCount(ofBlock: block), data: [:])
                for c in bound.needed {
                    columns.data[c.index] = try reader.decodedBlock(column: index[c.index]!, block: block)
                    if c.hasDictionary {
                        columns.dictionaries[c.index] = try reader.dictionary(column: index[c.index]!)
                    }
                }
                let truth = predicate?.evaluate(columns)
                guard case .int64(let times, _) = columns[0] else { continue }
                stats.rowsScanned += columns.rowCount
                for r in 0..<columns.rowCount {
                    if let truth, truth[r] != Truth.yes { continue }
                    if !scan.intervals.isEmpty, !scan.intervals.contains(where: { $0.contains(times[r]) }) { continue }
                    stats.rowsMatched += 1
                    if skipped < scan.offset {
                        skipped += 1
                        continue
                    }
                    rows.append(selected.map { c in columns.value(c.index, at: r, type: c.type) })
                    if let wanted, rows.count >= wanted { break segments }
                }
            }
        }
        return QueryResult(columns: selected.map { .init(name: $0.name, type: $0.type) }, rows: rows, stats: stats)
    }
}

extension Database {
    /// Runs a scan query on a fresh snapshot of its table.
    public func execute(_ scan: ScanQuery, options: QueryOptions = QueryOptions()) throws(StrataError) -> QueryResult {
        try table(named: scan.table).snapshot().execute(scan, options: options)
    }
}

extension Table {
    /// The smallest and largest timestamp stored, or `nil` for an empty table.
    public var timeBoundary: ClosedRange<Int64>? {
        let segments = self.segments
        guard let lo = segments.map(\.timeRange.lowerBound).min(), let hi = segments.map(\.timeRange.upperBound).max()
        else { return nil }
        return lo...hi
    }
}
