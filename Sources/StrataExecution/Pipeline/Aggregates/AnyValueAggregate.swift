import StrataCore

/// `any_value(x)`: per group the first non-NULL value met (boxed once per group, not per row). Across workers
/// the earlier worker's value stays.
final class AnyValueAggregate: VectorAggregate {
    private var values: [Value] = []

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        let mask = argument.nullMask()
        var values = self.values
        self.values = []
        defer { self.values = values }
        grow(&values, to: groupCount, with: .null)
        forEachRow(rows, groups.count, skipping: mask) { i in
            let g = Int(groups[i])
            if values[g].isNull { values[g] = argument.value(at: i) }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? AnyValueAggregate else { return }
        grow(&values, to: groupCount, with: .null)
        for g in other.values.indices where !other.values[g].isNull {
            let t = Int(groups[g])
            if values[t].isNull { values[t] = other.values[g] }
        }
    }

    func result(_ g: Int) -> Value { g < values.count ? values[g] : .null }

    var bytes: Int { values.count * MemoryLayout<Value>.stride }
}
