import StrataCore

/// `count(DISTINCT x)`, exact: values are numbered (strings once per dictionary entry of a segment), and
/// one hash set holds the distinct (group, value number) pairs of every group.
final class CountDistinctAggregate: VectorAggregate {
    private let numbering = KeyColumn()
    private var pairs = IDTable()

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        type = argument.type
        let mask = argument.nullMask()
        // A FILTER that keeps few rows: only their values are numbered.
        let ids = numbering.ids(argument, rows: rows.flatMap { $0.count * 4 < groups.count ? $0 : nil })
        var pairs = self.pairs
        self.pairs = IDTable()
        defer { self.pairs = pairs }
        for i in RowIndices(rows, groups.count) {
            if let mask, !mask[i] { continue }
            _ = pairs.id(UInt64(groups[i]) << 32 | UInt64(ids[i]))
        }
    }

    private var counts: [Int64]?
    /// The argument's type (to rebuild values when merging).
    private var type: SQLValueType = .null

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? CountDistinctAggregate, other.pairs.count > 0 else { return }
        // The other worker's value numbers, renumbered here in one pass over its values.
        let ids = numbering.ids(Vector.from(other.numbering.values, type: other.type))
        if type == .null { type = other.type }
        other.pairs.forEach { pair, _ in
            _ = pairs.id(UInt64(groups[Int(pair >> 32)]) << 32 | UInt64(ids[Int(pair & 0xFFFF_FFFF)]))
        }
    }

    func result(_ group: Int) -> Value {
        if counts == nil {
            var c: [Int64] = []
            pairs.forEach { pair, _ in
                let g = Int(pair >> 32)
                grow(&c, to: g + 1, with: 0)
                c[g] += 1
            }
            counts = c
        }
        return .int64(counts.map { group < $0.count ? $0[group] : 0 } ?? 0)
    }

    var bytes: Int { pairs.bytes + numbering.bytes }
}
