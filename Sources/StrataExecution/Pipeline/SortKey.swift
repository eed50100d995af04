import StrataCore

/// An ORDER BY key: a column of the input, its direction and where its NULLs go.
///
/// The order is ``ValueOrder/sortOrder(_:_:nullsFirst:)`` reversed for DESC between non-null values
/// (NULLS FIRST/LAST is absolute, as DuckDB has it). Every sort and top-N compares through the methods
/// here: the typed paths are that order on unboxed elements, and anything else boxes and asks `sortOrder`.
package struct SortKey: Hashable, Sendable {
    package var column: Int
    package var descending: Bool
    package var nullsFirst: Bool

    package init(column: Int, descending: Bool, nullsFirst: Bool) {
        self.column = column
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    /// The order of two boxed values: negative when `a` comes first, zero when they tie.
    @inline(__always)
    func order(_ a: Value, _ b: Value) -> Int {
        let order = ValueOrder.sortOrder(a, b, nullsFirst: nullsFirst)
        return descending && !a.isNull && !b.isNull ? -order : order
    }

    /// The order of two non-null elements, from an ascending comparison.
    @inline(__always)
    func directed(_ ascending: Int) -> Int { descending ? -ascending : ascending }

    /// The order of row `row` of `vector` (this key's column) against a boxed value, without boxing the
    /// row when the vector is typed.
    func order(_ vector: Vector, _ row: Int, _ value: Value) -> Int {
        let rowNull = vector.isNull(row)
        if rowNull || value.isNull {
            if rowNull && value.isNull { return 0 }
            return rowNull == nullsFirst ? -1 : 1
        }
        return orderNonNull(vector, row, value)
    }

    private func orderNonNull(_ vector: Vector, _ row: Int, _ value: Value) -> Int {
        switch (vector.storage, value) {
        case (.int64(let v), _):
            if let y = Self.int64(value, type: vector.type) { return directed(Self.compare(v[row], y)) }
        case (.double(let v), .double(let y)): return directed(ValueOrder.compare(v[row], y))
        case (.bool(let v), .bool(let y)): return directed(v[row] == y ? 0 : (y ? -1 : 1))
        case (.string(let v), .string(let y)): return directed(Self.compare(v[row], y))
        case (.dictionary(let codes, let entries, _), _): return orderNonNull(entries, Int(codes[row]), value)
        default: break
        }
        return order(vector.value(at: row), value)
    }

    /// A boxed value as the `int64` element a vector of `type` would hold for it (`nil`: no such element,
    /// so the comparison boxes instead): for DECIMAL, units of the type's scale.
    @inline(__always)
    static func int64(_ value: Value, type: SQLValueType) -> Int64? {
        switch (type, value) {
        case (.decimal(_, let s), .decimal(let d)): d.scale == s ? Int64(exactly: d.unscaled) : nil
        case (.decimal, _): nil
        case (_, .int64(let y)), (_, .timestamp(let y)): y
        case (_, .hugeint(let y)): Int64(exactly: y)
        default: nil
        }
    }

    @inline(__always)
    static func compare(_ x: Int64, _ y: Int64) -> Int { x == y ? 0 : (x < y ? -1 : 1) }

    /// Strings by their UTF-8 bytes, as ``ValueOrder`` compares them.
    @inline(__always)
    static func compare(_ x: String, _ y: String) -> Int {
        x == y ? 0 : (ValueOrder.less(x, y) ? -1 : 1)
    }
}
