import StrataCore

/// `mode(x)` (and `mode() WITHIN GROUP (ORDER BY x)`): per group a table of each distinct non-NULL value's count
/// and the arrival number of its first row; the answer is the most frequent value, of equally frequent ones the
/// one met first. A worker's rows count as arriving after those of the workers merged before it (the merge runs
/// in worker order), so ties resolve by worker, then by scan order within it.
final class ModeAggregate: VectorAggregate {
    private struct Entry {
        var count: Int
        var first: Int
    }

    private var tables: [[Value: Entry]] = []
    /// Rows added to each group so far (the next arrival number).
    private var arrivals: [Int] = []
    private var distinct = 0

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        grow(&tables, to: groupCount, with: [:])
        grow(&arrivals, to: groupCount, with: 0)
        let mask = argument.nullMask()
        var tables = self.tables, arrivals = self.arrivals
        (self.tables, self.arrivals) = ([], [])
        defer { (self.tables, self.arrivals) = (tables, arrivals) }
        var added = 0
        forEachRow(rows, groups.count, skipping: mask) { i in
            let value = argument.value(at: i)
            guard !value.isNull else { return }
            let g = Int(groups[i])
            if let entry = tables[g][value] {
                tables[g][value] = Entry(count: entry.count + 1, first: entry.first)
            } else {
                tables[g][value] = Entry(count: 1, first: arrivals[g])
                added += 1
            }
            arrivals[g] += 1
        }
        distinct += added
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? ModeAggregate else { return }
        grow(&tables, to: groupCount, with: [:])
        grow(&arrivals, to: groupCount, with: 0)
        for g in other.tables.indices where !other.tables[g].isEmpty {
            let t = Int(groups[g])
            let offset = arrivals[t]
            for (value, entry) in other.tables[g] {
                if let mine = tables[t][value] {
                    tables[t][value] = Entry(count: mine.count + entry.count, first: mine.first)
                } else {
                    tables[t][value] = Entry(count: entry.count, first: offset + entry.first)
                    distinct += 1
                }
            }
            arrivals[t] += other.arrivals[g]
        }
    }

    func result(_ g: Int) -> Value {
        guard g < tables.count else { return .null }
        var best: (value: Value, entry: Entry)?
        for (value, entry) in tables[g] {
            if let b = best,
                entry.count < b.entry.count || (entry.count == b.entry.count && entry.first > b.entry.first)
            {
                continue
            }
            best = (value, entry)
        }
        return best?.value ?? .null
    }

    var bytes: Int { tables.count * 64 + distinct * (MemoryLayout<Value>.stride + 32) }
}
