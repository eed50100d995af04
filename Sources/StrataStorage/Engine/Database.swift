public import StrataCore
package import Synchronization

/// A Strata database: a directory of segments, a catalog and a write-ahead log, or an in-memory
/// equivalent.
///
/// `Database` is thread-safe; share one instance across threads and tasks. Opening takes an
/// exclusive lock on the directory, released by ``close()`` (or when the instance is deinitialized).
///
/// Small appends go to the write-ahead log and to in-memory head segments (queryable at once) and
/// are flushed to immutable segments later; large ones are written as segments directly (see
/// ``Options/directWriteRows``). Call ``close()`` when done: it flushes the heads. A database that
/// is dropped without closing (or a killed process) loses nothing acknowledged: the next open
/// replays the log.
///
/// ```swift
/// let db = try Database.open(at: "/var/lib/analytics")
/// let events = try db.createTable(spec)
/// try events.append(batch)
/// try db.close()
/// ```
public final class Database: Sendable {
    /// How appends are made durable.
    public enum Durability: Sendable, Hashable {
        /// An append returns once its log record is synced to stable storage: acknowledged appends
        /// survive a killed process and a power loss. Concurrent appenders share syncs (group commit).
        case fsync
        /// An append returns once its log record is written to the operating system: it survives a
        /// killed process, but a power loss (or an operating system crash) can drop the appends made
        /// since the last sync. Syncs happen on ``Database/flush()``, ``Table/flush()``, head flushes
        /// and ``Database/close()``.
        case buffered
    }

    /// Settings of an open database.
    public struct Options: Sendable {
        /// Rows per stored block.
        public var blockRowCount: Int = 16_384
        /// fsync segment files before they are published (disable only for tests and throwaway data;
        /// the catalog is always synced).
        public var synchronous: Bool = true
        /// Bytes of decoded blocks kept in memory for repeated queries; 0 disables the cache.
        public var blockCacheBytes: Int = 256 << 20
        /// How appends below ``directWriteRows`` are made durable.
        public var durability: Durability = .fsync
        /// Appends (and ingest calls) of at least this many rows skip the log and the head: their rows
        /// are written as segments (one per time chunk), synced and published before the call
        /// returns. A synced, published segment is as durable as a log record, so large loads are
        /// written once, not twice. Smaller appends are logged and go to the head.
        public var directWriteRows: Int = 16_384
        /// A table's head is flushed to segments when it holds this many rows (after rollup)…
        public var headRowLimit: Int = 1_000_000
        /// …or this many bytes of in-memory segments.
        public var headByteLimit: Int = 64 << 20
        /// Heads are also flushed in the background this often (`nil`: only at the limits, on
        /// `flush()` and on `close()`).
        public var flushInterval: Duration? = .seconds(60)
        /// After a flush, a time chunk with this many segments or more is compacted into one
        /// (`nil`: only ``Table/compact()`` compacts).
        public var compactionSegmentCount: Int? = 16

        public init() {}
    }

    /// Counters of the storage work done since open.
    public struct Statistics: Sendable, Hashable {
        /// Appends written to the write-ahead log.
        public var logAppends: Int
        /// Syncs of the write-ahead log (with group commit, fewer than the appends under concurrency).
        public var logSyncs: Int
        /// Log files on disk.
        public var logFiles: Int
        /// Head flushes that published segments.
        public var headFlushes: Int
        /// Merges of small in-memory head segments.
        public var headMerges: Int
        /// Time chunks compacted.
        public var compactions: Int
    }

    /// Points at which a test can make a write stop as if the process had died there.
    package enum CrashPoint: Sendable {
        /// After segment files are written (by an append, a flush or a compaction), before the catalog
        /// that references them is published.
        case afterSegmentWrite
        /// After a compaction or retention publishes its catalog, before the old files are removed.
        case beforeSegmentRemoval
    }

    struct State {
        var catalog: Catalog
        var readers: [String: SegmentReader] = [:]
        /// In-memory databases keep segment bytes here, keyed by file name.
        var memorySegments: [String: SegmentBytes] = [:]
        var nextSegmentNumber: UInt64
        /// Head segments per table (lowercased name), in log order.
        var heads: [String: TableHead] = [:]
        var nextHeadPartID: UInt64 = 1
        var closed = false
    }

    /// The directory, or `nil` for an in-memory database.
    public let path: String?
    public let options: Options
    /// Whether this instance may write (see ``AccessMode``).
    public let mode: AccessMode
    /// What opening found and did that the user should know: torn log tails cut, a catalog read from
    /// its copy. Empty after a clean open.
    public var recoveryNotes: [String] { notes.withLock { $0 } }
    let notes = Mutex<[String]>([])
    let lock: Mutex<DirectoryLock?>
    let store: CatalogStore?
    let state: Mutex<State>
    /// Table dictionaries by table (lowercased) and column name.
    let tableDictionaries = Mutex<[String: [String: TableDictionary]]>([:])
    let wal: WriteAheadLog
    /// Serializes catalog publication (writers only; readers take snapshots from `state`).
    let publishLock = Mutex<Void>(())
    /// Serializes head flushes, head merges, compaction, retention and table drops.
    let maintenanceLock = Mutex<Void>(())
    /// Held while segment files are unlinked and while snapshots open segment files, so that a
    /// snapshot never looks for a file that a concurrent compaction has just removed.
    let removalLock = Mutex<Void>(())
    let timer: Mutex<FlushTimer?> = Mutex(nil)
    let headFlushCount = Atomic<Int>(0)
    let headMergeCount = Atomic<Int>(0)
    let compactionCount = Atomic<Int>(0)
    /// The last error of a flush or merge that ran after an append had already succeeded (in the
    /// background or at a head limit); the data stays in the log and the head, and is retried.
    let deferredError = Mutex<StrataError?>(nil)
    package let crashPoint = Mutex<CrashPoint?>(nil)
    let blockCache: BlockCache?

    init(
        path: String?, options: Options, lock: DirectoryLock?, store: CatalogStore?, catalog: Catalog,
        wal: WriteAheadLog, mode: AccessMode = .readWrite
    ) {
        self.path = path
        self.mode = mode
        self.options = options
        self.lock = Mutex(lock)
        self.store = store
        self.wal = wal
        self.state = Mutex(State(catalog: catalog, nextSegmentNumber: catalog.nextSegmentNumber))
        self.blockCache = options.blockCacheBytes > 0 ? BlockCache(capacityBytes: options.blockCacheBytes) : nil
    }

    deinit {
        // Nothing is flushed here: unflushed appends are in the log and come back on the next open.
        timer.withLock { $0?.stop() }
    }

    /// A database that lives in memory only.
    public static func inMemory(options: Options = Options()) -> Database {
        let db = Database(
            path: nil, options: options, lock: nil, store: nil, catalog: Catalog(), wal: WriteAheadLog.inMemory())
        db.startTimer()
        return db
    }

    static func validate(_ options: Options) throws(StrataError) {
        guard options.blockRowCount > 0, options.blockRowCount % 64 == 0 else {
            throw StrataError(.invalidArgument, "blockRowCount must be a positive multiple of 64")
        }
        guard options.directWriteRows > 0, options.headRowLimit > 0, options.headByteLimit > 0 else {
            throw StrataError(.invalidArgument, "directWriteRows, headRowLimit and headByteLimit must be positive")
        }
    }

    /// Flushes every head to segments, stops the background flush, syncs and closes the log and
    /// releases the directory lock. Later appends fail; snapshots taken before stay readable.
    /// Calling it again does nothing.
    /// - Throws: `io` if flushing fails (the appends stay in the log and are replayed on the next open).
    public func close() throws(StrataError) {
        let first = state.withLock { s in
            defer { s.closed = true }
            return !s.closed
        }
        guard first else { return }
        guard mode == .readWrite else { return }
        let timer = self.timer.withLock { t in
            defer { t = nil }
            return t
        }
        timer?.stop()
        var failure: StrataError?
        do {
            try flushAllHeads()
        } catch {
            failure = error
        }
        do {
            try wal.close()
        } catch {
            failure = failure ?? error
        }
        lock.withLock { $0 = nil }
        if let failure { throw failure }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Throws unless the database is open for writing.
    func checkWritable() throws(StrataError) {
        if state.withLock({ $0.closed }) { throw StrataError(.invalidArgument, "the database is closed") }
        guard mode == .readWrite else {
            throw StrataError(
                .invalidArgument, "the database is open read-only", location: path.map { .init(file: $0) })
        }
    }

    /// Storage counters since open.
    public var statistics: Statistics {
        Statistics(
            logAppends: wal.appendCount.load(ordering: .relaxed), logSyncs: wal.syncCount.load(ordering: .relaxed),
            logFiles: wal.fileCount, headFlushes: headFlushCount.load(ordering: .relaxed),
            headMerges: headMergeCount.load(ordering: .relaxed), compactions: compactionCount.load(ordering: .relaxed))
    }

    /// The last error of a flush or head merge that ran without a caller waiting for it (in the
    /// background, or at a head limit after an append had already succeeded). Nothing is lost when one
    /// fails: the rows stay in the head and the log, and the next flush retries.
    public var lastMaintenanceError: StrataError? { deferredError.withLock { $0 } }

    /// Names of the tables, sorted.
    public var tableNames: [String] { state.withLock { $0.catalog.tables.map(\.spec.name).sorted() } }

    /// The version of the current catalog (increases with every published change).
    public var catalogVersion: UInt64 { state.withLock { $0.catalog.version } }

    /// Creates a table.
    /// - Throws: `schema` for an invalid spec, `alreadyExists` if the name is taken.
    @discardableResult
    public func createTable(_ spec: TableSpec) throws(StrataError) -> Table {
        try spec.validate()
        try checkWritable()
        try publishLock.withLock { _ throws(StrataError) in
            var catalog = state.withLock { $0.catalog }
            guard catalog.table(named: spec.name) == nil else {
                throw StrataError(.alreadyExists, "table '\(spec.name)' already exists")
            }
            if let view = catalog.view(named: spec.name) {
                throw StrataError(.alreadyExists, "a view named '\(view.name)' already exists")
            }
            // Log records of an earlier table of the same name are not this table's.
            let entry = TableEntry(spec: spec, walCheckpoint: wal.assignedSequence)
            try openDictionaries(of: entry)
            catalog.tables.append(entry)
            try publish(catalog)
        }
        return Table(database: self, name: spec.name, spec: spec)
    }

    /// The table named `name` (case-insensitive).
    /// - Throws: `notFound`, suggesting the closest name.
    public func table(named name: String) throws(StrataError) -> Table {
        let (entry, names) = state.withLock { ($0.catalog.table(named: name), $0.catalog.tables.map(\.spec.name)) }
        guard let entry else {
            var message = "no table named '\(name)'"
            if let suggestion = NameSuggestion.closest(to: name, among: names) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw StrataError(.notFound, message)
        }
        return Table(database: self, name: entry.spec.name, spec: entry.spec)
    }

    /// Removes a table, its segments and its head.
    public func dropTable(named name: String) throws(StrataError) {
        try checkWritable()
        try maintenanceLock.withLock { _ throws(StrataError) in
            try publishLock.withLock { _ throws(StrataError) in
                var catalog = state.withLock { $0.catalog }
                guard let index = catalog.tables.firstIndex(where: { $0.spec.name.lowercased() == name.lowercased() })
                else {
                    throw StrataError(.notFound, "no table named '\(name)'")
                }
                let removed = catalog.tables.remove(at: index)
                try publish(catalog) { $0.heads[removed.spec.name.lowercased()] = nil }
                removeSegmentFiles(removed.segments)
                removeDictionaries(of: removed.spec.name)
            }
        }
        retireLog()
    }

    /// Checks every checksum of every live segment (head segments included); returns the problems
    /// found (empty when healthy).
    public func verify() -> [StrataError] {
        var problems: [StrataError] = []
        for name in tableNames {
            guard let table = try? table(named: name) else { continue }
            let snapshot = table.snapshot()
            for part in snapshot.parts {
                do {
                    try part.reader.get().verify()
                } catch {
                    problems.append(error)
                }
            }
        }
        return problems
    }

    // MARK: Internals shared with Table

    /// Sets every segment's catalog time range from its footer and publishes the catalog in the
    /// current format. Format 1 catalogs took a sorted segment's range from its first and last rows,
    /// which pruned chunks that held matching rows; footers always held the true range.
    /// A read-only database corrects them in memory only.
    func recomputeTimeRanges() throws(StrataError) {
        try publishLock.withLock { _ throws(StrataError) in
            var catalog = state.withLock { $0.catalog }
            for t in catalog.tables.indices {
                for s in catalog.tables[t].segments.indices {
                    let footer = try reader(for: catalog.tables[t].segments[s]).footer
                    catalog.tables[t].segments[s].minTime = footer.minTime
                    catalog.tables[t].segments[s].maxTime = footer.maxTime
                }
            }
            if mode == .readWrite {
                try publish(catalog)
            } else {
                state.withLock { $0.catalog = catalog }
            }
        }
    }

    /// Publishes `catalog` as the next version; `alongside` changes other state in the same step, so
    /// that no reader sees one change without the other. Caller holds `publishLock`.
    func publish(_ catalog: Catalog, alongside: (inout State) -> Void = { _ in }) throws(StrataError) {
        var next = catalog
        next.version = state.withLock { $0.catalog.version } + 1
        next.nextSegmentNumber = state.withLock { $0.nextSegmentNumber }
        // Table dictionaries first: a published segment never holds a code the files lack.
        try persistDictionaries(into: &next)
        try store?.publish(next)
        state.withLock { s in
            s.catalog = next
            alongside(&s)
        }
    }

    func reserveSegmentNumbers(_ count: Int) -> UInt64 {
        state.withLock { s in
            let first = s.nextSegmentNumber
            s.nextSegmentNumber += UInt64(count)
            return first
        }
    }

    func storeSegment(_ bytes: [UInt8], file: String) throws(StrataError) {
        if path != nil {
            let result = bytes.withUnsafeBytes { raw in
                Result { () throws(StrataError) in try writeSegmentFile(raw, file: file) }
            }
            try result.get()
        } else {
            let segment = SegmentBytes(copying: bytes)
            state.withLock { $0.memorySegments[file] = segment }
        }
    }

    func storeSegment(_ bytes: SegmentBytes, file: String) throws(StrataError) {
        if path != nil {
            try writeSegmentFile(bytes.buffer, file: file)
        } else {
            state.withLock { $0.memorySegments[file] = bytes }
        }
    }

    private func writeSegmentFile(_ bytes: UnsafeRawBufferPointer, file: String) throws(StrataError) {
        guard let path else { return }
        try FileSystem.createDirectory(FileSystem.directoryName(path + "/" + file))
        try FileSystem.writeNewFile(path + "/" + file, bytes, sync: options.synchronous)
    }

    func removeSegmentFiles(_ segments: [SegmentEntry]) {
        removalLock.withLock { _ in
            state.withLock { s in
                for segment in segments {
                    s.readers[segment.file] = nil
                    s.memorySegments[segment.file] = nil
                }
            }
            // Unlinking is safe while snapshots still map the file: the mapping keeps the data alive.
            if let path { for segment in segments { FileSystem.removeFile(path + "/" + segment.file) } }
        }
    }

    /// The reader of a live segment, opened (and its footer checked) on first use. Callers that may
    /// race with file removal hold `removalLock` (snapshots) or `maintenanceLock` (compaction).
    func reader(for segment: SegmentEntry) throws(StrataError) -> SegmentReader {
        if let reader = state.withLock({ $0.readers[segment.file] }) { return reader }
        let bytes: SegmentBytes
        if let path {
            bytes = try SegmentBytes(mapping: path + "/" + segment.file)
        } else if let memory = state.withLock({ $0.memorySegments[segment.file] }) {
            bytes = memory
        } else {
            throw StrataError(.notFound, "segment \(segment.file) is missing")
        }
        let reader = try SegmentReader(
            bytes: bytes, name: path.map { $0 + "/" + segment.file } ?? segment.file, cache: blockCache,
            tableDictionaries: tableDictionaryResolver(forSegmentFile: segment.file))
        state.withLock { $0.readers[segment.file] = reader }
        return reader
    }

    /// Deletes the log files whose records are all in published segments (or belong to dropped tables).
    func retireLog() {
        // The catalog is read while the log holds its lock (no record can be written meanwhile), so a
        // table created since is seen before any of its records can be in a closed file.
        wal.retire { table, sequence in
            state.withLock { s in
                guard let entry = s.catalog.table(named: table) else { return true }
                return (entry.walCheckpoint ?? 0) >= sequence
            }
        }
    }
}
