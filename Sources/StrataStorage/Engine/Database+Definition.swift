package import StrataCore
import Synchronization

/// SQL's definitions: a table created with its first rows (`CREATE TABLE … AS query`), a table replaced by another
/// (`CREATE OR REPLACE TABLE`), and views; each change is one catalog publish.
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
            throw StrataError(
                .unsupported, "table '\(spec.name)': tables with table dictionaries are created by createTable")
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
                if let view = catalog.view(named: spec.name) {
                    throw StrataError(.alreadyExists, "a view named '\(view.name)' already exists")
                }
                if let index = catalog.tables.firstIndex(where: { $0.spec.name.lowercased() == spec.name.lowercased() })
                {
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

    /// Names of the views, sorted.
    public var viewNames: [String] { state.withLock { ($0.catalog.views ?? []).map(\.name).sorted() } }

    /// The view named `name` (case-insensitive), if there is one.
    public func view(named name: String) -> ViewEntry? { state.withLock { $0.catalog.view(named: name) } }

    /// Stores a view: a name for the query `sql` (checked by the caller, which plans it).
    /// - Throws: `schema` for an invalid name, `alreadyExists` if a table has the name, or a view and not `replacing`.
    package func createView(named name: String, sql: String, replacing: Bool) throws(StrataError) {
        try checkWritable()
        guard TableSpec.isValidName(name), name.utf8.count <= TableSpec.maxNameLength else {
            throw StrataError(
                .schema, "'\(name)' is not a valid view name (letters, digits, '_', not starting with a digit)")
        }
        try publishLock.withLock { _ throws(StrataError) in
            var catalog = state.withLock { $0.catalog }
            if let table = catalog.table(named: name) {
                throw StrataError(.alreadyExists, "a table named '\(table.spec.name)' already exists")
            }
            var views = catalog.views ?? []
            if let index = views.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
                guard replacing else { throw StrataError(.alreadyExists, "view '\(views[index].name)' already exists") }
                views.remove(at: index)
            }
            views.append(ViewEntry(name: name, sql: sql))
            catalog.views = views
            try publish(catalog)
        }
    }

    /// Removes a view.
    /// - Throws: `notFound` when there is no view of that name.
    package func dropView(named name: String) throws(StrataError) {
        try checkWritable()
        try publishLock.withLock { _ throws(StrataError) in
            var catalog = state.withLock { $0.catalog }
            guard let index = catalog.views?.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw StrataError(.notFound, "no view named '\(name)'")
            }
            catalog.views?.remove(at: index)
            if catalog.views?.isEmpty == true { catalog.views = nil }
            try publish(catalog)
        }
    }
}

extension Database {
    /// New rows for one time chunk of a table: its stored segments are replaced by segments of `rows`.
    package struct ChunkRewrite {
        package var chunkStart: Int64
        /// The chunk's rows from now on, by input column name (none: the chunk is emptied).
        package var rows: ColumnBatch

        package init(chunkStart: Int64, rows: ColumnBatch) {
            self.chunkStart = chunkStart
            self.rows = rows
        }
    }

    /// Rewrites chunks of `table` as a new version (`DELETE`, `TRUNCATE`): flushes the table's head, hands
    /// `rewrite` a snapshot of the stored segments alone (no head part: rows appended from here on are not the
    /// statement's), writes the rows it returns per chunk as synced segments, then publishes them in place of
    /// the chunks' old segments in one catalog version and removes the old files. Flushes, compactions and
    /// retention wait meanwhile (the maintenance lock), so the chunks cannot change under the rewrite; a crash at
    /// any point leaves the old version or the new one, and log replay cannot bring a removed row back (the
    /// flush moved the table's log checkpoint past every row the snapshot holds).
    /// - Returns: what `rewrite` returned besides the chunks.
    package func rewriteChunks<Answer>(
        of table: Table, _ rewrite: (TableSnapshot) throws(StrataError) -> (chunks: [ChunkRewrite], answer: Answer)
    ) throws(StrataError) -> Answer {
        try checkWritable()
        let key = table.name.lowercased()
        return try maintenanceLock.withLock { _ throws(StrataError) -> Answer in
            try flushHead(key)
            try wal.sync()
            let full = snapshot(name: table.name, spec: table.spec)
            let stored = TableSnapshot(
                spec: full.spec, catalogVersion: full.catalogVersion, logSequence: full.logSequence, owner: self,
                parts: full.parts.filter { !$0.isHead })
            let (chunks, answer) = try rewrite(stored)
            let starts = Set(chunks.map(\.chunkStart))
            let replaced = stored.entries.filter { starts.contains($0.chunkStart) }
            guard !replaced.isEmpty else { return answer }
            var added: [SegmentEntry] = []
            for chunk in chunks where chunk.rows.rowCount > 0 {
                added += try table.writeSegments(try BatchEncoder.encode(chunk.rows, spec: table.spec))
            }
            let oldIDs = Set(replaced.map(\.id))
            try publishLock.withLock { _ throws(StrataError) in
                var catalog = state.withLock { $0.catalog }
                guard let index = catalog.tables.firstIndex(where: { $0.spec.name.lowercased() == key }),
                    catalog.tables[index].segments.count(where: { oldIDs.contains($0.id) }) == oldIDs.count
                else {
                    throw StrataError(.internal, "segments of table '\(table.name)' changed during the rewrite")
                }
                catalog.tables[index].segments.removeAll { oldIDs.contains($0.id) }
                catalog.tables[index].segments += Table.published(added, version: catalog.version + 1)
                try publish(catalog)
            }
            if crashPoint.withLock({ $0 }) == .beforeSegmentRemoval {
                throw StrataError(.io, "simulated crash before removing segment files")
            }
            removeSegmentFiles(replaced)
            return answer
        }
    }
}
