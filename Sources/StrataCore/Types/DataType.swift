/// The logical type of a column or a value.
public enum DataType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch, UTC.
    case timestamp
    /// UTF-8 text; dimensions of this type are dictionary encoded.
    case string
    case int64
    case double
    case bool

    public var description: String { rawValue }

    /// Whether values of this type can be a metric (an additive measure).
    public var isNumeric: Bool { self == .int64 || self == .double }
}
