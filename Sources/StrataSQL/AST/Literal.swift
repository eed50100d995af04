/// A constant written in a query.
public enum Literal: Hashable, Sendable, CustomStringConvertible {
    /// `NULL`.
    case null
    /// `TRUE` or `FALSE`.
    case boolean(Bool)
    /// An integer that fits in 64 bits, such as `42` or `-7` (a minus sign directly before a number is
    /// part of the literal).
    case integer(Int64)
    /// Any other number, kept exactly as written so no precision is lost: `0.95`, `1e-3`, `.5`, or an
    /// integer too large for 64 bits. DuckDB types `0.95` as DECIMAL and `1e-3` as DOUBLE.
    case decimal(String)
    /// A string in single quotes; the value has `''` already unescaped.
    case string(String)
    /// A typed string: `DATE '2026-10-01'` or `TIMESTAMP '2026-10-01 12:00:00'`. The text is not checked
    /// here; the binder parses it.
    case typed(SQLType, String)
    /// `INTERVAL '5 minutes'` (no unit: the unit is in the text), `INTERVAL '5' MINUTE` or
    /// `INTERVAL 5 MINUTE` (both stored as the text `"5"` and the unit).
    case interval(String, IntervalUnit?)

    /// The literal as SQL text.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .boolean(let value): value ? "TRUE" : "FALSE"
        case .integer(let value): String(value)
        case .decimal(let text): text
        case .string(let value): Identifier.enclose(value, in: "'")
        case .typed(let type, let value): "\(type) \(Identifier.enclose(value, in: "'"))"
        case .interval(let value, let unit):
            "INTERVAL \(Identifier.enclose(value, in: "'"))" + (unit.map { " \($0)" } ?? "")
        }
    }
}

/// A unit of an `INTERVAL` literal. Plural spellings (`DAYS`) are accepted.
public enum IntervalUnit: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case millisecond, second, minute, hour, day, week, month, quarter, year

    /// The unit named by `word` (any case, singular or plural), if any.
    public init?(word: String) {
        var name = word.lowercased()
        if name.hasSuffix("s"), name != "s" { name.removeLast() }
        self.init(rawValue: name)
    }

    /// The unit as SQL: `DAY`.
    public var description: String { rawValue.uppercased() }
}
