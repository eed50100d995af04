import Dispatch
import StrataCore
import StrataExecution
import StrataStorage
import Synchronization

/// Runs a bound native query over a snapshot. Segments are handed to a fixed number of workers
/// (the machine's cores); each worker scans its segments block by block — prune by time zone maps,
/// evaluate the filter into per-row truth values, map rows to groups, update its own accumulators —
/// and the workers' partial aggregates are merged at the end.
struct QueryExecutor {
    let bound: BoundQuery
    let snapshot: TableSnapshot
    let context: QueryContext
    let parallelism: Int

    func run() throws(StrataError) -> QueryResult {
        let scanStart = ContinuousClock.now
        let entries = snapshot.segmentEntries
        let intervals = bound.query.intervals
        let live = entries.indices.filter { i in
            intervals.isEmpty
                || intervals.contains { $0.lowerBound <= entries[i].maxTime && entries[i].minTime < $0.upperBound }
        }
        let workers = max(1, min(parallelism, live.count))
        // Segments are dealt to workers round-robin and partials merge in worker order, so floating
        // sums add up in the same order every run: the same data gives the same answer, bit for bit
        // (for a given parallelism).
        let partials = Mutex<[PartialAggregation?]>(Array(repeating: nil, count: workers))
        let failure = Mutex<StrataError?>(nil)
        let bound = bound
        let snapshot = snapshot
        let context = context
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var partial = PartialAggregation(bound: bound)
            let worker = SegmentScanner(bound: bound, context: context)
            for k in stride(from: w, to: live.count, by: workers) {
                if failure.withLock({ $0 != nil }) { break }
                do throws(StrataError) {
                    try worker.scan(try snapshot.reader(live[k]), into: &partial)
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
            partials.withLock { $0[w] = partial }
        }
        // The workers' state stays accounted until the result is built.
        let held = partials.withLock { $0.reduce(0) { $0 + ($1?.reservedBytes ?? 0) } }
        defer { context.release(bytes: held) }
        if let error = failure.withLock({ $0 }) { throw error }
        let mergeStart = ContinuousClock.now
        var all = partials.withLock { $0.compactMap { $0 } }
        var result = all.isEmpty ? PartialAggregation(bound: bound) : all.removeFirst()
        for other in all { result.merge(other) }
        var stats = result.stats
        stats.segmentsTotal = entries.count
        stats.segmentsPruned += entries.count - live.count
        let finishStart = ContinuousClock.now
        let shaped = try finish(&result)
        stats.groups = result.presence?.innerGroupCount ?? result.groups.count
        stats.scanNanoseconds = Self.nanoseconds(mergeStart - scanStart)
        stats.mergeNanoseconds = Self.nanoseconds(finishStart - mergeStart)
        stats.finishNanoseconds = Self.nanoseconds(ContinuousClock.now - finishStart)
        var out = shaped
        out.stats = stats
        return out
    }

    static func nanoseconds(_ d: Duration) -> UInt64 {
        let (s, a) = d.components
        return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, a) / 1_000_000_000)
    }

    private func finish(_ partial: inout PartialAggregation) throws(StrataError) -> QueryResult {
        // An ungrouped aggregate answers one row even over no input (count 0, others NULL).
        if bound.keys.isEmpty, partial.groups.count == 0, !bound.aggregations.isEmpty {
            _ = partial.groups.group(GroupTable.Key())
        }
        for a in partial.accumulators { a.grow(to: partial.groups.count) }
        if let regroup = bound.query.regroup { return finish(&partial, regroup: regroup) }
        let rowBytes = RowMemory.bytes(rows: partial.groups.count, columns: bound.keys.count + bound.aggregations.count)
        try context.reserve(bytes: rowBytes)
        defer { context.release(bytes: rowBytes) }
        var rows: [[Value]] = []
        rows.reserveCapacity(partial.groups.count)
        // One array per row (not the keys', the results' and their concatenation): 448,000 groups
        // per query are common (per-user statistics).
        partial.groups.nameTableCodes()
        let keyCount = partial.groups.positions.count
        for g in 0..<partial.groups.count {
            var row: [Value] = []
            row.reserveCapacity(keyCount + partial.accumulators.count)
            let key = partial.groups.keys[g]
            for p in 0..<keyCount { row.append(partial.groups.positions[p].values[Int(key[p])]) }
            for a in partial.accumulators { row.append(a.result(g)) }
            rows.append(row)
        }
        var columns: [QueryResult.Column] = []
        for (i, key) in bound.keys.enumerated() {
            let type: DataType? =
                switch key {
                case .column(let c): c.type
                default: .timestamp
                }
            columns.append(.init(name: bound.query.groupBy[i].name, type: type))
        }
        for (a, acc) in zip(bound.aggregations, partial.accumulators) {
            columns.append(.init(name: a.aggregation.name, type: acc.resultType))
        }
        rows = try ResultFinisher.fillGaps(rows, query: bound.query, columns: columns)
        (rows, columns) = try ResultFinisher.postAggregate(rows, query: bound.query, columns: columns)
        return try ResultShaper.shape(QueryResult(columns: columns, rows: rows), query: bound.query)
    }

    /// The rows of a regrouped query: outer keys, then the regroup's outputs (the SQL planner checked that
    /// the query has no HAVING, ORDER BY, LIMIT, gap filling or post-aggregation of its own).
    private func finish(_ partial: inout PartialAggregation, regroup: Regroup) -> QueryResult {
        var columns: [QueryResult.Column] = []
        for p in regroup.keys {
            let type: DataType? =
                switch bound.keys[p] {
                case .column(let c): c.type
                default: .timestamp
                }
            columns.append(.init(name: bound.query.groupBy[p].name, type: type))
        }
        for (i, output) in regroup.outputs.enumerated() {
            let type: DataType? =
                switch output {
                case .count: .int64
                case .sum(let a): partial.accumulators[a].resultType
                case .sumOfSquares: .double
                }
            columns.append(.init(name: "regroup_\(i)", type: type))
        }
        if let sparse = bound.sparseRegroup, partial.presence != nil {
            return QueryResult(columns: columns, rows: sparse.rows(&partial.presence!, regroup: regroup))
        }
        return QueryResult(columns: columns, rows: regroup.rows(&partial))
    }
}
