public import StrataCore
import StrataExecution
public import StrataStorage

extension TableSnapshot {
    /// Runs a native query on this snapshot.
    /// - Throws: `binding` for unknown columns, `type` for mismatched literals, `corruption` on a bad
    ///   block, `limit` past the timeout or memory limit.
    public func execute(_ query: Query, options: QueryOptions = QueryOptions()) throws(StrataError) -> QueryResult {
        try execute(query, options: options, context: QueryContext(options: options))
    }

    /// Runs a native query; cancelling the calling task stops it at the next block with a `cancelled` error.
    public func execute(_ query: Query, options: QueryOptions = QueryOptions()) async throws(StrataError)
        -> QueryResult
    {
        let context = QueryContext(options: options)
        let result = await withTaskCancellationHandler {
            Result { () throws(StrataError) -> QueryResult in try execute(query, options: options, context: context) }
        } onCancel: {
            context.cancel()
        }
        return try result.get()
    }

    /// Runs a native query under `context` (its timeout, memory limit and cancellation); `options` gives
    /// the parallelism.
    ///
    /// The query runs on the vectorized pipeline (``QueryPlan``), in two steps so that the statistics can
    /// tell the groups from the rows returned: the scan and aggregation, then the steps over its rows.
    public func execute(_ query: Query, options: QueryOptions = QueryOptions(), context: QueryContext)
        throws(StrataError) -> QueryResult
    {
        try context.check()
        let clock = ContinuousClock()
        let start = clock.now
        let counters = ScanCounters()
        let plan = try QueryPlan(query, snapshot: self, counters: counters)
        let planned = clock.now
        var rows = try plan.aggregation.run(context: context, options: options)
        let aggregated = clock.now
        let groups = rows.count
        // The rows are accounted while held; the caller holds the result.
        var width = plan.aggregation.columns.count
        if plan.hasSteps {
            context.release(bytes: RowMemory.bytes(rows: rows.count, columns: width))
            let shaped = plan.shaped(.values(columns: plan.aggregation.columns, rows: rows))
            rows = try shaped.run(context: context, options: options)
            width = shaped.columns.count
        }
        context.release(bytes: RowMemory.bytes(rows: rows.count, columns: width))
        var stats = counters.total
        stats.segmentsTotal = segmentEntries.count
        stats.groups = groups
        let end = clock.now
        stats.planNanoseconds = Self.nanoseconds(planned - start)
        stats.scanNanoseconds = Self.nanoseconds(aggregated - planned)
        stats.finishNanoseconds = Self.nanoseconds(end - aggregated)
        return QueryResult(columns: plan.columns, rows: plan.converted(rows), stats: stats)
    }

    static func nanoseconds(_ d: Duration) -> UInt64 {
        let (s, a) = d.components
        return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, a) / 1_000_000_000)
    }
}
