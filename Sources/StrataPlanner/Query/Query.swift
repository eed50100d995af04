public import StrataCore

/// A native query: the Swift form of a dashboard question.
///
/// ```swift
/// var query = Query(table: "events")
/// query.filter = .and([.equals("experiment", "exp_001"), .in("event", ["exposure", "purchase"])])
/// query.groupBy = [.column("variant"), .timeBucket(.hour)]
/// query.aggregations = [Aggregation("events", .count), Aggregation("users", .countDistinct, column: "user_id")]
/// let result = try db.execute(query)
/// ```
public struct Query: Sendable, Hashable {
    /// The table to read.
    public var table: String
    /// Half-open time intervals `[start, end)` in epoch milliseconds; rows outside all of them are
    /// skipped (segments and blocks are pruned). Empty means all time.
    public var intervals: [Range<Int64>]
    public var filter: Filter?
    /// Group keys, in output order. Empty: one group over all matching rows.
    public var groupBy: [GroupKey]
    public var aggregations: [Aggregation]
    /// Values computed from each output row's aggregates, appended after them.
    public var postAggregations: [PostAggregation]
    /// Time series: fill missing time buckets (needs a time-bucket group key and at least one interval).
    public var gapFill: GapFill?
    /// A predicate over output columns (group keys and aggregations, by name).
    public var having: Filter?
    public var orderBy: [OrderKey]
    public var limit: Int?
    public var offset: Int

    public init(
        table: String, intervals: [Range<Int64>] = [], filter: Filter? = nil, groupBy: [GroupKey] = [],
        aggregations: [Aggregation] = [], postAggregations: [PostAggregation] = [], gapFill: GapFill? = nil,
        having: Filter? = nil, orderBy: [OrderKey] = [], limit: Int? = nil,
        offset: Int = 0
    ) {
        self.table = table
        self.intervals = intervals
        self.filter = filter
        self.groupBy = groupBy
        self.aggregations = aggregations
        self.postAggregations = postAggregations
        self.gapFill = gapFill
        self.having = having
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
    }
}

/// A group key: a column's value, or the start of the time bucket holding the row's timestamp.
public enum GroupKey: Sendable, Hashable {
    case column(String)
    /// The row's timestamp truncated to a calendar unit (`date_trunc`).
    case timeBucket(TimeUnit)
    /// Fixed-width buckets of `milliseconds` counted from the Unix epoch (`time_bucket`), e.g. 5 minutes.
    case fixedBucket(milliseconds: Int64)

    /// The output column name.
    public var name: String {
        switch self {
        case .column(let c): c
        case .timeBucket(let unit): "\(unit.rawValue)_bucket"
        case .fixedBucket(let ms): "bucket_\(ms)ms"
        }
    }
}

/// An aggregate over the rows of a group.
public struct Aggregation: Sendable, Hashable {
    /// The output column name.
    public var name: String
    public var function: AggregateFunction
    /// The input column; `nil` only for `count` (count rows).
    public var column: String?
    /// Only rows matching this predicate feed the aggregate (`FILTER (WHERE …)`).
    public var filter: Filter?

    public init(_ name: String, _ function: AggregateFunction, column: String? = nil, filter: Filter? = nil) {
        self.name = name
        self.function = function
        self.column = column
        self.filter = filter
    }
}

/// Aggregate functions, with SQL semantics: nulls are ignored; an empty input gives NULL (0 for counts).
public enum AggregateFunction: Sendable, Hashable {
    /// `count(*)` without a column; `count(x)` (non-null values) with one.
    case count
    case sum
    case min
    case max
    case avg
    /// Sample variance (n − 1); NULL below two values.
    case varianceSample
    /// Sample standard deviation; NULL below two values.
    case standardDeviationSample
    /// Exact number of distinct non-null values.
    case countDistinct
    /// Approximate number of distinct non-null values: a HyperLogLog sketch (precision 14, standard
    /// error 0.81%; exact below about 4,000 values), deterministic.
    case approxCountDistinct
    /// Exact continuous quantile of the non-null values, as DuckDB's `quantile_cont(x, q)`: linear
    /// interpolation between the order statistics around position (n − 1)·q. `q` in [0, 1].
    case quantile(Double)
    /// Approximate quantile from a DDSketch (relative accuracy 1% of the exact `quantile_cont` value),
    /// deterministic and mergeable. `q` in [0, 1]. Of an `int64` column the result is `int64` (the
    /// estimate rounded half to even), as DuckDB's `approx_quantile` keeps an integer input's type.
    case approxQuantile(Double)
}

/// One ordering key of the output.
public struct OrderKey: Sendable, Hashable {
    /// An output column name.
    public var column: String
    public var descending: Bool
    /// Where NULLs go; default as DuckDB: last.
    public var nullsFirst: Bool

    public init(_ column: String, descending: Bool = false, nullsFirst: Bool = false) {
        self.column = column
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}
