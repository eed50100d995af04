/// A type name in `CAST(x AS type)`, `x::type` or a typed literal.
///
/// Only the types Strata can compute with; DuckDB's common aliases are accepted when parsing
/// (`INT`, `INT4`, `INT8`, `LONG`, `FLOAT8`, `TEXT`, `STRING`, `BOOL`, `DATETIME`, `NUMERIC`, `INT128`)
/// and map to these.
public enum SQLType: Hashable, Sendable, CustomStringConvertible {
    case boolean, integer, bigint, hugeint, double, varchar, date, timestamp
    /// `DECIMAL(precision, scale)`; a bare `DECIMAL` is DuckDB's `DECIMAL(18,3)`.
    case decimal(precision: Int, scale: Int)

    /// One of each type (DECIMAL with DuckDB's default width).
    public static let allCases: [SQLType] = [
        .boolean, .integer, .bigint, .hugeint, .double, .varchar, .date, .timestamp, .decimal(precision: 18, scale: 3),
    ]

    /// The type named by `word`, any case, including aliases (a decimal gets DuckDB's default width).
    public init?(word: String) {
        switch word.lowercased() {
        case "boolean", "bool", "logical": self = .boolean
        case "integer", "int", "int4", "signed": self = .integer
        case "bigint", "int8", "long": self = .bigint
        case "hugeint", "int128": self = .hugeint
        case "double", "float8": self = .double
        case "varchar", "text", "string": self = .varchar
        case "date": self = .date
        case "timestamp", "datetime": self = .timestamp
        case "decimal", "numeric": self = .decimal(precision: 18, scale: 3)
        default: return nil
        }
    }

    /// The canonical name: `BIGINT`, `DECIMAL(18,2)`.
    public var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .integer: "INTEGER"
        case .bigint: "BIGINT"
        case .hugeint: "HUGEINT"
        case .double: "DOUBLE"
        case .varchar: "VARCHAR"
        case .date: "DATE"
        case .timestamp: "TIMESTAMP"
        case .decimal(let p, let s): "DECIMAL(\(p),\(s))"
        }
    }
}

extension SQLType {
    /// The name without a width, for lists of types: `DECIMAL`.
    var baseName: String {
        if case .decimal = self { return "DECIMAL" }
        return description
    }
}
