public import StrataCore
import StrataStorage
package import Synchronization

/// A Strata database: a directory of segments and a catalog, or an in-memory equivalent.
///
/// `Database` is thread-safe; share one instance across threads and tasks. Opening takes an
/// exclusive lock on the directory, released when the instance is deinitialized.
///
/// ```swift
/// let db = try Database.open(at: "/var/lib/analytics")
/// let events = try db.createTable(spec)
/// try events.append(batch)
/// ```
public final class Database: Sendable {
    /// Settings of an open database.
    public struct Options: Sendable {
        /// Rows per stored block.
        public var blockRowCount: Int = 16_384
        /// fsync segment files and the catalog before an append returns (disable only for tests and
        /// throwaway data).
        public var synchronous: Bool = true
        /// Bytes of decoded blocks kept in memory for repeated queries; 0 disables the cache.
        public var blockCacheBytes: Int = 256 << 20

        public init() {}
    }

    /// Points at which a test can make a write stop as if the process had died there.
    package enum CrashPoint: Sendable {
        /// After segment files are written, before the catalog that references them is published.
        case afterSegmentWrite
    }

    struct State {
        var catalog: Catalog
        var readers: [String: SegmentReader] = [:]
        /// In-memory databases keep segment bytes here, keyed by file name.
        var memorySegments: [String: SegmentBytes] = [:]
        var nextSegmentNumber: UInt64
    }

    /// The directory, or `nil` for an in-memory database.
    public let path: String?
    public let options: Options
    let lock: DirectoryLock?
    let store: CatalogStore?
    let state: Mutex<State>
    /// Serializes catalog publication (writers only; readers take snapshots from `state`).
    let publishLock = Mutex<Void>(())
    package let crashPoint = Mutex<CrashPoint?>(nil)
    let blockCache: BlockCache?

    private init(path: String?, options: Options, lock: DirectoryLock?, store: CatalogStore?, catalog: Catalog) {
        self.path = path
        self.options = options
        self.lock = lock
        self.store = store
        self.state = Mutex(State(catalog: catalog, nextSegmentNumber: catalog.nextSegmentNumber))
        self.blockCache = options.blockCacheBytes > 0 ? BlockCache(capacityBytes: options.blockCacheBytes) : nil
    }

    /// Opens (creating if needed) the database in `directory`, recovering from any earlier crash:
    /// temporary files and unpublished segment files are removed; the last published catalog wins.
    /// - Throws: `io` if the directory cannot be created or is locked by another process,
    ///   `corruption` if the catalog fails its checksum.
    public static func open(at directory: String, options: Options = Options()) throws(StrataError) -> Database {
        try FileSystem.createDirectory(directory + "/segments")
        let lock = try DirectoryLock(directory: directory)
        let store = CatalogStore(directory: directory)
        let catalog = try store.load()
        try store.removeLeftovers(keeping: catalog)
        return Database(path: directory, options: options, lock: lock, store: store, catalog: catalog)
    }

    /// A database that lives in memory only.
    public static func inMemory(options: Options = Options()) -> Database {
        Database(path: nil, options: options, lock: nil, store: nil, catalog: Catalog())
    }

    /// Names of the tables, sorted.
    public var tableNames: [String] { state.withLock { $0.catalog.tables.map(\.spec.name).sorted() } }

    /// The version of the current catalog (increases with every published change).
    public var catalogVersion: UInt64 { state.withLock { $0.catalog.version } }

    /// Creates a table.
    /// - Throws: `schema` for an invalid spec, `alreadyExists` if the name is taken.
    @discardableResult
    public func createTable(_ spec: TableSpec) throws(StrataError) -> Table {
        try spec.validate()
        try publishLock.withLock { _ throws(StrataError) in
            var catalog = state.withLock { $0.catalog }
            guard catalog.table(named: spec.name) == nil else {
                throw StrataError(.alreadyExists, "table '\(spec.name)' already exists")
            }
            catalog.tables.append(TableEntry(spec: spec))
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

    /// Removes a table and its segments.
    public func dropTable(named name: String) throws(StrataError) {
        try publishLock.withLock { _ throws(StrataError) in
            var catalog = state.withLock { $0.catalog }
            guard let index = catalog.tables.firstIndex(where: { $0.spec.name.lowercased() == name.lowercased() })
            else {
                throw StrataError(.notFound, "no table named '\(name)'")
            }
            let removed = catalog.tables.remove(at: index)
            try publish(catalog)
            removeSegmentFiles(removed.segments)
        }
    }

    /// Checks every checksum of every live segment; returns the problems found (empty when healthy).
    public func verify() -> [StrataError] {
        let segments = state.withLock { $0.catalog.tables.flatMap(\.segments) }
        var problems: [StrataError] = []
        for segment in segments {
            do {
                try reader(for: segment).verify()
            } catch {
                problems.append(error)
            }
        }
        return problems
    }

    // MARK: Internals shared with Table

    /// Publishes `catalog` as the next version. Caller holds `publishLock`.
    func publish(_ catalog: Catalog) throws(StrataError) {
        var next = catalog
        next.version = state.withLock { $0.catalog.version } + 1
        next.nextSegmentNumber = state.withLock { $0.nextSegmentNumber }
        try store?.publish(next)
        state.withLock { $0.catalog = next }
    }

    func reserveSegmentNumbers(_ count: Int) -> UInt64 {
        state.withLock { s in
            let first = s.nextSegmentNumber
            s.nextSegmentNumber += UInt64(count)
            return first
        }
    }

    func storeSegment(_ bytes: [UInt8], file: String) throws(StrataError) {
        if let path {
            try FileSystem.createDirectory(FileSystem.directoryName(path + "/" + file))
            try FileSystem.writeNewFile(path + "/" + file, bytes, sync: options.synchronous)
        } else {
            let segment = SegmentBytes(copying: bytes)
            state.withLock { $0.memorySegments[file] = segment }
        }
    }

    func removeSegmentFiles(_ segments: [SegmentEntry]) {
        state.withLock { s in
            for segment in segments {
                s.readers[segment.file] = nil
                s.memorySegments[segment.file] = nil
            }
        }
        // Unlinking is safe while queries still map the file: the mapping keeps the data alive.
        if let path { for segment in segments { FileSystem.removeFile(path + "/" + segment.file) } }
    }

    /// The reader of a live segment, opened (and its footer checked) on first use.
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
            bytes: bytes, name: path.map { $0 + "/" + segment.file } ?? segment.file, cache: blockCache)
        state.withLock { $0.readers[segment.file] = reader }
        return reader
    }
}
