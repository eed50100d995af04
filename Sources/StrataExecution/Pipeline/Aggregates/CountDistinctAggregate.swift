import StrataCore

/// `count(DISTINCT x)`, exact: values are numbered (strings once per dictionary entry of a segment), and
/// the distinct (group, value number) pairs of every group are kept in ``DistinctPairs``.
final class CountDistinctAggregate: VectorAggregate {
    private let numbering = KeyColumn()
    private var pairs = DistinctPairs()

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        type = argument.type
        let mask = argument.nullMask()
        // A FILTER that keeps few rows: only their values are numbered.
        let ids = numbering.ids(argument, rows: rows.flatMap { $0.count * 4 < groups.count ? $0 : nil })
        var pairs = self.pairs
        self.pairs = DistinctPairs()
        defer { self.pairs = pairs }
        for i in RowIndices(rows, groups.count) {
            if let mask, !mask[i] { continue }
            pairs.insert(group: groups[i], value: ids[i])
        }
    }

    private var counts: [Int64]?
    /// The argument's type (to rebuild values when merging).
    private var type: SQLValueType = .null

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? CountDistinctAggregate, !other.pairs.isEmpty else { return }
        // The other worker's value numbers, renumbered here in one pass over its values.
        let ids = numbering.ids(Vector.from(other.numbering.values, type: other.type))
        if type == .null { type = other.type }
        other.pairs.forEach { group, value in pairs.insert(group: groups[Int(group)], value: ids[Int(value)]) }
    }

    func result(_ group: Int) -> Value {
        if counts == nil { counts = pairs.counts() }
        return .int64(counts.map { group < $0.count ? $0[group] : 0 } ?? 0)
    }

    var bytes: Int { pairs.bytes + numbering.bytes }
}

/// Distinct (group, value number) pairs. While groups × values is small (days × users for daily active
/// users) each group has a bitset over value numbers — one bit set per row, in memory that stays in cache;
/// past ``DistinctPairs/bitLimit`` bits the pairs move to one hash table.
struct DistinctPairs {
    private var bitsets: [[UInt64]] = []
    private var words = 0
    private var table: IDTable?
    /// 2^26 bits: 8 MB of bitsets at most.
    static let bitLimit = 1 << 26

    var isEmpty: Bool { table.map { $0.count == 0 } ?? (words == 0) }

    @inline(__always)
    mutating func insert(group: UInt32, value: UInt32) {
        if table != nil {
            _ = table?.id(UInt64(group) << 32 | UInt64(value))
            return
        }
        let g = Int(group)
        let w = Int(value >> 6)
        if g >= bitsets.count || w >= bitsets[g].count {
            if !makeRoom(group: g, word: w) {
                _ = table?.id(UInt64(group) << 32 | UInt64(value))
                return
            }
        }
        bitsets[g][w] |= 1 << UInt64(value & 63)
    }

    /// Grows the bitsets to hold word `word` of group `group`; `false` when that passes the limit (the
    /// pairs are then in `table`).
    private mutating func makeRoom(group g: Int, word w: Int) -> Bool {
        while bitsets.count <= g { bitsets.append([]) }
        // Grow by half again, so a group's bitset is reallocated a logarithmic number of times.
        let size = Swift.max(w + 1, bitsets[g].count + bitsets[g].count / 2)
        guard (words + size - bitsets[g].count) * 64 <= Self.bitLimit else {
            var pairs = IDTable()
            forEach { group, value in _ = pairs.id(UInt64(group) << 32 | UInt64(value)) }
            table = pairs
            bitsets = []
            words = 0
            return false
        }
        words += size - bitsets[g].count
        bitsets[g].append(contentsOf: repeatElement(0, count: size - bitsets[g].count))
        return true
    }

    func forEach(_ body: (UInt32, UInt32) -> Void) {
        if let table {
            table.forEach { pair, _ in body(UInt32(pair >> 32), UInt32(truncatingIfNeeded: pair)) }
            return
        }
        for (g, bits) in bitsets.enumerated() {
            for (w, word) in bits.enumerated() where word != 0 {
                var rest = word
                while rest != 0 {
                    body(UInt32(g), UInt32(w * 64 + rest.trailingZeroBitCount))
                    rest &= rest - 1
                }
            }
        }
    }

    /// The number of values of each group.
    func counts() -> [Int64] {
        if table != nil {
            var c: [Int64] = []
            forEach { group, _ in
                grow(&c, to: Int(group) + 1, with: 0)
                c[Int(group)] += 1
            }
            return c
        }
        return bitsets.map { bits in Int64(bits.reduce(0) { $0 + $1.nonzeroBitCount }) }
    }

    var bytes: Int { (table?.bytes ?? 0) + words * 8 }
}
