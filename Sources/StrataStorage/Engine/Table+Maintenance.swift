public import StrataCore
import Synchronization

extension Table {
    /// Writes the table's head (recent appends held in memory) to immutable segments, one per time
    /// chunk, published in one catalog version; the write-ahead log records they hold are retired.
    /// Queries see the same rows before and after.
    /// - Throws: `io` if writing or publishing fails (the head and the log keep the rows).
    public func flush() throws(StrataError) {
        try database.checkWritable()
        try database.maintenanceLock.withLock { _ throws(StrataError) in
            try database.flushHead(name.lowercased())
        }
        try database.wal.sync()
    }

    /// Merges, per time chunk, the table's stored segments into one segment of a new version (rows
    /// re-sorted and, with rollup, re-rolled-up), published atomically; the old files are removed
    /// afterwards (snapshots taken before keep reading them). Head segments are not touched: call
    /// ``flush()`` first to include them.
    /// - Parameter minimumSegments: only chunks with at least this many segments are rewritten.
    /// - Returns: what was compacted.
    /// - Throws: `io` if writing or publishing fails, `corruption` if a segment fails its checksum;
    ///   the table is unchanged then.
    /// - Complexity: O(rows of the compacted chunks × log of the same).
    @discardableResult
    public func compact(minimumSegments: Int = 2) throws(StrataError) -> CompactionReport {
        try database.checkWritable()
        return try database.maintenanceLock.withLock { _ throws(StrataError) in
            try database.compact(name.lowercased(), minimumSegments: max(2, minimumSegments))
        }
    }

    /// Drops the stored time chunks that end more than ``TableSpec/retentionDays`` days before the
    /// table's newest row (does nothing without a retention period). Also runs after every flush.
    /// - Returns: the number of segments dropped.
    @discardableResult
    public func applyRetention() throws(StrataError) -> Int {
        try database.checkWritable()
        return try database.maintenanceLock.withLock { _ throws(StrataError) in
            try database.applyRetention(name.lowercased())
        }
    }
}
