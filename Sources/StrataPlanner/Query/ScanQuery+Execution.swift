public import StrataCore
import StrataExecution
public import StrataStorage

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
    ///
    /// One pipeline scan in segment order: the filter and intervals run in it, and it stops once it has the
    /// offset's and the limit's rows.
    public func execute(_ scan: ScanQuery, context: QueryContext) throws(StrataError) -> QueryResult {
        let stored = spec.storedColumns
        let names = scan.columns.isEmpty ? spec.visibleColumns.map(\.name) : scan.columns
        var selected: [Int] = []
        for name in names { selected.append(try spec.valueColumn(name)) }
        var conjuncts: [BoundExpression] = []
        if let filter = scan.filter {
            conjuncts.append(try filter.bound(in: spec))
        }
        // A table without time has every row at the epoch: intervals do not apply to it.
        let (timeRange, inIntervals) =
            spec.hasTime ? TimeBounds.of(scan.intervals, time: stored[0].name) : (nil, nil)
        if let inIntervals { conjuncts.insert(inIntervals, at: 0) }
        let filter: BoundExpression? = conjuncts.isEmpty ? nil : conjuncts.count == 1 ? conjuncts[0] : .and(conjuncts)
        // The scan's columns: the selected ones, then any other the filter reads.
        var read = selected
        for p in (filter?.columns ?? []).sorted() where !read.contains(p) { read.append(p) }
        var position: [Int: Int] = [:]
        for (i, p) in read.enumerated() where position[p] == nil { position[p] = i }
        let counters = ScanCounters()
        var node = ScanNode(snapshot: self, storedColumns: read, timeRange: timeRange)
        node.indexFilters = filter.map { SQLPlanner.indexFilters(of: $0, stored: stored) } ?? []
        node.filter = filter?.remapped { position[$0] ?? $0 }
        node.counters = counters
        let limit = scan.limit.map { max(0, $0) }
        let offset = max(0, scan.offset)
        if let limit {
            let (end, overflow) = limit.addingReportingOverflow(offset)
            node.rowLimit = overflow ? nil : end
        }
        var plan = PlanNode.scan(node)
        if read.count > selected.count {
            let columns = node.columns
            plan = .project(
                plan, selected.indices.map { .column($0, columns[$0].type, name: columns[$0].name) },
                columns: Array(columns.prefix(selected.count)))
        }
        if limit != nil || offset > 0 { plan = .limit(plan, limit: limit, offset: offset) }
        let rows = try plan.run(context: context)
        context.release(bytes: RowMemory.bytes(rows: rows.count, columns: plan.columns.count))
        var stats = counters.total
        stats.segmentsTotal = segmentEntries.count
        return QueryResult(
            columns: selected.map { .init(name: stored[$0].name, type: stored[$0].type) }, rows: rows, stats: stats)
    }
}
