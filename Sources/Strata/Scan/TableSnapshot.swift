public import StrataCore
package import StrataStorage
import Synchronization

/// A consistent view of a table: the segments of one catalog version. Appends, compaction and
/// retention that happen later do not change it.
public struct TableSnapshot: Sendable {
    public let spec: TableSpec
    public let catalogVersion: UInt64
    let database: Database
    let entries: [SegmentEntry]

    public var segments: [SegmentInfo] { entries.map(SegmentInfo.init) }

    /// The reader of the `index`-th segment (opened on first use).
    package func reader(_ index: Int) throws(StrataError) -> SegmentReader {
        try database.reader(for: entries[index])
    }

    package var segmentEntries: [SegmentEntry] { entries }
}

extension Table {
    /// Pins the table's current segments.
    public func snapshot() -> TableSnapshot {
        let (entries, version) = database.state.withLock { s in
            (s.catalog.table(named: name)?.segments ?? [], s.catalog.version)
        }
        let ordered = entries.sorted { ($0.chunkStart, $0.id) < ($1.chunkStart, $1.id) }
        return TableSnapshot(spec: spec, catalogVersion: version, database: database, entries: ordered)
    }

    /// Reads rows back, row at a time: the simple scan until the query engine is used.
    ///
    /// - Parameters:
    ///   - columns: stored column names to return (default: all stored columns).
    ///   - timeRange: only segments whose chunk overlaps it, and only rows inside it.
    /// - Returns: the column names and the rows, in segment order (chunk, then segment, then row).
    /// - Throws: `binding` for an unknown column, `corruption` if a segment read fails its checksum.
    public func scan(columns: [String]? = nil, timeRange: Range<Int64>? = nil) throws(StrataError) -> ScanResult {
        try snapshot().scan(columns: columns, timeRange: timeRange)
    }
}

extension TableSnapshot {
    public func scan(columns: [String]? = nil, timeRange: Range<Int64>? = nil) throws(StrataError) -> ScanResult {
        let stored = spec.storedColumns
        let names = columns ?? stored.map(\.name)
        var positions: [Int] = []
        for name in names {
            guard let p = stored.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                var message = "no column '\(name)' in table '\(spec.name)'"
                if let s = NameSuggestion.closest(to: name, among: stored.map(\.name)) {
                    message += "; did you mean '\(s)'?"
                }
                throw StrataError(.binding, message)
            }
            positions.append(p)
        }
        var rows: [[Value]] = []
        for (i, entry) in entries.enumerated() {
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
                let times = try reader.int64Block(column: 0, block: block).values
                let data = try columnIndexes.map { c throws(StrataError) in
                    try reader.columnBlock(column: c, block: block)
                }
                for r in times.indices {
                    if let timeRange, !timeRange.contains(times[r]) { continue }
                    rows.append(zip(positions, data).map { p, d in d.value(at: r, type: stored[p].type) })
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
