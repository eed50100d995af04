public import StrataCore
import StrataExecution
import StrataPlanner
public import StrataStorage
import Synchronization

extension Table {
    /// Reads rows back, row at a time: the simple scan until the query engine is used.
    ///
    /// - Parameters:
    ///   - columns: stored column names to return (default: all stored columns).
    ///   - timeRange: only segments whose chunk overlaps it, and only rows inside it (ignored for a table
    ///     without time).
    /// - Returns: the column names and the rows, in segment order (chunk, then segment, then row).
    /// - Throws: `binding` for an unknown column, `corruption` if a segment read fails its checksum.
    public func scan(columns: [String]? = nil, timeRange: Range<Int64>? = nil) throws(StrataError) -> ScanResult {
        try snapshot().scan(columns: columns, timeRange: timeRange)
    }
}

extension TableSnapshot {
    /// Reads rows back, row at a time. See ``Table/scan(columns:timeRange:)``.
    public func scan(columns: [String]? = nil, timeRange: Range<Int64>? = nil) throws(StrataError) -> ScanResult {
        try scan(columns: columns, timeRange: timeRange, context: QueryContext())
    }

    /// Reads rows back under `context`: checked once per block; the rows read count against its memory
    /// limit while the scan runs (the caller accounts them once they are returned). With `limit`, stops
    /// reading once that many rows are read.
    /// - Throws: as ``scan(columns:timeRange:)``, and `limit` or `cancelled`.
    public func scan(
        columns: [String]? = nil, timeRange: Range<Int64>? = nil, limit: Int? = nil, context: QueryContext
    ) throws(StrataError) -> ScanResult {
        let stored = spec.storedColumns
        let names = columns ?? spec.visibleColumns.map(\.name)
        // Every row of a table without time is at the epoch: a time range does not apply to it.
        let timeRange = spec.hasTime ? timeRange : nil
        var positions: [Int] = []
        for name in names { positions.append(try spec.position(of: name)) }
        var rows: [[Value]] = []
        var held = 0
        defer { context.release(bytes: held) }
        segments: for (i, entry) in entries.enumerated() {
            if let limit, rows.count >= limit { break }
            if let timeRange, entry.maxTime < timeRange.lowerBound || entry.minTime >= timeRange.upperBound { continue }
            let reader = try reader(i)
            let columnIndexes = try positions.map { p throws(StrataError) in
                guard let c = reader.footer.columnIndex(named: stored[p].name) else {
                    throw StrataError(
                        .corruption, "segment lacks column '\(stored[p].name)'", location: .init(file: reader.name))
                }
                return c
            }
            for block in 0..<reader.blockCount {
                if let limit, rows.count >= limit { break segments }
                try context.account(&held, to: RowMemory.bytes(rows: rows.count, columns: positions.count))
                let times = try reader.int64Block(column: 0, block: block).values
                let data = try columnIndexes.map { c throws(StrataError) in
                    try reader.columnBlock(column: c, block: block)
                }
                for r in times.indices {
                    if let timeRange, !timeRange.contains(times[r]) { continue }
                    rows.append(zip(positions, data).map { p, d in d.value(at: r, type: stored[p].type) })
                    if let limit, rows.count >= limit { break segments }
                }
            }
        }
        return ScanResult(columns: names, rows: rows)
    }
}

/// Rows returned by a scan.
public struct ScanResult: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[Value]]
}
