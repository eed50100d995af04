import StrataCore
import Synchronization

extension Database {
    /// Rebuilds the heads from the log records that the catalog's segments do not hold yet: per
    /// table, the records after its checkpoint, concatenated and split into one part per time chunk.
    /// Records of tables that no longer exist, or that do not match the table's columns (a table
    /// dropped and created again under the same name), are skipped.
    func replay(_ records: [WALRecord]) throws(StrataError) {
        guard !records.isEmpty else { return }
        let tables = state.withLock { $0.catalog.tables }
        var byTable: [String: [WALRecord]] = [:]
        for record in records { byTable[record.table.lowercased(), default: []].append(record) }
        for table in tables {
            let key = table.spec.name.lowercased()
            let checkpoint = table.walCheckpoint ?? 0
            let pending = (byTable[key] ?? []).filter {
                $0.sequence > checkpoint && Self.matches($0.columns, table.spec)
            }
            // A table with a damaged dictionary file keeps its records in the log until repaired.
            guard let newest = pending.last?.sequence, dictionaryDamage(of: key) == nil else { continue }
            for record in pending { try Self.checkTimes(record, table.spec) }
            let input = table.spec.storedInputColumns.indices.map { c in ColumnData.concatenate(pending.map { $0.columns[c] })
            }
            var parts: [HeadPart] = []
            for (chunk, chunkInput) in try ChunkSplit.split(input, spec: table.spec) {
                let stored = SegmentBuilder.build(
                    spec: table.spec, data: try initialStates(spec: table.spec, input: chunkInput))
                var part = try HeadPart(
                    spec: table.spec, stored: stored, chunk: chunk, level: Self.replayedLevel,
                    blockRowCount: options.blockRowCount, cache: blockCache,
                    dictionaries: tableDictionaryResolver(table.spec.name))
                part.sequence = newest
                parts.append(part)
            }
            state.withLock { s in
                for var part in parts {
                    part.id = s.nextHeadPartID
                    s.nextHeadPartID += 1
                    s.heads[key, default: TableHead()].append(part)
                }
            }
        }
    }

    /// Replayed parts are large already; head merges leave them alone (the next flush writes them).
    static let replayedLevel = 1_000

    /// Refuses a record with a timestamp outside the years 0001-9999. Appends check this before
    /// logging, so only a damaged or crafted log holds one; replaying it would trap in the calendar
    /// arithmetic of chunk splitting (`Int64.min` overflows when truncated to a day).
    static func checkTimes(_ record: WALRecord, _ spec: TableSpec) throws(StrataError) {
        for (data, column) in zip(record.columns, spec.storedInputColumns) where column.type.physical == .timestamp {
            guard case .int64(let times, let validity) = data,
                let row = times.indices.first(where: { r in
                    (times[r] < Timestamp.minimum || times[r] > Timestamp.maximum) && validity.map { $0[r] } ?? true
                })
            else { continue }
            throw StrataError(
                .corruption,
                "write-ahead log record \(record.sequence) of table '\(spec.name)' is corrupt: row \(row + 1), "
                    + "column '\(column.name)': timestamp \(times[row]) is out of range (years 0001-9999)")
        }
    }

    static func matches(_ columns: [ColumnData], _ spec: TableSpec) -> Bool {
        guard columns.count == spec.storedInputColumns.count, let rows = columns.first?.count else { return false }
        for (data, column) in zip(columns, spec.storedInputColumns) {
            guard data.count == rows else { return false }
            switch (data, column.type.physical) {
            case (.int64, .int64), (.int64, .timestamp), (.double, .double), (.bool, .bool), (.string, .string):
                continue
            default:
                return false
            }
        }
        return true
    }
}
