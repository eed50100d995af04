public import StrataCore

/// The type of a SQL expression as the binder sees it: the stored types plus DuckDB's DATE and
/// INTERVAL, and the type of an untyped `NULL`.
///
/// Values keep their `Value` representation while a query runs: a DATE is a `.timestamp` at
/// midnight UTC, an INTERVAL only exists as a constant folded into the expression that uses it.
/// Results show a DATE as `YYYY-MM-DD` text, the way DuckDB prints it.
public enum SQLValueType: String, Sendable, Hashable, CustomStringConvertible {
    case boolean, bigint, double, varchar, timestamp, date, interval
    /// The type of a bare `NULL` literal: converts to any other type.
    case null

    /// The type of a stored column.
    public init(_ type: DataType) {
        switch type {
        case .bool: self = .boolean
        case .int64: self = .bigint
        case .double: self = .double
        case .string: self = .varchar
        case .timestamp: self = .timestamp
        }
    }

    /// The stored type results use: DATE shows as text, NULL as unknown.
    public var dataType: DataType? {
        switch self {
        case .boolean: .bool
        case .bigint: .int64
        case .double: .double
        case .varchar, .date, .interval: .string
        case .timestamp: .timestamp
        case .null: nil
        }
    }

    /// DuckDB's spelling: `BIGINT`.
    public var description: String { rawValue.uppercased() }

    var isNumeric: Bool { self == .bigint || self == .double }
    var isTemporal: Bool { self == .timestamp || self == .date }

    /// The type both `a` and `b` convert to without loss, as DuckDB picks for CASE branches, IN lists,
    /// COALESCE and comparisons; nil when there is none.
    static func common(_ a: SQLValueType, _ b: SQLValueType) -> SQLValueType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if a.isNumeric, b.isNumeric { return .double }
        if a.isTemporal, b.isTemporal { return .timestamp }
        return nil
    }
}
