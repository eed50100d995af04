/// What a stored column is for.
public enum ColumnRole: Sendable, Hashable {
    case time
    case dimension
    case metric
    /// An aggregator state of a rolled-up table; `part` distinguishes the columns of multi-part
    /// states (moments: count, sum, sum of squares).
    case aggregate(AggregatorKind, part: AggregatePart)
}

/// The parts of an aggregator state that are stored as separate columns.
public enum AggregatePart: UInt8, Sendable, Hashable {
    case value = 0
    case count = 1
    case sum = 2
    case sumOfSquares = 3
}

/// A column as segments store it: the physical layout derived from a ``TableSpec``.
public struct StoredColumn: Sendable, Hashable {
    public var name: String
    public var type: DataType
    public var role: ColumnRole
    public var nullable: Bool
    public var codec: Codec
    /// For dimensions: the spec's bitmap-index choice (`nil`: decided per segment).
    public var bitmapIndex: Bool?
    /// Codes of this string column are table-wide (see ``DictionaryScope/table``).
    public var tableDictionary: Bool
    /// For aggregates: the input metric.
    public var source: String?

    /// The always-zero time column of a table without time (``TableSpec/hiddenTimeColumn``): stored, never
    /// shown or named.
    public var isHiddenTime: Bool { role == .time && name == TableSpec.hiddenTimeColumn }

    /// The column holds serialized sketches (an `hll` or `quantile` rollup state), not values.
    public var isSketch: Bool {
        if case .aggregate(let kind, _) = role { return kind.isSketch }
        return false
    }

    public init(
        name: String, type: DataType, role: ColumnRole, nullable: Bool, codec: Codec, bitmapIndex: Bool? = nil,
        source: String? = nil, tableDictionary: Bool = false
    ) {
        self.tableDictionary = tableDictionary
        self.name = name
        self.type = type
        self.role = role
        self.nullable = nullable
        self.codec = codec
        self.bitmapIndex = bitmapIndex
        self.source = source
    }
}

extension TableSpec {
    /// The columns a segment of this table stores, in order: time, dimensions, then metrics (or, with
    /// rollup, the aggregator states; a `moments` aggregate `m` stores `m#n`, `m#sum`, `m#sumsq`).
    public var storedColumns: [StoredColumn] {
        var columns = [
            StoredColumn(name: timeColumn, type: timestamp?.type ?? .timestamp, role: .time, nullable: false, codec: codec)
        ]
        for d in dimensions {
            columns.append(
                StoredColumn(
                    name: d.name, type: d.type, role: .dimension, nullable: d.nullable, codec: d.codec ?? codec,
                    bitmapIndex: d.type == .string && d.dictionary != .table ? d.bitmapIndex : false,
                    tableDictionary: d.type == .string && d.dictionary == .table))
        }
        guard let rollup else {
            for m in metrics {
                columns.append(
                    StoredColumn(
                        name: m.name, type: m.type, role: .metric, nullable: m.nullable, codec: m.codec ?? codec))
            }
            return columns
        }
        for agg in rollup.aggregates {
            let source = metrics.first { $0.name == agg.column }
            let sourceCodec = source?.codec ?? codec
            switch agg.type {
            case .count:
                columns.append(
                    StoredColumn(
                        name: agg.name, type: .int64, role: .aggregate(.count, part: .value), nullable: false,
                        codec: codec))
            case .sum, .min, .max:
                columns.append(
                    StoredColumn(
                        name: agg.name, type: source?.type ?? .double, role: .aggregate(agg.type, part: .value),
                        nullable: true, codec: sourceCodec, source: agg.column))
            case .moments:
                columns.append(
                    StoredColumn(
                        name: agg.name + "#n", type: .int64, role: .aggregate(.moments, part: .count), nullable: false,
                        codec: sourceCodec, source: agg.column))
                columns.append(
                    StoredColumn(
                        name: agg.name + "#sum", type: .double, role: .aggregate(.moments, part: .sum),
                        nullable: false, codec: sourceCodec, source: agg.column))
                columns.append(
                    StoredColumn(
                        name: agg.name + "#sumsq", type: .double, role: .aggregate(.moments, part: .sumOfSquares),
                        nullable: false, codec: sourceCodec, source: agg.column))
            case .hll, .quantile:
                // One serialized sketch per row; scans show a summary text, aggregates merge them.
                columns.append(
                    StoredColumn(
                        name: agg.name, type: .string, role: .aggregate(agg.type, part: .value), nullable: true,
                        codec: sourceCodec, source: agg.column))
            }
        }
        return columns
    }

    /// The stored columns a user sees (descriptions, catalogs): all but the hidden time column of a table
    /// without time.
    public var visibleColumns: [StoredColumn] { storedColumns.filter { !$0.isHiddenTime } }

    /// Input columns an ingest row carries: the timestamp (if the table has one), dimensions and metrics.
    public var inputColumns: [(name: String, type: DataType, nullable: Bool)] {
        (hasTime ? [(timeColumn, timestamp?.type ?? .timestamp, false)] : []) + dimensions.map { ($0.name, $0.type, $0.nullable) }
            + metrics.map { ($0.name, $0.type, $0.nullable) }
    }

    /// The columns of stored input (the log's records, the head, segment building): the time column first,
    /// the hidden one of a table without time included, then dimensions and metrics.
    package var storedInputColumns: [(name: String, type: DataType, nullable: Bool)] {
        hasTime ? inputColumns : [(timeColumn, DataType.timestamp, false)] + inputColumns
    }
}
