public import StrataCore

/// A row predicate, with SQL three-valued logic: a comparison involving NULL is unknown, and only
/// rows where the whole predicate is true pass.
public indirect enum Filter: Sendable, Hashable {
    case compare(String, ComparisonOperator, Value)
    /// `column IN (values)`; NULLs in the list never match.
    case `in`(String, [Value])
    /// `column LIKE pattern` with `%` and `_` wildcards (case-sensitive).
    case like(String, String)
    case isNull(String)
    case and([Filter])
    case or([Filter])
    case not(Filter)

    public static func equals(_ column: String, _ value: Value) -> Filter { .compare(column, .equal, value) }

    /// `lower <= column < upper` (either bound optional).
    public static func range(_ column: String, from lower: Value?, to upper: Value?) -> Filter {
        var parts: [Filter] = []
        if let lower { parts.append(.compare(column, .greaterThanOrEqual, lower)) }
        if let upper { parts.append(.compare(column, .lessThan, upper)) }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    /// The columns the predicate reads.
    public var columns: Set<String> {
        switch self {
        case .compare(let c, _, _), .in(let c, _), .like(let c, _), .isNull(let c): [c]
        case .and(let fs), .or(let fs): fs.reduce(into: Set<String>()) { $0.formUnion($1.columns) }
        case .not(let f): f.columns
        }
    }
}
