/// The type of a SQL expression as the binder sees it: the stored types plus DuckDB's DATE, INTERVAL,
/// HUGEINT and DECIMAL, and the type of an untyped `NULL`.
///
/// Values keep their `Value` representation while a query runs: a DATE is a `.timestamp` at
/// midnight UTC, an INTERVAL only exists as a constant folded into the expression that uses it, a
/// DECIMAL is a `.decimal` carrying its own width and scale.
/// Results show a DATE as `YYYY-MM-DD` text, the way DuckDB prints it.
public enum SQLValueType: Sendable, Hashable, CustomStringConvertible {
    case boolean, bigint, hugeint, double, varchar, timestamp, date, interval
    /// DuckDB's `DECIMAL(precision, scale)`, precision 1...38.
    case decimal(precision: Int, scale: Int)
    /// The type of a bare `NULL` literal: converts to any other type.
    case null

    /// The type of a stored column.
    public init(_ type: DataType) {
        switch type {
        case .bool: self = .boolean
        case .int64: self = .bigint
        case .hugeint: self = .hugeint
        case .double: self = .double
        case .string: self = .varchar
        case .timestamp: self = .timestamp
        case .date: self = .date
        case .decimal(let p, let s): self = .decimal(precision: p, scale: s)
        }
    }

    /// The stored type results use: DATE shows as text, NULL as unknown.
    public var dataType: DataType? {
        switch self {
        case .boolean: .bool
        case .bigint: .int64
        case .hugeint: .hugeint
        case .double: .double
        case .varchar, .date, .interval: .string
        case .timestamp: .timestamp
        case .decimal(let p, let s): .decimal(precision: p, scale: s)
        case .null: nil
        }
    }

    /// DuckDB's spelling: `BIGINT`, `DECIMAL(18,2)`.
    public var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .bigint: "BIGINT"
        case .hugeint: "HUGEINT"
        case .double: "DOUBLE"
        case .varchar: "VARCHAR"
        case .timestamp: "TIMESTAMP"
        case .date: "DATE"
        case .interval: "INTERVAL"
        case .decimal(let p, let s): "DECIMAL(\(p),\(s))"
        case .null: "NULL"
        }
    }

    package var isDecimal: Bool {
        if case .decimal = self { return true }
        return false
    }

    package var isNumeric: Bool {
        switch self {
        case .bigint, .hugeint, .double, .decimal: true
        default: false
        }
    }
    package var isTemporal: Bool { self == .timestamp || self == .date }
    /// BIGINT or HUGEINT.
    package var isInteger: Bool { self == .bigint || self == .hugeint }

    /// The scale of a DECIMAL, nil for other types.
    package var decimalScale: Int? {
        if case .decimal(_, let s) = self { return s }
        return nil
    }

    /// The type both `a` and `b` convert to without loss, as DuckDB picks for CASE branches, IN lists,
    /// COALESCE and comparisons; nil when there is none.
    package static func common(_ a: SQLValueType, _ b: SQLValueType) -> SQLValueType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if a.isNumeric, b.isNumeric {
            if a == .double || b == .double { return .double }
            if a.isInteger, b.isInteger { return .hugeint }
            // DECIMAL with an integer or another DECIMAL: enough integer digits and scale for both.
            let (ai, asc) = a.decimalDigits
            let (bi, bsc) = b.decimalDigits
            return commonDecimal(integer: max(ai, bi), scale: max(asc, bsc), withInteger: a.isInteger || b.isInteger)
        }
        if a.isTemporal, b.isTemporal { return .timestamp }
        return nil
    }

    /// The DECIMAL with `integer` digits before the point and `scale` after, as DuckDB fits it in 38 digits:
    /// two decimals give up scale (DECIMAL(34,0) with DECIMAL(8,5) is DECIMAL(38,4)), an integer with a
    /// decimal keeps it (HUGEINT with 1.5 is DECIMAL(38,1)).
    package static func commonDecimal(integer: Int, scale: Int, withInteger: Bool) -> SQLValueType {
        let maxWidth = DecimalValue.maxPrecision
        if integer + scale <= maxWidth { return .decimal(precision: integer + scale, scale: scale) }
        return .decimal(precision: maxWidth, scale: withInteger ? min(scale, maxWidth) : max(0, maxWidth - integer))
    }

    /// (integer digits, scale) of the DECIMAL an exact numeric type converts to: DuckDB's BIGINT is
    /// DECIMAL(19,0), HUGEINT DECIMAL(38,0).
    package var decimalDigits: (integer: Int, scale: Int) {
        switch self {
        case .decimal(let p, let s): (p - s, s)
        case .hugeint: (38, 0)
        default: (19, 0)
        }
    }
}
