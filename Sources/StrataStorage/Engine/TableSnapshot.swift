public import StrataCore
import Synchronization

/// A consistent view of a table: the segments of one catalog version plus the head segments
/// (recent appends, in memory) as of the same moment. Appends, flushes, compaction and retention
/// that happen later do not change it; it keeps the segments it reads alive (files removed by a
/// later compaction stay readable through it).
public struct TableSnapshot: Sendable {
    public let spec: TableSpec
    public let catalogVersion: UInt64
    /// The write-ahead log sequence number of the newest append the snapshot sees.
    public let logSequence: UInt64
    /// Whoever made the snapshot (the database), kept alive as long as the snapshot is.
    let owner: any Sendable
    package let parts: [Part]
    package let entries: [SegmentEntry]
    /// ``distinctEstimate(column:)`` by column, once read (the planner asks for a column many times).
    private let distinctEstimates = DistinctEstimates()

    /// One segment of the snapshot: stored (catalog) or in the head.
    package struct Part: Sendable {
        package var entry: SegmentEntry
        /// Opened when the snapshot was taken; an error (a damaged file) is reported on use.
        package var reader: Result<SegmentReader, StrataError>
        package var isHead: Bool

        package init(entry: SegmentEntry, reader: Result<SegmentReader, StrataError>, isHead: Bool) {
            self.entry = entry
            self.reader = reader
            self.isHead = isHead
        }
    }

    package init(spec: TableSpec, catalogVersion: UInt64, logSequence: UInt64, owner: any Sendable, parts: [Part]) {
        self.spec = spec
        self.catalogVersion = catalogVersion
        self.logSequence = logSequence
        self.owner = owner
        self.parts = parts
        self.entries = parts.map(\.entry)
    }

    /// The snapshot's segments, head segments included (``SegmentInfo/isHead``).
    public var segments: [SegmentInfo] { parts.map { SegmentInfo($0.entry, isHead: $0.isHead) } }

    /// The reader of the `index`-th segment.
    package func reader(_ index: Int) throws(StrataError) -> SegmentReader {
        try parts[index].reader.get()
    }

    /// The segments in read order: by time chunk, stored segments before head segments.
    package var segmentEntries: [SegmentEntry] { entries }

    /// The most entries a dictionary of stored string column `position` has in one segment (a table-wide
    /// dictionary's, when the column has one); `nil` when a segment cannot be read (the query reports it).
    package func largestDictionary(column position: Int) -> Int? {
        let name = spec.storedColumns[position].name
        var largest = 0
        for i in parts.indices {
            guard let reader = try? reader(i), let c = reader.footer.columnIndex(named: name) else { return nil }
            if reader.footer.columns[c].column.tableDictionary {
                guard let dictionary = try? reader.dictionary(column: c) else { return nil }
                return dictionary.count
            }
            largest = Swift.max(largest, Int(reader.footer.columns[c].dictionary?.count ?? 0))
        }
        return largest
    }

    /// About how many distinct values stored column `position` holds, from what its segments record (for
    /// a join order's estimates): integers, timestamps and decimals the span of their zone maps, strings the
    /// sum of their segments' dictionary sizes (a table dictionary's size), either at most the column's
    /// non-NULL rows. `nil` for other types, or when a segment cannot be read or lacks a zone map.
    package func distinctEstimate(column position: Int) -> Int? {
        if let known = distinctEstimates.values.withLock({ $0[position] }) { return known }
        let estimate = readDistinctEstimate(column: position)
        distinctEstimates.values.withLock { $0[position] = estimate }
        return estimate
    }

    private func readDistinctEstimate(column position: Int) -> Int? {
        let stored = spec.storedColumns[position]
        var present = 0
        var dictionaries = 0
        var (low, high) = (Int64.max, Int64.min)
        for i in parts.indices {
            guard let reader = try? reader(i), let c = reader.footer.columnIndex(named: stored.name) else {
                return nil
            }
            let descriptor = reader.footer.columns[c]
            for block in descriptor.blocks {
                let rows = Int(block.rowCount) - Int(block.nullCount)
                present += rows
                guard rows > 0, stored.type != .string else { continue }
                guard block.hasRange else { return nil }
                (low, high) = (Swift.min(low, block.minInt), Swift.max(high, block.maxInt))
            }
            if stored.type == .string {
                if descriptor.column.tableDictionary {
                    guard let dictionary = try? reader.dictionary(column: c) else { return nil }
                    dictionaries = dictionary.count
                } else {
                    dictionaries += Int(descriptor.dictionary?.count ?? 0)
                }
            }
        }
        switch stored.type {
        case .string:
            return Swift.min(present, dictionaries)
        case .int64, .timestamp, .decimal, .date:
            guard low <= high else { return 0 }
            var (span, overflow) = high.subtractingReportingOverflow(low)
            // A DATE is stored at its midnight: one value per day.
            if stored.type == .date { span /= Timestamp.millisecondsPerDay }
            return overflow || span >= Int64(present) ? present : Int(span) + 1
        default:
            return nil
        }
    }
}

extension Table {
    /// Pins the table's current segments and head.
    public func snapshot() -> TableSnapshot {
        database.snapshot(name: name, spec: spec)
    }
}

extension Database {
    func snapshot(name: String, spec: TableSpec) -> TableSnapshot {
        let key = name.lowercased()
        return removalLock.withLock { _ in
            let (entries, cached, heads, version, sequence) = state.withLock { s in
                let entries = s.catalog.table(named: name)?.segments ?? []
                // Read under the state lock: a part joins the head before its sequence becomes durable.
                let visible = wal.durableSequence
                let heads = s.heads[key]?.visible(through: visible) ?? []
                return (entries, entries.map { s.readers[$0.file] }, heads, s.catalog.version, visible)
            }
            var parts: [TableSnapshot.Part] = []
            parts.reserveCapacity(entries.count + heads.count)
            // A table whose dictionary file is damaged answers nothing: every read reports the file.
            let damage = dictionaryDamage(of: name)
            for (entry, reader) in zip(entries, cached) {
                let opened =
                    damage.map { Result<SegmentReader, StrataError>.failure($0) }
                    ?? reader.map { Result<SegmentReader, StrataError>.success($0) }
                    ?? Result { () throws(StrataError) -> SegmentReader in try self.reader(for: entry) }
                parts.append(.init(entry: entry, reader: opened, isHead: false))
            }
            for head in heads {
                parts.append(.init(entry: head.entry(table: name), reader: .success(head.reader), isHead: true))
            }
            parts.sort {
                ($0.entry.chunkStart, $0.isHead ? 1 : 0, $0.entry.id) < (
                    $1.entry.chunkStart, $1.isHead ? 1 : 0, $1.entry.id
                )
            }
            return TableSnapshot(
                spec: spec, catalogVersion: version, logSequence: sequence, owner: self, parts: parts)
        }
    }
}

/// A snapshot's distinct estimates by stored column (`nil` inside: known not to be estimable).
private final class DistinctEstimates: Sendable {
    let values = Mutex<[Int: Int?]>([:])
}
