/// A type name in `CAST(x AS type)`, `x::type` or a typed literal.
///
/// Only the types Strata can compute with; DuckDB's common aliases are accepted when parsing
/// (`INT`, `INT4`, `INT8`, `LONG`, `FLOAT8`, `TEXT`, `STRING`, `BOOL`, `DATETIME`) and map to these.
public enum SQLType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case boolean, integer, bigint, double, varchar, date, timestamp

    /// The type named by `word`, any case, including aliases.
    public init?(word: String) {
        let name = word.lowercased()
        if let type = SQLType(rawValue: name) {
            self = type
            return
        }
        switch name {
        case "bool", "logical": self = .boolean
        case "int", "int4", "signed": self = .integer
        case "int8", "long": self = .bigint
        case "float8": self = .double
        case "text", "string": self = .varchar
        case "datetime": self = .timestamp
        default: return nil
        }
    }

    /// The canonical name: `BIGINT`.
    public var description: String { rawValue.uppercased() }
}
