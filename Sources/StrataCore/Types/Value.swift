/// One typed value: the unit of row-oriented APIs (typed rows, scans, query results).
///
/// Columnar paths (batches, segments, the executor) never box values in `Value`.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int64(Int64)
    case double(Double)
    case string(String)
    /// Milliseconds since the Unix epoch, UTC.
    case timestamp(Int64)
    /// A 128-bit integer (DuckDB's HUGEINT): what integer sums give.
    case hugeint(Int128)
    /// An exact decimal with its precision and scale (DuckDB's DECIMAL).
    case decimal(DecimalValue)

    /// The type of a non-null value; `nil` for `.null`.
    public var dataType: DataType? {
        switch self {
        case .null: nil
        case .bool: .bool
        case .int64: .int64
        case .double: .double
        case .string: .string
        case .timestamp: .timestamp
        case .hugeint: .hugeint
        case .decimal(let d): .decimal(precision: d.precision, scale: d.scale)
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as a double when it is numeric (int64, hugeint, decimal, double, timestamp).
    public var doubleValue: Double? {
        switch self {
        case .int64(let v): Double(v)
        case .double(let v): v
        case .timestamp(let v): Double(v)
        case .hugeint(let v): Double(v)
        case .decimal(let d): d.doubleValue
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .bool(let v): v ? "true" : "false"
        case .int64(let v): String(v)
        case .double(let v): String(v)
        case .string(let v): v
        case .timestamp(let v): Timestamp.format(milliseconds: v)
        case .hugeint(let v): String(v)
        case .decimal(let d): d.description
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int64(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
