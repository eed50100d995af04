import StrataCore

/// `count_if(x)`: per group the rows where `x` is true, HUGEINT as DuckDB types it (a sum of the condition as
/// an integer), so NULL for a group without a non-NULL condition.
final class CountIfAggregate: VectorAggregate {
    private var seen: [Bool] = []
    private var counts: [Int64] = []

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        let v = argument.boolBuffer() ?? (0..<argument.count).map { argument.value(at: $0) == .bool(true) }
        let mask = argument.nullMask()
        var seen = self.seen, counts = self.counts
        (self.seen, self.counts) = ([], [])
        defer { (self.seen, self.counts) = (seen, counts) }
        grow(&seen, to: groupCount, with: false)
        grow(&counts, to: groupCount, with: 0)
        forEachRow(rows, groups.count, skipping: mask) { i in
            let g = Int(groups[i])
            seen[g] = true
            counts[g] &+= v[i] ? 1 : 0
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? CountIfAggregate else { return }
        grow(&seen, to: groupCount, with: false)
        grow(&counts, to: groupCount, with: 0)
        for g in other.seen.indices where other.seen[g] {
            let t = Int(groups[g])
            seen[t] = true
            counts[t] &+= other.counts[g]
        }
    }

    func result(_ g: Int) -> Value { g < seen.count && seen[g] ? .hugeint(Int128(counts[g])) : .null }

    var bytes: Int { seen.count * 9 }
}
