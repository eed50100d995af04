import StrataCore

/// A count over a rolled-up table: the sum of the stored counts (`count(*)` reads the rollup's `count`
/// column, `count(x)` the `#n` part of `x`'s moments). BIGINT, and 0 — not NULL — for a group whose rows a
/// FILTER dropped, as a count of the raw rows would be.
final class RollupCountAggregate: VectorAggregate {
    private var counts: [Int64] = []

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        grow(&counts, to: groupCount, with: 0)
        guard let argument else { return }
        let mask = argument.nullMask()
        var counts = self.counts
        self.counts = []
        defer { self.counts = counts }
        switch argument.storage {
        case .int64(let v):
            counts.withUnsafeMutableBufferPointer { counts in
                v.withUnsafeBufferPointer { v in
                    forEachRow(rows, groups.count, skipping: mask) { i in counts[Int(groups[i])] &+= v[i] }
                }
            }
        default:
            for i in RowIndices(rows, groups.count) {
                if case .int64(let x) = argument.value(at: i) { counts[Int(groups[i])] &+= x }
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? RollupCountAggregate else { return }
        grow(&counts, to: groupCount, with: 0)
        for (g, n) in other.counts.enumerated() { counts[Int(groups[g])] &+= n }
    }

    func result(_ group: Int) -> Value { .int64(group < counts.count ? counts[group] : 0) }
    var bytes: Int { counts.count * 8 }
}
