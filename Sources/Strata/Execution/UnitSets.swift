import StrataCore

/// Sets of units — table-wide dictionary codes — one per group, for exact counts of distinct units.
///
/// A set starts as a hash set and becomes a bitset over every code once it holds an eighth of a
/// bitset's words in codes: memory stays within a few dozen bytes per unit seen (a group of three users
/// does not take 500 KB), while a large group costs one bit per code and one store per row (4M user
/// ids: 500 KB per variant, instead of a hash-table entry per user).
struct UnitSets {
    /// Words of one bitset: enough for every code seen so far.
    private(set) var words = 0
    /// Per group: word offset of its bitset in `bits`, or -1 while it is a hash set.
    private var offsets: [Int] = []
    private var bits: [UInt64] = []
    private var small: [Set<UInt32>] = []
    /// Per group: whether a NULL unit was seen (a group of its own in the inner group-by).
    private var nullUnit: [Bool] = []

    var groupCount: Int { offsets.count }

    /// Codes at which a hash set becomes a bitset: an eighth of a bitset's words.
    private var bitsetThreshold: Int { max(words >> 3, 1) }

    mutating func grow(to groups: Int) {
        guard groups > offsets.count else { return }
        let extra = groups - offsets.count
        offsets += repeatElement(-1, count: extra)
        small += repeatElement([], count: extra)
        nullUnit += repeatElement(false, count: extra)
    }

    /// Makes room for codes below `codeCount` in every bitset (a larger table dictionary).
    mutating func reserve(codes codeCount: Int) {
        let needed = (codeCount + 63) >> 6
        guard needed > words else { return }
        var relaid = [UInt64](repeating: 0, count: bits.count / max(words, 1) * needed)
        var next = 0
        for g in offsets.indices where offsets[g] >= 0 {
            for w in 0..<words { relaid[next + w] = bits[offsets[g] + w] }
            offsets[g] = next
            next += needed
        }
        bits = relaid
        words = needed
    }

    /// Adds the units of the selected rows to their groups.
    mutating func insert(
        codes: UnsafeBufferPointer<UInt32>, validity: Bitset?, rows: UnsafeBufferPointer<Int32>,
        groups: UnsafeBufferPointer<Int32>
    ) {
        var k = 0
        while k < rows.count {
            k = setBits(codes: codes, validity: validity, rows: rows, groups: groups, from: k)
            guard k < rows.count else { break }
            // A row the bitset loop cannot take: NULL, a group still a hash set, or a new code.
            let i = Int(rows[k])
            let g = Int(groups[k])
            k += 1
            if let validity, !validity[i] {
                nullUnit[g] = true
                continue
            }
            let code = codes[i]
            if Int(code >> 6) >= words { reserve(codes: Int(code) + 1) }
            let o = offsets[g]
            if o >= 0 {
                bits[o + Int(code >> 6)] |= 1 << UInt64(code & 63)
            } else {
                small[g].insert(code)
                if small[g].count >= bitsetThreshold { makeBitset(g) }
            }
        }
    }

    /// Sets the bits of rows `from…` while their groups are bitsets and their units are not NULL; returns
    /// the first row it did not take. The hot loop: one load of the group's offset and one store per row.
    private mutating func setBits(
        codes: UnsafeBufferPointer<UInt32>, validity: Bitset?, rows: UnsafeBufferPointer<Int32>,
        groups: UnsafeBufferPointer<Int32>, from start: Int
    ) -> Int {
        let words = words
        return offsets.withUnsafeBufferPointer { offsets in
            bits.withUnsafeMutableBufferPointer { bits in
                var k = start
                while k < rows.count {
                    let i = Int(rows[k])
                    if let validity, !validity[i] { break }
                    let code = codes[i]
                    let o = offsets[Int(groups[k])]
                    let w = Int(code >> 6)
                    if o < 0 || w >= words { break }
                    bits[o &+ w] |= 1 &<< UInt64(code & 63)
                    k &+= 1
                }
                return k
            }
        }
    }

    private mutating func makeBitset(_ g: Int) {
        let o = bits.count
        bits += repeatElement(0, count: words)
        for code in small[g] { bits[o + Int(code >> 6)] |= 1 << UInt64(code & 63) }
        small[g] = []
        offsets[g] = o
    }

    /// Distinct units of group `g`, NULL counted as one.
    func count(_ g: Int) -> Int {
        let nulls = nullUnit[g] ? 1 : 0
        let o = offsets[g]
        guard o >= 0 else { return small[g].count + nulls }
        return bits.withUnsafeBufferPointer { bits in
            var n = nulls
            for w in o..<(o + words) { n &+= bits[w].nonzeroBitCount }
            return n
        }
    }

    /// Adds `other`'s sets: its group `og` into our group `map[og]`.
    mutating func merge(_ other: UnitSets, map: [Int32]) {
        reserve(codes: other.words * 64)
        for og in 0..<other.groupCount {
            let g = Int(map[og])
            if other.nullUnit[og] { nullUnit[g] = true }
            let theirs = other.offsets[og]
            if theirs >= 0 {
                if offsets[g] < 0 { makeBitset(g) }
                let o = offsets[g]
                bits.withUnsafeMutableBufferPointer { bits in
                    other.bits.withUnsafeBufferPointer { theirBits in
                        for w in 0..<other.words { bits[o + w] |= theirBits[theirs + w] }
                    }
                }
            } else if offsets[g] >= 0 {
                let o = offsets[g]
                for code in other.small[og] { bits[o + Int(code >> 6)] |= 1 << UInt64(code & 63) }
            } else {
                small[g].formUnion(other.small[og])
                if small[g].count >= bitsetThreshold { makeBitset(g) }
            }
        }
    }

    var estimatedBytes: Int {
        bits.count * 8 + small.reduce(0) { $0 + $1.count * 8 + 32 } + offsets.count * 9
    }
}
