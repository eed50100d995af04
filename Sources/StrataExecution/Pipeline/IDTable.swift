/// A hash map from 64-bit keys to 32-bit ids, open addressing with linear probing: the group tables'
/// and distinct sets' hot path. Swift's `Dictionary` hashes with SipHash through `Hasher`; a multiply-shift
/// mix of one word and a flat probe is several times faster for the integer keys the pipeline builds
/// (key values, code pairs, group and value numbers packed in one word).
struct IDTable {
    private var keys: [UInt64]
    /// `UInt32.max`: an empty slot.
    private var ids: [UInt32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        ids = [UInt32](repeating: .max, count: size)
        mask = size - 1
    }

    /// Bytes held.
    var bytes: Int { keys.count * 12 }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        // The murmur3 finalizer: every key bit reaches the low bits the mask keeps.
        var x = key
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return Int(truncatingIfNeeded: x) & mask
    }

    /// The id stored for `key`.
    @inline(__always)
    func get(_ key: UInt64) -> UInt32? {
        var i = Self.slot(key, mask)
        while true {
            let id = ids[i]
            if id == .max { return nil }
            if keys[i] == key { return id }
            i = (i + 1) & mask
        }
    }

    /// Stores `id` for `key` (which must not be present).
    mutating func put(_ key: UInt64, _ id: UInt32) {
        if (count + 1) * 2 > ids.count { grow() }
        var i = Self.slot(key, mask)
        while ids[i] != .max { i = (i + 1) & mask }
        keys[i] = key
        ids[i] = id
        count += 1
    }

    /// The id of `key`, storing `count` (the next dense id) when it is new.
    @inline(__always)
    mutating func id(_ key: UInt64) -> (id: UInt32, inserted: Bool) {
        if let id = get(key) { return (id, false) }
        let id = UInt32(count)
        put(key, id)
        return (id, true)
    }

    /// Calls `body` with every key and its id.
    func forEach(_ body: (UInt64, UInt32) -> Void) {
        for i in ids.indices where ids[i] != .max { body(keys[i], ids[i]) }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldIDs = ids
        let size = ids.count * 2
        keys = [UInt64](repeating: 0, count: size)
        ids = [UInt32](repeating: .max, count: size)
        mask = size - 1
        for i in oldIDs.indices where oldIDs[i] != .max {
            var j = Self.slot(oldKeys[i], mask)
            while ids[j] != .max { j = (j + 1) & mask }
            keys[j] = oldKeys[i]
            ids[j] = oldIDs[i]
        }
    }
}
