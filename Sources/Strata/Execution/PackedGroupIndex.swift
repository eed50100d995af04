/// Group numbers of keys packed into 64 bits (one or two key ids): open addressing with a
/// multiplicative hash, several times faster than hashing a SIMD key through `Hasher`.
struct PackedGroupIndex {
    private var keys: [UInt64]
    private var groups: [Int32]
    private var used = 0
    private var shift: UInt64

    static let empty = UInt64.max

    init() {
        keys = Array(repeating: Self.empty, count: 1024)
        groups = Array(repeating: -1, count: 1024)
        shift = 64 - 10
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The group of `key`, or `next` (recorded) if the key is new.
    @inline(__always)
    mutating func findOrInsert(_ key: UInt64, next: Int32) -> (group: Int32, inserted: Bool) {
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return (groups[i], false) }
            if k == Self.empty { break }
            i = (i + 1) & mask
        }
        keys[i] = key
        groups[i] = next
        used += 1
        if used * 2 > keys.count { grow() }
        return (next, true)
    }

    /// Makes room for `count` keys in all, so that inserting them does not rehash.
    mutating func reserve(_ count: Int) {
        while count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldGroups = groups
        keys = Array(repeating: Self.empty, count: oldKeys.count * 2)
        groups = Array(repeating: -1, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for (k, g) in zip(oldKeys, oldGroups) where k != Self.empty {
            var i = slot(k)
            while keys[i] != Self.empty { i = (i + 1) & mask }
            keys[i] = k
            groups[i] = g
        }
    }
}
