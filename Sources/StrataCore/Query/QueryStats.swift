/// Work counters and phase times of one query: what it read and what it skipped. Counters are
/// exact and stable for the same data and query, so benchmarks can report work as well as time.
public struct QueryStats: Sendable, Hashable, CustomStringConvertible {
    public var segmentsTotal = 0
    public var segmentsScanned = 0
    /// Segments skipped by their time range.
    public var segmentsPruned = 0
    public var blocksScanned = 0
    /// Blocks skipped by zone maps (time) or by an empty row set from the bitmap indexes.
    public var blocksPruned = 0
    public var rowsScanned = 0
    public var rowsMatched = 0
    /// Uncompressed bytes of the blocks decoded (blocks found decoded in the block cache do not count).
    public var bytesDecoded = 0
    public var groups = 0
    public var planNanoseconds: UInt64 = 0
    public var scanNanoseconds: UInt64 = 0
    public var mergeNanoseconds: UInt64 = 0
    public var finishNanoseconds: UInt64 = 0

    public init() {}

    package mutating func add(_ other: QueryStats) {
        segmentsScanned += other.segmentsScanned
        segmentsPruned += other.segmentsPruned
        blocksScanned += other.blocksScanned
        blocksPruned += other.blocksPruned
        rowsScanned += other.rowsScanned
        rowsMatched += other.rowsMatched
        bytesDecoded += other.bytesDecoded
    }

    /// The counters of reading alone (EXPLAIN ANALYZE's `work:` line under a scan).
    package var readingDescription: String {
        "segments \(segmentsScanned)/\(segmentsTotal) scanned (\(segmentsPruned) pruned), "
            + "blocks \(blocksScanned) scanned, \(blocksPruned) pruned, "
            + "rows \(rowsMatched)/\(rowsScanned) matched, \(bytesDecoded) bytes decoded"
    }

    public var description: String {
        func ms(_ ns: UInt64) -> String { String(Double(ns / 10_000) / 100) }
        return "segments \(segmentsScanned)/\(segmentsTotal) scanned (\(segmentsPruned) pruned), "
            + "blocks \(blocksScanned) scanned, \(blocksPruned) pruned, "
            + "rows \(rowsMatched)/\(rowsScanned) matched, \(bytesDecoded) bytes decoded, \(groups) groups; "
            + "plan \(ms(planNanoseconds)) ms, scan \(ms(scanNanoseconds)) ms, merge \(ms(mergeNanoseconds)) ms, "
            + "finish \(ms(finishNanoseconds)) ms"
    }
}

/// Limits on one query's execution (see ``QueryContext``).
public struct QueryOptions: Sendable, Hashable {
    /// Fail with a `limit` error once the query has run this long.
    public var timeout: Duration?
    /// Fail with a `limit` error when the memory the query holds (materialized rows, group and distinct
    /// state, sort buffers, parsed input; estimated) grows past this many bytes. Default:
    /// ``QueryContext/defaultMemoryLimit``, 80% of the machine's memory.
    public var memoryLimit: Int?
    /// Worker threads; default: the machine's active processor count.
    public var parallelism: Int?

    /// The former name of ``memoryLimit``.
    @available(*, deprecated, renamed: "memoryLimit")
    public var memoryBudget: Int? {
        get { memoryLimit }
        set { memoryLimit = newValue }
    }

    public init(timeout: Duration? = nil, memoryLimit: Int? = nil, parallelism: Int? = nil) {
        self.timeout = timeout
        self.memoryLimit = memoryLimit
        self.parallelism = parallelism
    }
}
