import StrataCore

/// `sum(DISTINCT x)` and `avg(DISTINCT x)`: per group the set of distinct values — int64 units (BIGINT, DECIMAL)
/// and doubles typed, anything else boxed — which workers' states unite. At the end a group's values are summed in
/// ascending order (so a floating-point sum does not depend on hashing) by the row-at-a-time state, which gives
/// the exact sums, types and overflow errors of `sum` and `avg`.
final class SumDistinctAggregate: VectorAggregate {
    private let call: AggregateCall
    private let type: SQLValueType
    private var integers: [Set<Int64>] = []
    private var doubles: [Set<Double>] = []
    private var boxed: [Set<Value>] = []
    private var kept = 0

    init(call: AggregateCall) {
        self.call = call
        type = call.argument?.type ?? .null
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        grow(&integers, to: groupCount, with: [])
        grow(&doubles, to: groupCount, with: [])
        grow(&boxed, to: groupCount, with: [])
        let mask = argument.nullMask()
        var added = 0
        if type == .double, let v = argument.doubleBuffer() {
            var doubles = self.doubles
            self.doubles = []
            defer { self.doubles = doubles }
            forEachRow(rows, groups.count, skipping: mask) { i in
                if doubles[Int(groups[i])].insert(v[i]).inserted { added += 1 }
            }
        } else if type == .bigint || type.isDecimal, let v = argument.int64Buffer() {
            var integers = self.integers
            self.integers = []
            defer { self.integers = integers }
            forEachRow(rows, groups.count, skipping: mask) { i in
                if integers[Int(groups[i])].insert(v[i]).inserted { added += 1 }
            }
        } else {
            var boxed = self.boxed
            self.boxed = []
            defer { self.boxed = boxed }
            forEachRow(rows, groups.count, skipping: mask) { i in
                let value = argument.value(at: i)
                guard !value.isNull else { return }
                if boxed[Int(groups[i])].insert(value).inserted { added += 1 }
            }
        }
        kept += added
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? SumDistinctAggregate else { return }
        grow(&integers, to: groupCount, with: [])
        grow(&doubles, to: groupCount, with: [])
        grow(&boxed, to: groupCount, with: [])
        for g in other.integers.indices {
            let t = Int(groups[g])
            integers[t].formUnion(other.integers[g])
            doubles[t].formUnion(other.doubles[g])
            boxed[t].formUnion(other.boxed[g])
        }
        kept += other.kept
    }

    func result(_ g: Int) throws(StrataError) -> Value {
        var values: Set<Value> = g < boxed.count ? boxed[g] : []
        if g < integers.count {
            for x in integers[g] { values.insert(Vector.box(x, type: type)) }
            for x in doubles[g] { values.insert(.double(x)) }
        }
        var state = AggregateState(distinct: false)
        for value in values.sorted(by: { ValueOrder.sortOrder($0, $1, nullsFirst: false) < 0 }) {
            state.add(value, call.function)
        }
        if state.overflow {
            throw StrataError(.invalidArgument, "overflow in \(call.text): the sum does not fit in 128 bits (HUGEINT)")
        }
        return state.result(call.function)
    }

    var bytes: Int { integers.count * 72 + kept * 24 }
}
