import StrataCore

/// `count(*)`: rows per group.
final class CountStarAggregate: VectorAggregate {
    private var counts: [Int64] = []

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) {
        grow(&counts, to: groupCount, with: 0)
        if let rows {
            for r in rows { counts[Int(groups[Int(r)])] &+= 1 }
        } else {
            for g in groups { counts[Int(g)] &+= 1 }
        }
    }

    func result(_ group: Int) -> Value { .int64(group < counts.count ? counts[group] : 0) }
    var bytes: Int { counts.count * 8 }
}
