public import StrataCore

/// Rows with named columns, and the relational operators SQL builds from them (joins, semi and anti
/// joins, `IN`, scalar and correlated subqueries, set operations) written the slow, obvious way: every
/// pair of rows, every definition read straight off the SQL standard (and DuckDB where it chooses).
/// Differential tests build these from the rows they appended (``ReferenceTable``), never from Strata's
/// storage or query engine, so a wrong join, a lost NULL rule or a misplaced duplicate shows up as a
/// difference instead of being shared by both sides.
public struct ReferenceRelation: Sendable, Equatable, CustomStringConvertible {
    /// Lowercased column names; a join's output keeps both sides' names (``qualified(_:)`` tells them apart).
    public var columns: [String]
    public var rows: [[Value]]

    public init(columns: [String], rows: [[Value]] = []) {
        self.columns = columns.map { $0.lowercased() }
        self.rows = rows
    }

    /// The rows a test appended to `table`, with its input columns.
    public init(_ table: ReferenceTable) {
        self.init(columns: table.columns, rows: table.rows)
    }

    /// The position of a column, by case-insensitive name (the first, when two share it).
    public func index(of column: String) -> Int? { columns.firstIndex(of: column.lowercased()) }

    /// One row, read by column name.
    public struct Row: Sendable {
        public let columns: [String]
        public let values: [Value]

        /// The value of a column; a name the relation lacks is a test's mistake, so it traps.
        public subscript(_ column: String) -> Value {
            guard let i = columns.firstIndex(of: column.lowercased()) else {
                preconditionFailure("no column '\(column)' in \(columns)")
            }
            return values[i]
        }
    }

    public func row(_ i: Int) -> Row { Row(columns: columns, values: rows[i]) }

    /// Every row, read by column name.
    public var namedRows: [Row] { rows.indices.map(row) }

    /// The values of one column, row by row.
    public func values(_ column: String) -> [Value] { namedRows.map { $0[column] } }

    /// The same rows with every column renamed `prefix.column`, so a join's two sides stay apart.
    public func qualified(_ prefix: String) -> ReferenceRelation {
        ReferenceRelation(columns: columns.map { "\(prefix).\($0)" }, rows: rows)
    }

    /// `SELECT columns…`: these columns, in this order, duplicates kept.
    public func project(_ names: [String]) -> ReferenceRelation {
        let positions = names.map { name in
            guard let i = index(of: name) else { preconditionFailure("no column '\(name)' in \(columns)") }
            return i
        }
        return ReferenceRelation(columns: names, rows: rows.map { row in positions.map { row[$0] } })
    }

    /// `WHERE`: the rows for which `predicate` is TRUE.
    public func filter(_ predicate: (Row) throws -> Bool) rethrows -> ReferenceRelation {
        ReferenceRelation(columns: columns, rows: try namedRows.filter(predicate).map(\.values))
    }

    /// `SELECT DISTINCT`: the first of each set of rows ``sameRow(_:_:)`` calls equal.
    public func distinct() -> ReferenceRelation {
        ReferenceRelation(columns: columns, rows: Self.groups(rows).map(\.row))
    }

    /// `SELECT *, count(*) … GROUP BY ALL`: each distinct row once (NULLs grouped together), with the
    /// number of times it occurs as a last column `count_star`.
    public func countingDuplicates() -> ReferenceRelation {
        ReferenceRelation(
            columns: columns + ["count_star"], rows: Self.groups(rows).map { $0.row + [.int64($0.count)] })
    }

    /// The distinct rows (by ``sameRow(_:_:)``) in order of first appearance, each with how often it occurs.
    /// Rows are compared one by one, but only within a bucket of rows that might be the same (a cross
    /// join's thousands of rows would otherwise take millions of comparisons).
    static func groups(_ rows: [[Value]]) -> [(row: [Value], count: Int64)] {
        var groups: [(row: [Value], count: Int64)] = []
        var buckets: [[Bucket]: [Int]] = [:]
        for row in rows {
            let bucket = row.map(Bucket.init)
            if let g = buckets[bucket]?.first(where: { sameRow(groups[$0].row, row) }) {
                groups[g].count += 1
            } else {
                buckets[bucket, default: []].append(groups.count)
                groups.append((row, 1))
            }
        }
        return groups
    }

    /// A coarse key that values ``same(_:_:)`` calls equal always share (numbers of any type by their
    /// double, one NaN, one zero); values that share it are still compared exactly.
    enum Bucket: Hashable {
        case null, nan, number(Double), string(String), bool(Bool)

        init(_ value: Value) {
            switch value {
            case .null: self = .null
            case .string(let s): self = .string(s)
            case .bool(let b): self = .bool(b)
            default:
                let d = value.doubleValue ?? 0
                self = d.isNaN ? .nan : .number(d == 0 ? 0 : d)
            }
        }
    }

    /// The rows as text, `a|b|c`, sorted: SQL promises no order, so answers are compared this way.
    public var lines: [String] { rows.map(Self.line).sorted() }

    /// One row as text, `a|b|c` (each value's description), the form ``lines`` compares.
    public static func line(_ row: [Value]) -> String { row.map(\.description).joined(separator: "|") }

    public var description: String { "\(columns) \(rows.prefix(10))" }
}

// MARK: - Equality

extension ReferenceRelation {
    /// SQL's `a = b` as a condition: TRUE only when neither side is NULL and they compare equal
    /// (``ValueOrder``: numbers across types, NaN equal to itself as DuckDB has it). A NULL key never
    /// joins, not even to another NULL.
    public static func sqlEquals(_ a: Value, _ b: Value) -> Bool { ValueOrder.compare(a, b) == 0 }

    /// Sameness for `DISTINCT`, `GROUP BY` and set operations (`IS NOT DISTINCT FROM`): two NULLs are
    /// the same, a NULL and a value are not, values as ``sqlEquals(_:_:)``.
    public static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a.isNull, b.isNull) {
        case (true, true): true
        case (false, false): sqlEquals(a, b)
        default: false
        }
    }

    /// ``same(_:_:)`` column by column.
    public static func sameRow(_ a: [Value], _ b: [Value]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
    }
}

// MARK: - Joins

/// The kinds of join: which unmatched rows survive (padded with NULLs on the other side).
public enum ReferenceJoinKind: String, Sendable, CaseIterable {
    case inner = "INNER", left = "LEFT", right = "RIGHT", full = "FULL", cross = "CROSS"

    /// The kind a SQL keyword names (`INNER`, `LEFT`, … as in `l LEFT JOIN r`), any case.
    public init?(sql: String) { self.init(rawValue: sql.uppercased()) }
}

extension ReferenceRelation {
    /// Whether the pair `(l, r)` satisfies `l.a = r.b AND … AND residual(l, r)`: each key pair by SQL's
    /// ``sqlEquals(_:_:)`` (a NULL on either side fails), then the residual, which must answer TRUE only
    /// when its condition is TRUE (UNKNOWN fails a join condition as FALSE does).
    public static func joins(
        _ l: Row, _ r: Row, on keys: [(left: String, right: String)], where residual: ((Row, Row) -> Bool)?
    ) -> Bool {
        for key in keys where !sqlEquals(l[key.left], r[key.right]) { return false }
        return residual?(l, r) ?? true
    }

    /// `left kind JOIN right ON keys… AND residual`, as a nested loop: every left row against every right
    /// row; an unmatched left row (LEFT, FULL) or right row (RIGHT, FULL) is kept with NULLs for the
    /// other side. CROSS takes every pair (keys and residual must be empty/nil). Columns: the left's,
    /// then the right's (``qualified(_:)`` first to tell equal names apart).
    public static func join(
        _ left: ReferenceRelation, _ right: ReferenceRelation, kind: ReferenceJoinKind,
        on keys: [(left: String, right: String)] = [], where residual: ((Row, Row) -> Bool)? = nil
    ) -> ReferenceRelation {
        precondition(kind != .cross || (keys.isEmpty && residual == nil), "a CROSS JOIN has no condition")
        let (leftNulls, rightNulls) = (
            [Value](repeating: .null, count: left.columns.count),
            [Value](repeating: .null, count: right.columns.count)
        )
        var out: [[Value]] = []
        var rightMatched = [Bool](repeating: false, count: right.rows.count)
        for l in left.namedRows {
            var matched = false
            for (j, r) in right.namedRows.enumerated() where kind == .cross || joins(l, r, on: keys, where: residual) {
                matched = true
                rightMatched[j] = true
                out.append(l.values + r.values)
            }
            if !matched, kind == .left || kind == .full { out.append(l.values + rightNulls) }
        }
        if kind == .right || kind == .full {
            for (j, r) in right.rows.enumerated() where !rightMatched[j] { out.append(leftNulls + r) }
        }
        return ReferenceRelation(columns: left.columns + right.columns, rows: out)
    }

    /// The rows of `inner` that join the outer row `outer` (`WHERE inner.b = outer.a AND residual`): a
    /// correlated subquery's input for that outer row. The residual gets the outer row first.
    public static func matching(
        _ outer: Row, in inner: ReferenceRelation, on keys: [(outer: String, inner: String)],
        where residual: ((Row, Row) -> Bool)? = nil
    ) -> ReferenceRelation {
        inner.filter { r in joins(outer, r, on: keys.map { (left: $0.outer, right: $0.inner) }, where: residual) }
    }

    /// `outer WHERE EXISTS (SELECT … FROM inner WHERE keys… AND residual)`: the outer rows that join some
    /// inner row, each once however many it joins (a semi join). NULL keys join nothing.
    public static func semiJoin(
        _ outer: ReferenceRelation, _ inner: ReferenceRelation, on keys: [(outer: String, inner: String)],
        where residual: ((Row, Row) -> Bool)? = nil
    ) -> ReferenceRelation {
        outer.filter { !matching($0, in: inner, on: keys, where: residual).rows.isEmpty }
    }

    /// `outer WHERE NOT EXISTS (…)`: the outer rows that join no inner row (an anti join), including every
    /// outer row with a NULL key, since a NULL key joins nothing.
    public static func antiJoin(
        _ outer: ReferenceRelation, _ inner: ReferenceRelation, on keys: [(outer: String, inner: String)],
        where residual: ((Row, Row) -> Bool)? = nil
    ) -> ReferenceRelation {
        outer.filter { matching($0, in: inner, on: keys, where: residual).rows.isEmpty }
    }
}

// MARK: - Subqueries as values

/// An answer the reference refuses, as the SQL it models does.
public struct ReferenceError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension ReferenceRelation {
    /// `x IN (S)` in SQL's three-valued logic: TRUE when some value of S equals x; FALSE when S is empty
    /// (even for a NULL x); otherwise UNKNOWN (`nil`) when x is NULL or S holds a NULL (the NULL might
    /// have been x), else FALSE.
    public static func sqlIn(_ x: Value, _ set: [Value]) -> Bool? {
        if set.isEmpty { return false }
        if x.isNull { return nil }
        if set.contains(where: { sqlEquals($0, x) }) { return true }
        return set.contains(where: \.isNull) ? nil : false
    }

    /// `x NOT IN (S)`: the negation of ``sqlIn(_:_:)``, UNKNOWN staying UNKNOWN, so one NULL in S keeps
    /// every row out and an empty S lets every row (even a NULL x) in.
    public static func sqlNotIn(_ x: Value, _ set: [Value]) -> Bool? { sqlIn(x, set).map { !$0 } }

    /// `(SELECT c FROM …)` as a value: NULL when the subquery has no row, its one value when it has one,
    /// and an error when it has more (DuckDB: "More than one row returned by a subquery").
    public func scalar() throws -> Value {
        precondition(columns.count == 1, "a subquery used as a value has one column, not \(columns)")
        guard rows.count <= 1 else { throw ReferenceError("more than one row returned by a subquery") }
        return rows.first?[0] ?? .null
    }
}

/// Aggregates as SQL computes them over a (correlated) subquery's rows.
public enum ReferenceAggregate: Sendable {
    /// `count(*)`: the rows, NULLs and all.
    case countStar
    /// `count(c)`, `sum(c)`, `min(c)`, `max(c)`, `avg(c)` over one column's non-NULL values.
    case count(String), sum(String), min(String), max(String), avg(String)

    /// The aggregate over `relation`'s rows. Over no (non-NULL) values `count` is 0 and the others are
    /// NULL: a correlated `(SELECT count(*) …)` for an outer row that matches nothing is 0, not NULL.
    /// Integer sums are HUGEINT, as SQL types them; a double anywhere makes a double.
    public func evaluate(_ relation: ReferenceRelation) -> Value {
        func present(_ column: String) -> [Value] { relation.values(column).filter { !$0.isNull } }
        switch self {
        case .countStar:
            return .int64(Int64(relation.rows.count))
        case .count(let c):
            return .int64(Int64(present(c).count))
        case .sum(let c):
            let values = present(c)
            if values.isEmpty { return .null }
            if values.allSatisfy({ if case .int64 = $0 { true } else { false } }) {
                return .hugeint(
                    values.reduce(Int128(0)) { total, v in
                        if case .int64(let x) = v { return total + Int128(x) }
                        return total
                    })
            }
            return .double(values.reduce(0.0) { $0 + ($1.doubleValue ?? .nan) })
        case .min(let c), .max(let c):
            let values = present(c)
            guard var best = values.first else { return .null }
            for v in values.dropFirst() {
                guard let order = ValueOrder.compare(v, best) else { continue }
                if case .min = self, order < 0 { best = v }
                if case .max = self, order > 0 { best = v }
            }
            return best
        case .avg(let c):
            let values = present(c).compactMap(\.doubleValue)
            return values.isEmpty ? .null : .double(values.reduce(0, +) / Double(values.count))
        }
    }
}

extension ReferenceRelation {
    /// A correlated subquery row by outer row: for each row of `outer`, `body` over the inner rows that
    /// join it (``matching(_:in:on:where:)``) — an aggregate, an EXISTS, an IN list, a looked-up value.
    public static func correlated<T>(
        _ outer: ReferenceRelation, _ inner: ReferenceRelation, on keys: [(outer: String, inner: String)],
        where residual: ((Row, Row) -> Bool)? = nil, _ body: (Row, ReferenceRelation) throws -> T
    ) rethrows -> [T] {
        try outer.namedRows.map { o in try body(o, matching(o, in: inner, on: keys, where: residual)) }
    }
}

// MARK: - Set operations

extension ReferenceRelation {
    /// `a UNION ALL b`: every row of both, duplicates kept. Rows are matched by position; names are a's.
    public static func unionAll(_ a: ReferenceRelation, _ b: ReferenceRelation) -> ReferenceRelation {
        precondition(a.columns.count == b.columns.count, "set operations need as many columns on both sides")
        return ReferenceRelation(columns: a.columns, rows: a.rows + b.rows)
    }

    /// `a UNION b`: the distinct rows of both (two NULLs are the same, as DuckDB has it for set operations).
    public static func union(_ a: ReferenceRelation, _ b: ReferenceRelation) -> ReferenceRelation {
        unionAll(a, b).distinct()
    }

    /// `a INTERSECT b`: the distinct rows of `a` that `b` also holds (NULLs the same).
    public static func intersect(_ a: ReferenceRelation, _ b: ReferenceRelation) -> ReferenceRelation {
        precondition(a.columns.count == b.columns.count, "set operations need as many columns on both sides")
        return a.distinct().filter { row in b.rows.contains { sameRow($0, row.values) } }
    }

    /// `a EXCEPT b`: the distinct rows of `a` that `b` does not hold (NULLs the same).
    public static func except(_ a: ReferenceRelation, _ b: ReferenceRelation) -> ReferenceRelation {
        precondition(a.columns.count == b.columns.count, "set operations need as many columns on both sides")
        return a.distinct().filter { row in !b.rows.contains { sameRow($0, row.values) } }
    }

    /// The set operation a SQL keyword names: `UNION`, `UNION ALL`, `INTERSECT` or `EXCEPT`.
    public static func setOperation(
        _ operation: String, _ a: ReferenceRelation, _ b: ReferenceRelation
    ) -> ReferenceRelation {
        switch operation.uppercased() {
        case "UNION ALL": unionAll(a, b)
        case "UNION": union(a, b)
        case "INTERSECT": intersect(a, b)
        case "EXCEPT": except(a, b)
        default: preconditionFailure("no set operation '\(operation)'")
        }
    }
}
