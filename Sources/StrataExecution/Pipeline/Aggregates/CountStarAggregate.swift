import StrataCore

/// `count(*)`: rows per group.
final class CountStarAggregate: VectorAggregate {
    private var counts: [Int64] = []

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) {
        // A local copy in the loop: no exclusivity check per row on the class's property.
        var counts = self.counts
        self.counts = []
        defer { self.counts = counts }
        grow(&counts, to: groupCount, with: 0)
        if groupCount == 1, !counts.isEmpty {
            // Ungrouped: the rows, not one increment per row of the same counter.
            counts[0] &+= Int64(rows?.count ?? groups.count)
            return
        }
        counts.withUnsafeMutableBufferPointer { c in
            if let rows {
                for r in rows { c[Int(groups[Int(r)])] &+= 1 }
            } else if groupCount <= 1024 {
                // Few groups: four lanes of counters, so rows of one group in a row (time-ordered rows by hour)
                // do not wait on each other's increment of one counter in memory.
                var lanes = [Int64](repeating: 0, count: 4 * groupCount)
                lanes.withUnsafeMutableBufferPointer { lanes in
                    groups.withUnsafeBufferPointer { groups in
                        for i in 0..<groups.count { lanes[(i & 3) &* groupCount &+ Int(groups[i])] &+= 1 }
                    }
                    for g in 0..<groupCount {
                        c[g] &+= lanes[g] &+ lanes[groupCount + g] &+ lanes[2 * groupCount + g] &+ lanes[3 * groupCount + g]
                    }
                }
            } else {
                groups.withUnsafeBufferPointer { groups in
                    for g in groups { c[Int(g)] &+= 1 }
                }
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? CountStarAggregate else { return }
        grow(&counts, to: groupCount, with: 0)
        for (g, c) in other.counts.enumerated() { counts[Int(groups[g])] &+= c }
    }

    func result(_ group: Int) -> Value { .int64(group < counts.count ? counts[group] : 0) }
    var bytes: Int { counts.count * 8 }
}
