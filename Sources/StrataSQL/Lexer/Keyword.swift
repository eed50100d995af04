/// The words the parser gives a meaning to. Spelling is case-insensitive.
///
/// Reserved keywords cannot be used as bare identifiers (column, table or alias names); they must be
/// double-quoted. The other keywords (type names, interval units, `DATE`, `FILTER`, `NULLS`…) only have
/// a meaning in context and are plain identifiers everywhere else, as in DuckDB.
enum Keyword: String, Sendable, CaseIterable {
    // Reserved.
    case all, and, `as`, asc, between, by, `case`, cast, cross, desc, distinct, `else`, end, except, exists
    case `false`, from, full, group, having, ilike, `in`, inner, intersect, `is`, join, `left`, like, limit
    case natural, not, null, offset, on, or, order, qualify, `right`, select, then, `true`, union, using
    case when, `where`, window, with
    // Contextual.
    case analyze, date, escape, explain, filter, first, `for`, interval, last, nulls, outer, over, recursive, timestamp
    case partition, rows, range, groups, unbounded, preceding, following, current, row, exclude, ignore, respect
    case ties, no, others

    /// Whether the word can only be used as an identifier when double-quoted.
    var isReserved: Bool {
        switch self {
        case .analyze, .date, .escape, .explain, .filter, .first, .for, .interval, .last, .nulls, .outer, .over,
            .recursive, .timestamp, .partition, .rows, .range, .groups, .unbounded, .preceding, .following, .current,
            .row, .exclude, .ignore, .respect, .ties, .no, .others:
            false
        default:
            true
        }
    }

    /// The keyword as written in canonical SQL.
    var sql: String { rawValue.uppercased() }

    private static let byName: [String: Keyword] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) }
    )

    /// The keyword spelled by `lowercased`, a word already folded to lower case.
    static func lookup(_ lowercased: String) -> Keyword? {
        byName[lowercased]
    }

    /// Keywords that end a clause or a query: a bare alias is never one of these.
    static let clauseStarts: Set<Keyword> = [
        .from, .where, .group, .having, .order, .limit, .offset, .union, .except, .intersect, .window,
        .qualify, .join, .on, .using, .inner, .left, .right, .full, .cross, .natural,
    ]
}
