public import StrataCore

/// One published version of the database's metadata: its tables and their live segments.
///
/// Immutable once published: changes build a new catalog with a higher ``version`` and publish it
/// atomically (``CatalogStore``). Readers hold on to the version they started with.
public struct Catalog: Sendable, Codable, Equatable {
    public var version: UInt64
    /// Next segment number to hand out (segment file names are never reused).
    public var nextSegmentNumber: UInt64
    public var tables: [TableEntry]
    /// SQL views (`CREATE VIEW`); absent in catalogs written before views existed, and when there are none.
    public var views: [ViewEntry]?

    public init(version: UInt64 = 0, nextSegmentNumber: UInt64 = 1, tables: [TableEntry] = [], views: [ViewEntry]? = nil) {
        self.version = version
        self.nextSegmentNumber = nextSegmentNumber
        self.tables = tables
        self.views = views
    }

    public func table(named name: String) -> TableEntry? {
        tables.first { $0.spec.name.lowercased() == name.lowercased() }
    }

    /// The view named `name` (case-insensitive).
    public func view(named name: String) -> ViewEntry? {
        views?.first { $0.name.lowercased() == name.lowercased() }
    }

    public var segmentFiles: Set<String> { Set(tables.flatMap { $0.segments.map(\.file) }) }
}

/// A SQL view: a named query, planned (expanded) wherever a statement reads it.
public struct ViewEntry: Sendable, Codable, Equatable {
    public var name: String
    /// The query as written after `AS` in `CREATE VIEW`.
    public var sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}

/// A table and its live segments (Druid's timeline: per chunk, the segments of the newest version).
public struct TableEntry: Sendable, Codable, Equatable {
    public var spec: TableSpec
    public var segments: [SegmentEntry]
    /// Write-ahead log position of the table: its log records with sequence numbers up to this one
    /// are held by the segments above (or predate the table), so replay skips them. Absent in
    /// catalogs written before the log existed (read as 0).
    public var walCheckpoint: UInt64?
    /// Published entries of each table dictionary (column name → count); the dictionary files may
    /// hold more, from writes that never published, which opening drops.
    public var dictionaryCounts: [String: Int]?

    public init(
        spec: TableSpec, segments: [SegmentEntry] = [], walCheckpoint: UInt64? = nil,
        dictionaryCounts: [String: Int]? = nil
    ) {
        self.spec = spec
        self.segments = segments
        self.walCheckpoint = walCheckpoint
        self.dictionaryCounts = dictionaryCounts
    }
}

/// A live segment as the catalog records it.
public struct SegmentEntry: Sendable, Codable, Equatable, Hashable {
    /// Unique, never reused: `<table>-<number>`.
    public var id: String
    /// Path relative to the database directory.
    public var file: String
    public var chunkStart: Int64
    public var chunkEnd: Int64
    /// The catalog version that published the segment; compaction replaces a chunk's segments by
    /// a segment of a newer version.
    public var version: UInt64
    public var rowCount: Int
    public var minTime: Int64
    public var maxTime: Int64
    public var sizeBytes: Int

    public init(
        id: String, file: String, chunkStart: Int64, chunkEnd: Int64, version: UInt64, rowCount: Int, minTime: Int64,
        maxTime: Int64, sizeBytes: Int
    ) {
        self.id = id
        self.file = file
        self.chunkStart = chunkStart
        self.chunkEnd = chunkEnd
        self.version = version
        self.rowCount = rowCount
        self.minTime = minTime
        self.maxTime = maxTime
        self.sizeBytes = sizeBytes
    }
}
