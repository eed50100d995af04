/// Comparison of values as SQL compares them: numbers across int64/double/timestamp, strings by UTF-8
/// bytes, booleans false < true. `nil` when either side is NULL or the types do not compare.
public enum ValueOrder {
    public static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case (.int64(let x), .int64(let y)), (.timestamp(let x), .timestamp(let y)),
            (.timestamp(let x), .int64(let y)), (.int64(let x), .timestamp(let y)):
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.string(let x), .string(let y)):
            return x == y ? 0 : (less(x, y) ? -1 : 1)
        case (.bool(let x), .bool(let y)):
            return x == y ? 0 : (!x ? -1 : 1)
        case (.hugeint, _), (.decimal, _), (_, .hugeint), (_, .decimal):
            if let order = exactCompare(a, b) { return order }
            guard let x = a.doubleValue, let y = b.doubleValue else { return nil }
            return compare(x, y)
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else { return nil }
            return compare(x, y)
        }
    }

    /// Integers and decimals compared exactly, at the larger of their scales; nil when either is not
    /// exact or a value does not fit 128 bits at that scale.
    static func exactCompare(_ a: Value, _ b: Value) -> Int? {
        func units(_ value: Value) -> (Int128, Int)? {
            switch value {
            case .int64(let x): (Int128(x), 0)
            case .hugeint(let x): (x, 0)
            case .decimal(let d): (d.unscaled, d.scale)
            default: nil
            }
        }
        guard let (x, xs) = units(a), let (y, ys) = units(b) else { return nil }
        let scale = max(xs, ys)
        guard let l = DecimalValue.rescale(x, from: xs, to: scale), let r = DecimalValue.rescale(y, from: ys, to: scale)
        else { return nil }
        return l == r ? 0 : (l < r ? -1 : 1)
    }

    /// Doubles as DuckDB orders them: NaN above every number and equal to itself.
    public static func compare(_ x: Double, _ y: Double) -> Int {
        if x.isNaN || y.isNaN { return x.isNaN && y.isNaN ? 0 : (x.isNaN ? 1 : -1) }
        return x == y ? 0 : (x < y ? -1 : 1)
    }

    package static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Total order for sorting results: NULLs by `nullsFirst`, then `compare`, incomparable types by type name.
    public static func sortOrder(_ a: Value, _ b: Value, nullsFirst: Bool) -> Int {
        switch (a.isNull, b.isNull) {
        case (true, true): return 0
        case (true, false): return nullsFirst ? -1 : 1
        case (false, true): return nullsFirst ? 1 : -1
        default: break
        }
        if let c = compare(a, b) { return c }
        let (ta, tb) = (a.dataType?.rawValue ?? "", b.dataType?.rawValue ?? "")
        return ta == tb ? 0 : (ta < tb ? -1 : 1)
    }
}
