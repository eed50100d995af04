/// Describes a table: its timestamp, dimensions, metrics, rollup, partitioning and retention.
///
/// Build it in Swift or decode it from the JSON table-spec format:
/// ```json
/// {"name": "events", "timestamp": {"column": "ts"},
///  "dimensions": [{"name": "user_id", "type": "string"}],
///  "metrics": [{"name": "revenue", "type": "double"}],
///  "segmentGranularity": "day", "rollup": null}
/// ```
/// A spec without `timestamp` describes a lookup (dimension) table — users, experiments, countries —
/// kept as one chunk, with the same segments, dictionaries, log and appends; queries join it to
/// time-partitioned tables:
/// ```json
/// {"name": "countries", "dimensions": [{"name": "code", "type": "string"},
///  {"name": "region", "type": "string"}]}
/// ```
/// Call ``validate()`` (``TableSpec/decode(json:)`` does) before use.
public struct TableSpec: Sendable, Hashable, Codable {
    public var name: String
    /// The time column; `nil` for a table without time (see ``hasTime``).
    public var timestamp: TimestampSpec?
    public var dimensions: [DimensionSpec]
    public var metrics: [MetricSpec]
    public var segmentGranularity: SegmentGranularity
    public var rollup: RollupSpec?
    /// Dimensions that order rows inside a segment after time. Default: string dimensions with a
    /// bitmap index, in declared order.
    public var sortKey: [String]?
    /// Inside a segment, rows are sorted by (time truncated to this granularity, sort key, time).
    /// `nil`: the rollup granularity with rollup, otherwise `none` (exact time first). A coarse value
    /// (`day` with day segments) clusters rows by the sort key — fewer blocks touched by filters on
    /// those dimensions, longer runs for the codecs — at the cost of time zone maps inside a segment.
    public var sortTimeGranularity: QueryGranularity?
    /// Default block codec for columns that do not name one.
    public var codec: Codec
    /// Chunks that end more than this many days before the newest data are dropped. `nil` keeps all.
    public var retentionDays: Int?

    public init(
        name: String, timestamp: TimestampSpec? = TimestampSpec(column: "ts"), dimensions: [DimensionSpec] = [],
        metrics: [MetricSpec] = [], segmentGranularity: SegmentGranularity = .day, rollup: RollupSpec? = nil,
        sortKey: [String]? = nil, sortTimeGranularity: QueryGranularity? = nil, codec: Codec = .lz4,
        retentionDays: Int? = nil
    ) {
        self.name = name
        self.timestamp = timestamp
        self.dimensions = dimensions
        self.metrics = metrics
        self.segmentGranularity = segmentGranularity
        self.rollup = rollup
        self.sortKey = sortKey
        self.sortTimeGranularity = sortTimeGranularity
        self.codec = codec
        self.retentionDays = retentionDays
    }

    enum CodingKeys: String, CodingKey {
        case name, timestamp, dimensions, metrics, segmentGranularity, rollup, sortKey, sortTimeGranularity, codec
        case retentionDays
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        timestamp = try c.decodeIfPresent(TimestampSpec.self, forKey: .timestamp)
        dimensions = try c.decodeIfPresent([DimensionSpec].self, forKey: .dimensions) ?? []
        metrics = try c.decodeIfPresent([MetricSpec].self, forKey: .metrics) ?? []
        segmentGranularity = try c.decodeIfPresent(SegmentGranularity.self, forKey: .segmentGranularity) ?? .day
        rollup = try c.decodeIfPresent(RollupSpec.self, forKey: .rollup)
        sortKey = try c.decodeIfPresent([String].self, forKey: .sortKey)
        sortTimeGranularity = try c.decodeIfPresent(QueryGranularity.self, forKey: .sortTimeGranularity)
        codec = try c.decodeIfPresent(Codec.self, forKey: .codec) ?? .lz4
        retentionDays = try c.decodeIfPresent(Int.self, forKey: .retentionDays)
    }

    /// Whether the table has a time column. A table without one still stores a time column, named
    /// ``hiddenTimeColumn`` and always 0 (the epoch), so that segments, chunks, the log and recovery keep
    /// one layout: its rows form the one chunk that holds the epoch. Queries, descriptions and inputs
    /// never show that column.
    public var hasTime: Bool { timestamp != nil }

    /// The stored name of the time column of a table without time: `#` makes it a name no spec can
    /// declare and `*` leaves out.
    public static let hiddenTimeColumn = "#time"

    /// The name of stored column 0: the timestamp column, or ``hiddenTimeColumn``.
    public var timeColumn: String { timestamp?.column ?? Self.hiddenTimeColumn }
}

/// The table's time column and how its text input is read.
public struct TimestampSpec: Sendable, Hashable, Codable {
    public var column: String
    /// Input format: `auto` (any accepted form), `iso`, `millis`.
    public var format: TimestampFormat
    /// `timestamp` (default) or `date`: a table of daily facts (TPC-H's ship dates) whose time column is
    /// SQL's DATE; each value keeps its day.
    public var type: DataType

    public init(column: String, format: TimestampFormat = .auto, type: DataType = .timestamp) {
        self.column = column
        self.format = format
        self.type = type
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        column = try c.decode(String.self, forKey: .column)
        format = try c.decodeIfPresent(TimestampFormat.self, forKey: .format) ?? .auto
        type = try c.decodeIfPresent(DataType.self, forKey: .type) ?? .timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(column, forKey: .column)
        try c.encode(format, forKey: .format)
        if type != .timestamp { try c.encode(type, forKey: .type) }
    }

    enum CodingKeys: String, CodingKey {
        case column, format, type
    }
}

/// Accepted text forms of the timestamp column.
public enum TimestampFormat: String, Sendable, Hashable, Codable {
    /// Dates, date-times (space or `T`, optional zone) and epoch milliseconds.
    case auto
    /// Dates and date-times only.
    case iso
    /// Epoch milliseconds only.
    case millis
}

/// A per-column block compression codec.
public enum Codec: String, Sendable, Hashable, Codable, CaseIterable {
    case none, lz4, zstd
}

/// A dimension: a column to filter and group by.
public struct DimensionSpec: Sendable, Hashable, Codable {
    public var name: String
    public var type: DataType
    public var nullable: Bool
    /// Whether segments keep one roaring bitmap per value. `nil` decides per segment: indexed unless
    /// values are nearly unique there (an index that size costs more than it saves).
    public var bitmapIndex: Bool?
    public var codec: Codec?
    /// Where a string dimension's dictionary lives: per segment (default; sorted, so ranges and
    /// prefixes become code ranges) or per table (one code per value across all segments: for
    /// high-cardinality columns such as user ids, whose exact distinct counts and group-bys would
    /// otherwise merge every segment's dictionary at query time).
    public var dictionary: DictionaryScope?

    public init(
        name: String, type: DataType, nullable: Bool = true, bitmapIndex: Bool? = nil, codec: Codec? = nil,
        dictionary: DictionaryScope? = nil
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.bitmapIndex = bitmapIndex
        self.codec = codec
        self.dictionary = dictionary
    }

    enum CodingKeys: String, CodingKey {
        case name, type, precision, scale, nullable, bitmapIndex, codec, dictionary
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try DataType.decodeSpecType(c, type: .type, precision: .precision, scale: .scale)
        nullable = try c.decodeIfPresent(Bool.self, forKey: .nullable) ?? true
        bitmapIndex = try c.decodeIfPresent(Bool.self, forKey: .bitmapIndex)
        codec = try c.decodeIfPresent(Codec.self, forKey: .codec)
        dictionary = try c.decodeIfPresent(DictionaryScope.self, forKey: .dictionary)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try type.encodeSpecType(&c, type: .type, precision: .precision, scale: .scale)
        try c.encode(nullable, forKey: .nullable)
        try c.encodeIfPresent(bitmapIndex, forKey: .bitmapIndex)
        try c.encodeIfPresent(codec, forKey: .codec)
        try c.encodeIfPresent(dictionary, forKey: .dictionary)
    }
}

/// Where a string dimension's dictionary is kept.
public enum DictionaryScope: String, Sendable, Hashable, Codable, CaseIterable {
    case segment
    case table
}

/// A metric: a numeric measure.
public struct MetricSpec: Sendable, Hashable, Codable {
    public var name: String
    public var type: DataType
    public var nullable: Bool
    public var codec: Codec?

    public init(name: String, type: DataType, nullable: Bool = true, codec: Codec? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.codec = codec
    }

    enum CodingKeys: String, CodingKey {
        case name, type, precision, scale, nullable, codec
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try DataType.decodeSpecType(c, type: .type, precision: .precision, scale: .scale)
        nullable = try c.decodeIfPresent(Bool.self, forKey: .nullable) ?? true
        codec = try c.decodeIfPresent(Codec.self, forKey: .codec)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try type.encodeSpecType(&c, type: .type, precision: .precision, scale: .scale)
        try c.encode(nullable, forKey: .nullable)
        try c.encodeIfPresent(codec, forKey: .codec)
    }
}
