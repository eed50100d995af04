/// Ingest-time rollup: timestamps are truncated to ``granularity`` and rows with equal
/// (truncated time, dimensions) merge into one, whose metric columns hold aggregator states.
public struct RollupSpec: Sendable, Hashable, Codable {
    public var granularity: QueryGranularity
    public var aggregates: [AggregateSpec]

    public init(granularity: QueryGranularity, aggregates: [AggregateSpec]) {
        self.granularity = granularity
        self.aggregates = aggregates
    }
}

/// One stored aggregator state of a rolled-up table.
public struct AggregateSpec: Sendable, Hashable, Codable {
    /// The stored column's name.
    public var name: String
    public var type: AggregatorKind
    /// The input metric it aggregates; `nil` for `count`.
    public var column: String?

    public init(name: String, type: AggregatorKind, column: String? = nil) {
        self.name = name
        self.type = type
        self.column = column
    }
}

/// Mergeable aggregator states. Never finished ratios: averages and variances come from `moments`.
public enum AggregatorKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Number of input rows (int64).
    case count
    /// Sum of the input (its type).
    case sum
    case min
    case max
    /// (n, Σx, Σx²) of the non-null inputs, so averages, variances and t-tests survive rollup.
    case moments
    /// A HyperLogLog sketch of the input's distinct values (``HyperLogLog``), so
    /// `approx_count_distinct` of the input survives rollup. The input is a metric of any type.
    case hll
    /// A quantile sketch of a numeric input (``QuantileSketch``), so `approx_quantile` of the input
    /// survives rollup.
    case quantile

    /// Whether the state is a sketch, stored as one serialized sketch per row.
    public var isSketch: Bool { self == .hll || self == .quantile }
}
