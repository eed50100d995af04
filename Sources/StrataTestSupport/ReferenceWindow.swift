public import StrataCore

/// Window functions the slow, obvious way, for differential tests: for every row, its partition is found by
/// comparing it with every other row, sorted, and its frame's rows are collected and folded one by one — read
/// straight off the SQL standard (and DuckDB where it chooses: NULLs last unless NULLS FIRST, `ntile`'s
/// bucket sizes, NULL keys as one partition and as peers of each other in RANGE frames). O(n²) per call.
public enum ReferenceWindow {
    /// A window function and its arguments (column names of the relation).
    public enum Function: Sendable {
        case rowNumber, rank, denseRank, percentRank, cumeDist
        case ntile(Int64)
        case lag(String, offset: Int64, default: Value)
        case lead(String, offset: Int64, default: Value)
        case firstValue(String), lastValue(String), nthValue(String, Int64)
        /// `count(column)`, or `count(*)` for nil.
        case count(String?)
        case sum(String), avg(String), min(String), max(String)
    }

    /// One end of a frame; offsets are rows (ROWS) or a distance in the one ORDER BY key's values (RANGE).
    public enum Bound: Sendable {
        case unboundedPreceding, preceding(Double), currentRow, following(Double), unboundedFollowing
    }

    public struct OrderKey: Sendable {
        public var column: String
        public var descending: Bool
        public var nullsFirst: Bool

        public init(_ column: String, descending: Bool = false, nullsFirst: Bool = false) {
            self.column = column
            self.descending = descending
            self.nullsFirst = nullsFirst
        }
    }

    /// What a frame's `EXCLUDE` leaves out: nothing, the current row, it and its peers, or its peers only.
    public enum Exclusion: Sendable {
        case none, currentRow, group, ties
    }

    /// `ROWS`, `RANGE` or (`groups`) `GROUPS BETWEEN start AND end [EXCLUDE …]`.
    public struct Frame: Sendable {
        public var rows: Bool
        /// `GROUPS`: offsets count groups of peers (`rows` is then false).
        public var groups: Bool
        public var start: Bound
        public var end: Bound
        /// `EXCLUDE`: the rows of the frame left out.
        public var exclusion: Exclusion

        public init(rows: Bool, groups: Bool = false, start: Bound, end: Bound, exclusion: Exclusion = .none) {
            self.rows = rows && !groups
            self.groups = groups
            self.start = start
            self.end = end
            self.exclusion = exclusion
        }
    }

    /// The function's value for every row of `relation`, in the relation's row order.
    /// - Parameter frame: nil for SQL's default (with ORDER BY, up to the current row's last peer; without,
    ///   the whole partition).
    public static func evaluate(
        _ relation: ReferenceRelation, _ function: Function, partitionBy: [String], orderBy: [OrderKey],
        frame: Frame? = nil, ignoreNulls: Bool = false
    ) -> [Value] {
        let rows = relation.namedRows
        let frame =
            frame
            ?? Frame(rows: false, start: .unboundedPreceding, end: orderBy.isEmpty ? .unboundedFollowing : .currentRow)
        func order(_ a: Int, _ b: Int) -> Int {
            for key in orderBy {
                let (x, y) = (rows[a][key.column], rows[b][key.column])
                if x.isNull || y.isNull {
                    if x.isNull && y.isNull { continue }
                    return x.isNull == key.nullsFirst ? -1 : 1
                }
                let c = ValueOrder.compare(x, y) ?? 0
                if c != 0 { return key.descending ? -c : c }
            }
            return 0
        }
        return rows.indices.map { r in
            // The partition: every row whose partition values are the same (NULL the same as NULL).
            var partition = rows.indices.filter { other in
                partitionBy.allSatisfy { ReferenceRelation.same(rows[other][$0], rows[r][$0]) }
            }
            partition.sort { a, b in
                let c = order(a, b)
                return c != 0 ? c < 0 : a < b
            }
            let n = partition.count
            let i = partition.firstIndex(of: r)!
            let peers = partition.indices.filter { order(partition[$0], r) == 0 }
            let firstPeer = peers.min()!
            let lastPeer = peers.max()!
            func value(_ column: String, _ position: Int) -> Value { rows[partition[position]][column] }
            switch function {
            case .rowNumber: return .int64(Int64(i + 1))
            case .rank: return .int64(Int64(firstPeer + 1))
            case .denseRank:
                var rank = 1
                for p in 1..<(firstPeer + 1) where order(partition[p - 1], partition[p]) != 0 { rank += 1 }
                return .int64(Int64(rank))
            case .percentRank: return .double(n > 1 ? Double(firstPeer) / Double(n - 1) : 0)
            case .cumeDist: return .double(Double(lastPeer + 1) / Double(n))
            case .ntile(let buckets):
                // Sizes differ by at most one, larger buckets first.
                let b = Int(Swift.min(buckets, Int64(n)))
                var start = 0
                for bucket in 0..<b {
                    let size = n / b + (bucket < n % b ? 1 : 0)
                    if i < start + size { return .int64(Int64(bucket + 1)) }
                    start += size
                }
                return .null
            case .lag(let column, let offset, let fallback), .lead(let column, let offset, let fallback):
                let isLag = if case .lag = function { true } else { false }
                guard ignoreNulls, offset != 0 else {
                    let target = isLag ? i - Int(offset) : i + Int(offset)
                    return (0..<n).contains(target) ? value(column, target) : fallback
                }
                // Step row by row away from the current one, counting only rows whose value is not NULL.
                let step = (isLag == (offset > 0)) ? -1 : 1
                var remaining = abs(offset)
                var p = i + step
                while (0..<n).contains(p) {
                    if !value(column, p).isNull {
                        remaining -= 1
                        if remaining == 0 { return value(column, p) }
                    }
                    p += step
                }
                return fallback
            default: break
            }
            // Frame functions: the positions in the frame, each row tested against the bounds.
            let inFrame = partition.indices.filter { p in
                if ignoreNulls, let column = Self.valueColumn(function), value(column, p).isNull { return false }
                let peer = order(partition[p], r) == 0
                switch frame.exclusion {
                case .none: break
                case .currentRow: if p == i { return false }
                case .group: if peer { return false }
                case .ties: if peer && p != i { return false }
                }
                return contains(
                    p, bound: frame.start, isStart: true, row: i, frame: frame, orderBy: orderBy, value: value,
                    order: { order(partition[$0], partition[$1]) })
                    && contains(
                        p, bound: frame.end, isStart: false, row: i, frame: frame, orderBy: orderBy, value: value,
                        order: { order(partition[$0], partition[$1]) })
            }
            switch function {
            case .firstValue(let column): return inFrame.first.map { value(column, $0) } ?? .null
            case .lastValue(let column): return inFrame.last.map { value(column, $0) } ?? .null
            case .nthValue(let column, let k):
                return k <= inFrame.count ? value(column, inFrame[Int(k) - 1]) : .null
            case .count(let column):
                return .int64(Int64(inFrame.filter { column == nil || !value(column!, $0).isNull }.count))
            case .sum(let column), .avg(let column):
                let values = inFrame.map { value(column, $0) }.filter { !$0.isNull }
                guard !values.isEmpty else { return .null }
                let isAvg = if case .avg = function { true } else { false }
                let integers: [Int128] = values.compactMap { value in
                    switch value {
                    case .int64(let x): Int128(x)
                    case .hugeint(let x): x
                    default: nil
                    }
                }
                if integers.count == values.count {
                    let total = integers.reduce(0, +)
                    return isAvg ? .double(Double(total) / Double(values.count)) : .hugeint(total)
                }
                var total = 0.0
                for x in values { total += x.doubleValue ?? 0 }
                return .double(isAvg ? total / Double(values.count) : total)
            case .min(let column), .max(let column):
                let isMin = if case .min = function { true } else { false }
                var best: Value = .null
                for p in inFrame {
                    let x = value(column, p)
                    if x.isNull { continue }
                    if best.isNull { best = x; continue }
                    let c = ValueOrder.compare(x, best) ?? 0
                    if isMin ? c < 0 : c > 0 { best = x }
                }
                return best
            default: return .null
            }
        }
    }

    /// The column a value function (`first_value`, `last_value`, `nth_value`) reads; nil for the others.
    private static func valueColumn(_ function: Function) -> String? {
        switch function {
        case .firstValue(let column), .lastValue(let column), .nthValue(let column, _): column
        default: nil
        }
    }

    /// Whether position `p` of the sorted partition is on the frame's side of `bound` for the row at
    /// position `row`.
    private static func contains(
        _ p: Int, bound: Bound, isStart: Bool, row: Int, frame: Frame, orderBy: [OrderKey],
        value: (String, Int) -> Value, order: (Int, Int) -> Int
    ) -> Bool {
        if frame.rows || frame.groups {
            // GROUPS: the same on the numbers of the groups of peers (positions whose sort keys are equal).
            func number(_ q: Int) -> Double {
                frame.groups ? Double((0..<q).filter { order($0, $0 + 1) != 0 }.count) : Double(q)
            }
            let limit: Double
            switch bound {
            case .unboundedPreceding: return isStart
            case .unboundedFollowing: return !isStart
            case .currentRow: limit = number(row)
            case .preceding(let k): limit = number(row) - k
            case .following(let k): limit = number(row) + k
            }
            return isStart ? number(p) >= limit : number(p) <= limit
        }
        switch bound {
        case .unboundedPreceding: return isStart
        case .unboundedFollowing: return !isStart
        case .currentRow:
            // Peers of the current row are in; rows before (after) it in sort order are out of a start (end).
            let c = order(p, row)
            return isStart ? c >= 0 : c <= 0
        case .preceding(let k), .following(let k):
            let key = orderBy[0]
            let (x, current) = (value(key.column, p), value(key.column, row))
            if current.isNull || x.isNull {
                // A NULL key: the NULL rows are each other's peers and nothing else is in reach.
                if current.isNull && x.isNull { return true }
                if current.isNull {
                    // A non-null row is before (start) or after (end) the NULL peers in sort order.
                    let c = order(p, row)
                    return isStart ? c >= 0 : c <= 0
                }
                // A NULL row seen from a non-null one: outside any offset, on its side of the sort.
                return isStart ? order(p, row) < 0 ? false : true : order(p, row) > 0 ? false : true
            }
            let sign: Double = key.descending ? -1 : 1
            let preceding = if case .preceding = bound { true } else { false }
            // The distance from the current row in the sort's direction: negative before it.
            let distance = sign * ((x.doubleValue ?? 0) - (current.doubleValue ?? 0))
            let limit = preceding ? -k : k
            return isStart ? distance >= limit : distance <= limit
        }
    }
}
