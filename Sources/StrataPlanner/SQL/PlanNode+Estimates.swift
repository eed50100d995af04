import StrataCore
import StrataExecution
import StrataStorage

/// Sizes for the planner's choices (join order, build sides): rows from the tables' row counts, distinct
/// values of a column from what the segments record (``TableSnapshot/distinctEstimate(column:)``). Without
/// predicate statistics a filter keeps a fifth of its input.
extension ScanNode {
    /// The rows of the table (of its segments in the time range), a fifth of them past a filter.
    var estimatedRows: Int {
        var rows = 0
        for entry in snapshot.segmentEntries {
            if let range = timeRange,
                Swift.max(entry.minTime, entry.maxTime) < range.lowerBound
                    || Swift.min(entry.minTime, entry.maxTime) >= range.upperBound
            {
                continue
            }
            rows += entry.rowCount
        }
        let kept = filter == nil ? rows : rows / 5
        return rowLimit.map { min($0, kept) } ?? kept
    }
}

extension JoinNode {
    /// An inner join on keys gives `left × right / d` rows, `d` the larger of the two sides' distinct key
    /// tuples (each value of the side with fewer meets its share of the other: a foreign key joined to a
    /// primary key gives the foreign side's rows); as many as the bigger side when no key's distinct values
    /// are known.
    var estimatedRows: Int? {
        guard let l = left.estimatedRows, let r = right.estimatedRows else { return nil }
        switch kind {
        case .inner where !leftKeys.isEmpty:
            return Self.joinedRows(
                l, r, keys: zip(leftKeys, rightKeys).map { (KeyDistinct(left, $0), KeyDistinct(right, $1)) })
        case .inner, .cross:
            let (product, overflow) = l.multipliedReportingOverflow(by: r)
            return overflow ? .max : product
        case .left, .semi, .anti: return l
        case .right: return r
        case .full: return l + r
        }
    }

    /// One side's key column for a join estimate: its distinct values where the side's rows are, and its
    /// domain (``PlanNode/distinctEstimate(_:domain:)``).
    struct KeyDistinct {
        var distinct: Int?
        var domain: Int?

        init(_ plan: PlanNode, _ key: BoundExpression) {
            distinct = plan.distinctEstimate(key)
            domain = plan.distinctEstimate(key, domain: true)
        }
    }

    /// Rows of an equi-join of `l` and `r` rows on the given key pairs: `l × r / d`, `d` the larger of the
    /// sides' distinct keys. A side's keys count at most the other side's domain (a foreign key's values are
    /// among the primary key's: lineitem's order keys span 6M but are orders' 1.5M, so orders joins lineitem
    /// into lineitem's rows, not a quarter of them); several keys count as their most distinct one
    /// (usually one composite key: partsupp's part and supplier, which lineitem's rows repeat). As many as
    /// the bigger side when no key's distinct values are known.
    static func joinedRows(_ l: Int, _ r: Int, keys: [(KeyDistinct, KeyDistinct)]) -> Int {
        var (left, right) = (0, 0)
        for (a, b) in keys {
            if let d = a.distinct { left = Swift.max(left, Swift.min(d, b.domain ?? d)) }
            if let d = b.distinct { right = Swift.max(right, Swift.min(d, a.domain ?? d)) }
        }
        guard left > 0 || right > 0 else { return Swift.max(l, r) }
        let divisor = Swift.max(Swift.min(left, l), Swift.min(right, r), 1)
        let rows = Double(l) * Double(r) / Double(divisor)
        return rows >= Double(Int.max / 4) ? Int.max / 4 : Swift.max(1, Int(rows.rounded(.up)))
    }

    /// Whether the join's output has no build row that no probe row matched (not a full join, nor a semi or
    /// anti join that builds its left side), so its table may store the rows by bucket and drop NULL keys.
    var emitsOnlyMatchedBuildRows: Bool {
        switch kind {
        case .full: false
        case .semi, .anti: buildsRight
        default: !leftKeys.isEmpty
        }
    }

    /// Whether several workers may probe the table, each with its share of the probe side's segments: not
    /// for a full join, whose one stream tracks which build rows matched, nor for a semi or anti join that builds
    /// its left side.
    var probesInParallel: Bool {
        switch kind {
        case .full: false
        // A semi or anti join that builds its left side marks the build rows: one stream holds the marks.
        case .semi, .anti: buildsRight
        default: true
        }
    }

    /// Whether the right input is the hash table and the left streams through it. A left join probes with the
    /// left side and a right join with the right (the side whose unmatched rows are kept); otherwise the
    /// smaller side (by its tables' row counts, when known) is built.
    var buildsRight: Bool {
        switch kind {
        case .left, .full: return true
        case .right: return false
        case .inner, .cross, .semi, .anti:
            guard let left = left.estimatedRows, let right = right.estimatedRows else { return true }
            return right <= left
        }
    }
}

extension PlanNode {
    /// About how many rows the node gives, from its tables' row counts (a filter keeps a fifth; a join on
    /// keys as ``JoinNode/estimatedRows`` says; a grouping at most the product of its keys' distinct
    /// values); `nil` when unknown.
    var estimatedRows: Int? {
        switch self {
        case .values(_, let rows): rows.count
        case .scan(let node):
            node.estimatedRows
        case .filter(let input, _):
            input.estimatedRows.map { $0 / 5 }
        case .project(let input, _, _), .distinct(let input), .sort(let input, _), .window(let input, _):
            input.estimatedRows
        case .aggregate(let input, let keys, _):
            input.estimatedRows.map { rows in
                var groups = 1
                for key in keys {
                    guard let d = input.distinctEstimate(key) else { return rows }
                    let (product, overflow) = groups.multipliedReportingOverflow(by: Swift.max(1, d))
                    if overflow || product >= rows { return rows }
                    groups = product
                }
                return keys.isEmpty ? 1 : groups
            }
        case .limit(let input, let limit, _): limit.map { l in min(l, input.estimatedRows ?? l) } ?? input.estimatedRows
        case .join(let node):
            node.estimatedRows
        case .tableFunction, .gapFill: nil
        case .atMostOneRow(let input, let perKey): perKey == 0 ? 1 : input.estimatedRows
        case .unionAll(let inputs):
            inputs.reduce(Optional(0)) { total, input in total.flatMap { t in input.estimatedRows.map { t + $0 } } }
        }
    }

    /// About how many distinct values `expression` (over this node's columns) takes: a column's, traced
    /// down to a stored column, at most the node's rows; `nil` for other expressions or when unknown.
    ///
    /// With `domain`, the values the column can take at all: not capped by filters (a filtered customer
    /// table's keys still come from all customers').
    func distinctEstimate(_ expression: BoundExpression, domain: Bool = false) -> Int? {
        var e = expression
        while case .cast(let inner, _) = e { e = inner }
        guard case .column(let c, _, _) = e else { return nil }
        return distinctEstimate(column: c, domain: domain)
    }

    /// ``distinctEstimate(_:)`` of output column `column`.
    func distinctEstimate(column: Int, domain: Bool = false) -> Int? {
        let found: Int?
        switch self {
        case .scan(let node):
            guard column < node.storedColumns.count else { return nil }
            found = node.snapshot.distinctEstimate(column: node.storedColumns[column])
        case .filter(let input, _), .distinct(let input), .sort(let input, _), .limit(let input, _, _),
            .atMostOneRow(let input, _):
            found = input.distinctEstimate(column: column, domain: domain)
        case .window(let input, _):
            // The input's columns, then the window functions'.
            guard column < input.columns.count else { return nil }
            found = input.distinctEstimate(column: column, domain: domain)
        case .project(let input, let expressions, _):
            guard column < expressions.count else { return nil }
            found = input.distinctEstimate(expressions[column], domain: domain)
        case .join(let node):
            let width = node.left.columns.count
            found =
                column < width || node.kind == .semi || node.kind == .anti
                ? node.left.distinctEstimate(column: column, domain: domain)
                : node.right.distinctEstimate(column: column - width, domain: domain)
        case .aggregate(let input, let keys, _):
            // A grouping by one key has one row per value.
            guard column < keys.count else { return nil }
            found =
                keys.count == 1 && !domain ? estimatedRows : input.distinctEstimate(keys[column], domain: domain)
        default:
            return nil
        }
        guard let found else { return nil }
        // Capped where rows drop; a join or projection passes its input's estimate on (no estimate of its own
        // rows here, which would read the whole subtree again at every level).
        switch self {
        case .scan where !domain, .filter where !domain, .limit where !domain:
            return estimatedRows.map { Swift.min(found, $0) } ?? found
        default: return found
        }
    }
}
