import StrataCore

/// `arg_max(x, by)` and `arg_min(x, by)` (`max_by`, `min_by`): per group the largest (smallest) `by` so far,
/// typed for DOUBLE, BIGINT and TIMESTAMP `by` (boxed otherwise), and the `x` of its row, boxed only when it
/// changes. Rows where either argument is NULL are skipped; of equal `by` values the row met first wins (strict
/// comparison), within a worker; across workers the merge keeps the earlier worker's row, so ties under
/// parallelism resolve by worker, as DuckDB's resolve by thread.
final class ArgExtremeAggregate: VectorAggregate {
    private enum Key { case integer, double, boxed }
    private let maximum: Bool
    private let key: Key
    private var has: [Bool] = []
    private var values: [Value] = []
    private var integers: [Int64] = []
    private var doubles: [Double] = []
    private var boxed: [Value] = []

    init(maximum: Bool, by type: SQLValueType?) {
        self.maximum = maximum
        key =
            switch type {
            case .double?: .double
            case .bigint?, .timestamp?: .integer
            default: .boxed
            }
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        throw StrataError(.internal, "arg_max and arg_min need two arguments")
    }

    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) throws(StrataError) {
        guard arguments.count == 2 else { throw StrataError(.internal, "arg_max and arg_min need two arguments") }
        let (x, by) = (arguments[0], arguments[1])
        var mask = x.nullMask()
        if let other = by.nullMask() {
            if var both = mask {
                for i in 0..<both.count where !other[i] { both[i] = false }
                mask = both
            } else {
                mask = other
            }
        }
        grow(&has, to: groupCount, with: false)
        grow(&values, to: groupCount, with: .null)
        let maximum = self.maximum
        switch key {
        case .integer:
            let v =
                by.int64Buffer()
                ?? (0..<by.count).map { i -> Int64 in
                    switch by.value(at: i) {
                    case .int64(let n), .timestamp(let n): n
                    default: 0
                    }
                }
            grow(&integers, to: groupCount, with: 0)
            var has = self.has, integers = self.integers, values = self.values
            (self.has, self.integers, self.values) = ([], [], [])
            defer { (self.has, self.integers, self.values) = (has, integers, values) }
            forEachRow(rows, groups.count, skipping: mask) { i in
                let g = Int(groups[i])
                if !has[g] || (maximum ? v[i] > integers[g] : v[i] < integers[g]) {
                    (has[g], integers[g], values[g]) = (true, v[i], x.value(at: i))
                }
            }
        case .double:
            let v = by.doubleBuffer() ?? (0..<by.count).map { by.value(at: $0).doubleValue ?? 0 }
            grow(&doubles, to: groupCount, with: 0)
            var has = self.has, doubles = self.doubles, values = self.values
            (self.has, self.doubles, self.values) = ([], [], [])
            defer { (self.has, self.doubles, self.values) = (has, doubles, values) }
            forEachRow(rows, groups.count, skipping: mask) { i in
                let g = Int(groups[i])
                if !has[g] || Self.better(v[i], than: doubles[g], maximum) {
                    (has[g], doubles[g], values[g]) = (true, v[i], x.value(at: i))
                }
            }
        case .boxed:
            grow(&boxed, to: groupCount, with: .null)
            forEachRow(rows, groups.count, skipping: mask) { i in
                let g = Int(groups[i])
                let b = by.value(at: i)
                if !has[g] || Self.better(b, than: boxed[g], maximum) {
                    (has[g], boxed[g], values[g]) = (true, b, x.value(at: i))
                }
            }
        }
    }

    /// DuckDB's order of doubles: NaN above every number.
    @inline(__always)
    private static func better(_ a: Double, than b: Double, _ maximum: Bool) -> Bool {
        maximum ? (a > b || (a.isNaN && !b.isNaN)) : (a < b || (b.isNaN && !a.isNaN))
    }

    private static func better(_ a: Value, than b: Value, _ maximum: Bool) -> Bool {
        guard let order = ValueOrder.compare(a, b) else { return false }
        return maximum ? order > 0 : order < 0
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? ArgExtremeAggregate else { return }
        grow(&has, to: groupCount, with: false)
        grow(&values, to: groupCount, with: .null)
        grow(&integers, to: key == .integer ? groupCount : 0, with: 0)
        grow(&doubles, to: key == .double ? groupCount : 0, with: 0)
        grow(&boxed, to: key == .boxed ? groupCount : 0, with: .null)
        for g in other.has.indices where other.has[g] {
            let t = Int(groups[g])
            let better: Bool =
                switch key {
                case .integer: maximum ? other.integers[g] > integers[t] : other.integers[g] < integers[t]
                case .double: Self.better(other.doubles[g], than: doubles[t], maximum)
                case .boxed: Self.better(other.boxed[g], than: boxed[t], maximum)
                }
            guard !has[t] || better else { continue }
            has[t] = true
            values[t] = other.values[g]
            switch key {
            case .integer: integers[t] = other.integers[g]
            case .double: doubles[t] = other.doubles[g]
            case .boxed: boxed[t] = other.boxed[g]
            }
        }
    }

    func result(_ g: Int) -> Value { g < values.count ? values[g] : .null }

    var bytes: Int { has.count * (1 + 8 + MemoryLayout<Value>.stride * (key == .boxed ? 2 : 1)) }
}
