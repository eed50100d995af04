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
        pairs.insert(groups: groups, values: ids, rows: rows, mask: mask)
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
/// users) each group has a bitset over value numbers, all in one array with `stride` words per group — one
/// bit set per row, in memory that stays in cache; past ``DistinctPairs/bitLimit`` bits the pairs move to
/// one hash table.
struct DistinctPairs {
    private var words: [UInt64] = []
    /// Words per group, and the groups laid out.
    private var stride = 0
    private var groups = 0
    private var table: IDTable?
    /// 2^26 bits: 8 MB of bitsets at most.
    static let bitLimit = 1 << 26

    var isEmpty: Bool { table.map { $0.count == 0 } ?? words.isEmpty }

    /// Adds the pair of each row to visit (see ``forEachRow(_:_:skipping:_:)``).
    mutating func insert(groups: [UInt32], values: [UInt32], rows: [Int32]?, mask: Bitset?) {
        groups.withUnsafeBufferPointer { groups in
            values.withUnsafeBufferPointer { values in
                if table == nil {
                    var topGroup: UInt32 = 0
                    var topValue: UInt32 = 0
                    forEachRow(rows, groups.count, skipping: mask) { i in
                        topGroup = Swift.max(topGroup, groups[i])
                        topValue = Swift.max(topValue, values[i])
                    }
                    if reserve(groups: Int(topGroup) + 1, values: Int(topValue) + 1) {
                        let stride = stride
                        words.withUnsafeMutableBufferPointer { words in
                            forEachRow(rows, groups.count, skipping: mask) { i in
                                let v = values[i]
                                words[Int(groups[i]) &* stride &+ Int(v >> 6)] |= 1 << UInt64(v & 63)
                            }
                        }
                        return
                    }
                }
                forEachRow(rows, groups.count, skipping: mask) { i in
                    _ = table?.id(UInt64(groups[i]) << 32 | UInt64(values[i]))
                }
            }
        }
    }

    /// Adds one pair.
    mutating func insert(group: UInt32, value: UInt32) {
        if table == nil, reserve(groups: Int(group) + 1, values: Int(value) + 1) {
            words[Int(group) * stride + Int(value >> 6)] |= 1 << UInt64(value & 63)
            return
        }
        _ = table?.id(UInt64(group) << 32 | UInt64(value))
    }

    /// Lays the bitsets out for `groups` groups of `values` values (growing by half again, so a layout is
    /// copied a logarithmic number of times); `false` when that passes the limit (the pairs are then in
    /// `table`).
    private mutating func reserve(groups needed: Int, values: Int) -> Bool {
        let neededStride = (values + 63) >> 6
        guard needed > groups || neededStride > stride else { return true }
        let newStride = neededStride > stride ? Swift.max(neededStride, stride + stride / 2) : stride
        let newGroups = needed > groups ? Swift.max(needed, groups + groups / 2) : groups
        guard newGroups * newStride * 64 <= Self.bitLimit else {
            var pairs = IDTable()
            forEach { group, value in _ = pairs.id(UInt64(group) << 32 | UInt64(value)) }
            table = pairs
            words = []
            (stride, groups) = (0, 0)
            return false
        }
        if newStride == stride {
            words.append(contentsOf: repeatElement(0, count: (newGroups - groups) * stride))
        } else {
            var laid = [UInt64](repeating: 0, count: newGroups * newStride)
            for g in 0..<groups {
                for w in 0..<stride { laid[g * newStride + w] = words[g * stride + w] }
            }
            words = laid
        }
        (stride, groups) = (newStride, newGroups)
        return true
    }

    func forEach(_ body: (UInt32, UInt32) -> Void) {
        if let table {
            table.forEach { pair, _ in body(UInt32(pair >> 32), UInt32(truncatingIfNeeded: pair)) }
            return
        }
        for g in 0..<groups {
            for w in 0..<stride where words[g * stride + w] != 0 {
                var rest = words[g * stride + w]
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
        return (0..<groups).map { g in
            Int64(words[(g * stride)..<((g + 1) * stride)].reduce(0) { $0 + $1.nonzeroBitCount })
        }
    }

    var bytes: Int { (table?.bytes ?? 0) + words.count * 8 }
}
