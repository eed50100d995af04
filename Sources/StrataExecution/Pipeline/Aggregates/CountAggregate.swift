import StrataCore

/// `count(x)`: non-NULL values per group.
final class CountAggregate: VectorAggregate {
    private var counts: [Int64] = []

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        var counts = self.counts
        self.counts = []
        defer { self.counts = counts }
        grow(&counts, to: groupCount, with: 0)
        let mask = argument?.nullMask()
        counts.withUnsafeMutableBufferPointer { counts in
            groups.withUnsafeBufferPointer { groups in
                forEachRow(rows, groups.count, skipping: mask) { i in counts[Int(groups[i])] &+= 1 }
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? CountAggregate else { return }
        grow(&counts, to: groupCount, with: 0)
        for (g, c) in other.counts.enumerated() { counts[Int(groups[g])] &+= c }
    }

    func result(_ group: Int) -> Value { .int64(group < counts.count ? counts[group] : 0) }
    var bytes: Int { counts.count * 8 }
}
