/// The logical type of a column or a value.
///
/// Its text form (``rawValue``) names it in table specs and segment footers: `int64`, `string`, …,
/// `hugeint`, and `decimal(18,2)` for a decimal with its precision and scale.
public enum DataType: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch, UTC.
    case timestamp
    /// A calendar day: stored as a timestamp at its midnight (UTC); SQL's DATE.
    case date
    /// UTF-8 text; dimensions of this type are dictionary encoded.
    case string
    case int64
    case double
    case bool
    /// A 128-bit integer: DuckDB's HUGEINT, the type of integer sums. Only query results have it.
    case hugeint
    /// DuckDB's `DECIMAL(precision, scale)`: exact, stored as `Int64` units of 10^-scale (precision ≤ 18
    /// in columns; up to 38 in query results).
    case decimal(precision: Int, scale: Int)

    /// The names a table spec accepts for `type` (a decimal also gives `precision` and `scale`).
    public static let specNames = ["timestamp", "date", "string", "int64", "double", "bool", "decimal"]

    /// The fixed-width types, without the decimals.
    public static let allCases: [DataType] = [.timestamp, .date, .string, .int64, .double, .bool, .hugeint]

    public init?(rawValue: String) {
        switch rawValue {
        case "timestamp": self = .timestamp
        case "date": self = .date
        case "string": self = .string
        case "int64": self = .int64
        case "double": self = .double
        case "bool": self = .bool
        case "hugeint": self = .hugeint
        default:
            // decimal(p,s)
            guard rawValue.hasPrefix("decimal("), rawValue.hasSuffix(")") else { return nil }
            let inner = rawValue.dropFirst("decimal(".count).dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let p = Int(parts[0]), let s = Int(parts[1]),
                DataType.isValidDecimal(precision: p, scale: s, maxPrecision: DecimalValue.maxPrecision)
            else { return nil }
            self = .decimal(precision: p, scale: s)
        }
    }

    public var rawValue: String {
        switch self {
        case .timestamp: "timestamp"
        case .date: "date"
        case .string: "string"
        case .int64: "int64"
        case .double: "double"
        case .bool: "bool"
        case .hugeint: "hugeint"
        case .decimal(let p, let s): "decimal(\(p),\(s))"
        }
    }

    /// Whether `precision` and `scale` make a DECIMAL: 1 ≤ precision ≤ `maxPrecision`, 0 ≤ scale ≤ precision.
    public static func isValidDecimal(precision: Int, scale: Int, maxPrecision: Int) -> Bool {
        (1...maxPrecision).contains(precision) && (0...precision).contains(scale)
    }

    public var description: String { rawValue }

    /// Whether values of this type can be a metric (an additive measure).
    public var isNumeric: Bool {
        switch self {
        case .int64, .double, .decimal, .hugeint: true
        default: false
        }
    }

    /// The type segments, head parts and the write-ahead log store values of this type as: a decimal's
    /// units are an `int64` column, so every int64 encoding, zone map and kernel serves it.
    public var physical: DataType {
        switch self {
        case .decimal: .int64
        case .date: .timestamp
        default: self
        }
    }

    /// The scale of a decimal; nil for other types.
    public var decimalScale: Int? {
        if case .decimal(_, let s) = self { return s }
        return nil
    }
}
