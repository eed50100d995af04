import StrataCore

/// `count(DISTINCT (a, b, …))`: per group the set of distinct rows of the fields, each row boxed once. A row is
/// counted whatever NULLs its fields hold (DuckDB's row is a STRUCT, which is not NULL when a field is); workers'
/// sets unite.
final class CountDistinctRowsAggregate: VectorAggregate {
    private var sets: [Set<[Value]>] = []
    private var kept = 0

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        try update(groups, groupCount: groupCount, arguments: [argument], rows: rows)
    }

    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) throws(StrataError) {
        grow(&sets, to: groupCount, with: [])
        var sets = self.sets
        self.sets = []
        defer { self.sets = sets }
        var added = 0
        forEachRow(rows, groups.count, skipping: nil) { i in
            if sets[Int(groups[i])].insert(arguments.map { $0.value(at: i) }).inserted { added += 1 }
        }
        kept += added
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? CountDistinctRowsAggregate else { return }
        grow(&sets, to: groupCount, with: [])
        for g in other.sets.indices where !other.sets[g].isEmpty {
            let t = Int(groups[g])
            let before = sets[t].count
            sets[t].formUnion(other.sets[g])
            kept += sets[t].count - before
        }
    }

    func result(_ g: Int) -> Value { .int64(g < sets.count ? Int64(sets[g].count) : 0) }

    var bytes: Int { sets.count * 48 + kept * 64 }
}
