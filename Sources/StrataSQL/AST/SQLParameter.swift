/// A placeholder for a value given when the statement runs: `?`, `$1` or `$name`.
///
/// A placeholder is an expression like a literal, so it may stand wherever a value may (WHERE, the
/// SELECT list, LIMIT, IN lists, function arguments, subqueries, joins). The binder replaces it with
/// the value bound to it. One statement uses one style.
public enum SQLParameter: Hashable, Sendable, CustomStringConvertible {
    /// `?`: the n-th `?` of the statement (1-based), numbered by the parser from left to right.
    case next(Int)
    /// `$n`: the n-th value (1-based); the same number may appear more than once.
    case numbered(Int)
    /// `$name`: the value given for `name`, matched without regard to case as DuckDB does.
    case named(String)

    /// The 1-based position of the value in a list of values, for `?` and `$n`.
    public var position: Int? {
        switch self {
        case .next(let n), .numbered(let n): n
        case .named: nil
        }
    }

    /// The placeholder as written: `?` prints as `?` so that printing and parsing again numbers it the same.
    public var description: String {
        switch self {
        case .next: "?"
        case .numbered(let n): "$\(n)"
        case .named(let name): "$\(name)"
        }
    }
}

/// The placeholders of one statement: how many values it needs and how they are given.
public struct StatementParameters: Hashable, Sendable {
    /// How a statement's placeholders are written; a statement uses one style.
    public enum Style: Hashable, Sendable {
        /// `?`, numbered from left to right.
        case question
        /// `$1`, `$2`…
        case numbered
        /// `$name`.
        case named
    }

    /// The style, or nil when the statement has no placeholder.
    public internal(set) var style: Style?
    /// For `?` and `$n`: how many values the statement takes (the number of `?`, or the highest `$n`).
    public internal(set) var count = 0
    /// For `$name`: the names in order of first appearance, lower-cased.
    public internal(set) var names: [String] = []
    /// Where each placeholder was first written: by position (`?`, `$n`) or lower-cased name.
    public internal(set) var firstRanges: [SQLParameter: SourceRange] = [:]

    public init() {}

    /// Whether the statement has no placeholder.
    public var isEmpty: Bool { style == nil }

    /// Where the first placeholder of the statement was written.
    public var firstRange: SourceRange? {
        firstRanges.values.min { $0.offset < $1.offset }
    }

    /// The key under which a placeholder's range is kept: `?` and `$n` by position alone.
    static func key(_ parameter: SQLParameter) -> SQLParameter {
        switch parameter {
        case .next(let n), .numbered(let n): .numbered(n)
        case .named(let name): .named(name.lowercased())
        }
    }

    /// Where `parameter` was first written.
    public func range(of parameter: SQLParameter) -> SourceRange? {
        firstRanges[Self.key(parameter)]
    }
}
