package import StrataCore
import Synchronization

/// SQL's table definitions: a table created with its first rows (`CREATE TABLE … AS query`), and a table
/// replaced by another (`CREATE OR REPLACE TABLE`), each in one catalog publish.
extension Database {
    /// Creates `spec`'s table holding the rows of `batch` (its input columns by name), or with `replacing`,
    /// replaces the table of that name (its segments, head and log records) if there is one.
    ///
    /// The rows are written as synced segments first, then one catalog version publishes the table with
    /// them (and without the table it replaces): a crash or an error at any point leaves the catalog as
    /// it was, or with the complete new table.
    /// - Returns: the table and the rows it holds (after rollup).
    /// - Throws: `schema` for an invalid spec, `ingest` or `type` for rows that do not fit it, `alreadyExists` if the name is taken and `replacing` is false,
    ///   `unsupported` to replace a table that has table dictionaries, `io` if storing fails.
    package func createTable(_ spec: TableSpec, rows batch: ColumnBatch, replacing: Bool) throws(StrataError)
        -> (table: Table, rows: Int)
    {
        try spec.validate()
        try checkWritable()
        guard !spec.storedColumns.contains(where: \.tableDictionary) else {
            throw StrataError(.unsupported, "table '\(spec.name)': tables with table dictionaries are created by createTable")
        }
        func existing() -> TableEntry? { state.withLock { $0.catalog.table(named: spec.name) } }
        if let old = existing() {
            guard replacing else { throw StrataError(.alreadyExists, "table '\(old.spec.name)' already exists") }
            guard !old.spec.storedColumns.contains(where: \.tableDictionary) else {
                throw StrataError(
                    .unsupported, "table '\(old.spec.name)' has table dictionaries: drop it before creating it again")
            }
        }
        let table = Table(database: self, name: spec.name, spec: spec)
        let entries = batch.rowCount == 0 ? [] : try table.writeSegments(try BatchEncoder.encode(batch, spec: spec))
        var removed: TableEntry?
        try maintenanceLock.withLock { _ throws(StrataError) in
            try publishLock.withLock { _ throws(StrataError) in
                var catalog = state.withLock { $0.catalog }
                if let index = catalog.tables.firstIndex(where: { $0.spec.name.lowercased() == spec.name.lowercased() }) {
                    guard replacing else {
                        throw StrataError(.alreadyExists, "table '\(catalog.tables[index].spec.name)' already exists")
                    }
                    removed = catalog.tables.remove(at: index)
                }
                // Log records of the table replaced (or of an earlier table of the same name) are not this table's.
                let entry = TableEntry(
                    spec: spec, segments: Table.published(entries, version: catalog.version + 1),
                    walCheckpoint: wal.assignedSequence)
                catalog.tables.append(entry)
                try publish(catalog) { $0.heads[spec.name.lowercased()] = nil }
            }
            if let removed { removeSegmentFiles(removed.segments) }
        }
        if removed != nil { retireLog() }
        return (table, entries.reduce(0) { $0 + $1.rowCount })
    }
}
