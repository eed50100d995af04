import StrataCore

/// `count(DISTINCT x)`, exact: values are numbered (strings once per dictionary entry of a segment), and
/// the distinct (group, value number) pairs of every group are kept in ``DistinctPairs``.
///
/// While every value comes as a code of one table-wide dictionary (`user_id` with a table dictionary), the
/// codes themselves are the value numbers: no string is hashed and no code mapped, and the pairs are a
/// bitset per group over codes. A value that comes any other way numbers the codes seen so far first.
final class CountDistinctAggregate: VectorAggregate {
    private let numbering = KeyColumn()
    private var pairs = DistinctPairs()
    /// The table-wide dictionary whose codes the pairs hold (its vector id and the longest entries seen);
    /// `nil` once values are numbered, or before the first batch.
    private var tableCodes: (id: Int, entries: Vector)?
    private var numbered = false

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        type = argument.type
        let mask = argument.nullMask()
        if !numbered, case .dictionary(let codes, let entries, let id?) = argument.storage, id < 0,
            tableCodes.map({ $0.id == id }) ?? true
        {
            if entries.count > tableCodes?.entries.count ?? -1 { tableCodes = (id, entries) }
            var pairs = self.pairs
            self.pairs = DistinctPairs()
            defer { self.pairs = pairs }
            pairs.insert(groups: groups, values: codes, rows: rows, mask: mask)
            return
        }
        numberTableCodes()
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
        if !numbered, let theirs = other.tableCodes, tableCodes.map({ $0.id == theirs.id }) ?? true {
            // Codes of the same table dictionary on both sides: the pairs merge as they are.
            if theirs.entries.count > tableCodes?.entries.count ?? -1 { tableCodes = theirs }
            pairs.merge(other.pairs, groups: groups)
            return
        }
        numberTableCodes()
        other.numberTableCodes()
        // The other worker's value numbers, renumbered here in one pass over its values (table codes map
        // through the codes).
        let ids = numbering.translation(from: other.numbering, type: other.type)
        if type == .null { type = other.type }
        other.pairs.forEach { group, value in pairs.insert(group: groups[Int(group)], value: ids[Int(value)]) }
    }

    func result(_ group: Int) -> Value {
        if counts == nil { counts = pairs.counts() }
        return .int64(counts.map { group < $0.count ? $0[group] : 0 } ?? 0)
    }

    var bytes: Int { pairs.bytes + numbering.bytes }

    /// Leaves the codes: the pairs' codes become value numbers, as the strings' numbers from now on.
    private func numberTableCodes() {
        numbered = true
        guard let (id, entries) = tableCodes else { return }
        tableCodes = nil
        var codes: [UInt32] = []
        var seen = Set<UInt32>()
        pairs.forEach { _, code in if seen.insert(code).inserted { codes.append(code) } }
        let ids = numbering.ids(Vector(type: type, storage: .dictionary(codes: codes, entries: entries, id: id), count: codes.count))
        var number: [UInt32: UInt32] = [:]
        for (code, n) in zip(codes, ids) { number[code] = n }
        var renumbered = DistinctPairs()
        pairs.forEach { group, code in renumbered.insert(group: group, value: number[code] ?? 0) }
        pairs = renumbered
    }
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

    /// Adds the pairs of `other`, its group `g` as group `groups[g]` here: bitsets OR word by word.
    mutating func merge(_ other: DistinctPairs, groups map: [UInt32]) {
        if table == nil, other.table == nil, other.groups <= map.count,
            reserve(groups: Int(map.prefix(other.groups).max() ?? 0) + 1, values: other.stride * 64)
        {
            let (stride, otherStride) = (self.stride, other.stride)
            words.withUnsafeMutableBufferPointer { words in
                other.words.withUnsafeBufferPointer { theirs in
                    for g in 0..<other.groups {
                        let to = Int(map[g]) * stride
                        let from = g * otherStride
                        for w in 0..<otherStride { words[to + w] |= theirs[from + w] }
                    }
                }
            }
            return
        }
        other.forEach { group, value in insert(group: map[Int(group)], value: value) }
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
            let (groups, stride) = (self.groups, self.stride)
            laid.withUnsafeMutableBufferPointer { laid in
                words.withUnsafeBufferPointer { words in
                    for g in 0..<groups {
                        for w in 0..<stride { laid[g * newStride + w] = words[g * stride + w] }
                    }
                }
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
        let stride = stride
        return words.withUnsafeBufferPointer { words in
            (0..<groups).map { g in
                var n = 0
                for w in (g * stride)..<((g + 1) * stride) { n &+= words[w].nonzeroBitCount }
                return Int64(n)
            }
        }
    }

    var bytes: Int { (table?.bytes ?? 0) + words.count * 8 }
}
