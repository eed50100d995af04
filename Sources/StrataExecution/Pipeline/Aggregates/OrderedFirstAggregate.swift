import StrataCore

/// `first(x ORDER BY k …)` and `last(x ORDER BY k …)`: per group the value of the row that sorts first (last)
/// under the ORDER BY, NULL values included, and that row's keys. Of rows with equal keys, `first` keeps the one
/// met first and `last` the one met last, as a stable sort would; workers merge in worker order with the same
/// rule, so ties resolve by worker, then by scan order within it.
final class OrderedFirstAggregate: VectorAggregate {
    private let last: Bool
    private let order: [AggregateOrderKey]
    private var has: [Bool] = []
    private var values: [Value] = []
    private var keys: [[Value]] = []

    init(last: Bool, order: [AggregateOrderKey]) {
        self.last = last
        self.order = order
    }

    /// Whether a row with keys `candidate`, met after the one with `current`, replaces it.
    @inline(__always)
    private func replaces(_ candidate: [Value], _ current: [Value]) -> Bool {
        let c = AggregateOrderKey.compare(candidate, current, order)
        return last ? c >= 0 : c < 0
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        try update(groups, groupCount: groupCount, arguments: [argument], rows: rows)
    }

    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) throws(StrataError) {
        guard let x = arguments.first else { return }
        let keyVectors = Array(arguments.dropFirst())
        grow(&has, to: groupCount, with: false)
        grow(&values, to: groupCount, with: .null)
        grow(&keys, to: groupCount, with: [])
        for i in RowIndices(rows, groups.count) {
            let g = Int(groups[i])
            let key = keyVectors.map { $0.value(at: i) }
            if !has[g] || replaces(key, keys[g]) {
                (has[g], values[g], keys[g]) = (true, x.value(at: i), key)
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? OrderedFirstAggregate else { return }
        grow(&has, to: groupCount, with: false)
        grow(&values, to: groupCount, with: .null)
        grow(&keys, to: groupCount, with: [])
        for g in other.has.indices where other.has[g] {
            let t = Int(groups[g])
            if !has[t] || replaces(other.keys[g], keys[t]) {
                (has[t], values[t], keys[t]) = (true, other.values[g], other.keys[g])
            }
        }
    }

    func result(_ g: Int) -> Value { g < values.count ? values[g] : .null }

    var bytes: Int { has.count * (1 + MemoryLayout<Value>.stride * (1 + order.count) + 24) }
}
