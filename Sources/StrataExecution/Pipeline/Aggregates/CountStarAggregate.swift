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
            } else {
                // By runs of one group (time-ordered rows grouped by hour or day): one add per run rather than
                // a chain of increments of one counter through memory.
                groups.withUnsafeBufferPointer { groups in
                    var i = 0
                    while i < groups.count {
                        let g = groups[i]
                        var j = i &+ 1
                        while j < groups.count, groups[j] == g { j &+= 1 }
                        c[Int(g)] &+= Int64(j &- i)
                        i = j
                    }
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
