import CStrataPrefetch

/// A hash map from 64-bit keys to 32-bit ids, open addressing with linear probing: the group tables'
/// and distinct sets' hot path. Swift's `Dictionary` hashes with SipHash through `Hasher`; a multiply-shift
/// mix of one word and a flat probe is several times faster for the integer keys the pipeline builds
/// (key values, code pairs, group and value numbers packed in one word).
struct IDTable {
    /// A key and its id side by side, so a probe touches one cache line.
    private struct Slot {
        var key: UInt64
        /// `UInt32.max`: an empty slot.
        var id: UInt32
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, id: .max), count: size)
        mask = size - 1
    }

    /// Bytes held.
    var bytes: Int { slots.count * MemoryLayout<Slot>.stride }

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
        slots.withUnsafeBufferPointer { slots in
            var i = Self.slot(key, mask)
            while true {
                let slot = slots[i]
                if slot.id == .max { return nil }
                if slot.key == key { return slot.id }
                i = (i + 1) & mask
            }
        }
    }

    /// Starts loading the slot a probe for `key` reads first (probes of a batch, a few keys ahead).
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let i = Self.slot(key, mask)
        slots.withUnsafeBufferPointer { slots in
            if let base = slots.baseAddress { strata_prefetch(base + i) }
        }
    }

    /// Stores `id` for `key` (which must not be present).
    mutating func put(_ key: UInt64, _ id: UInt32) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = mask
        slots.withUnsafeMutableBufferPointer { slots in
            var i = Self.slot(key, mask)
            while slots[i].id != .max { i = (i + 1) & mask }
            slots[i] = Slot(key: key, id: id)
        }
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

    /// The id of each of `keys`, numbering a new key `count` (the next dense id) and calling `inserted` with its
    /// position; one probe per key, loaded a few keys ahead (a table of a million keys is mostly cache misses).
    /// A key equal to the one before it reuses its id (rows sorted or clustered by the key).
    mutating func ids(_ keys: UnsafeBufferPointer<UInt64>, into out: UnsafeMutableBufferPointer<UInt32>, inserted: (Int) -> Void) {
        let n = keys.count
        guard n > 0 else { return }
        while (count + n) * 2 > slots.count { grow() }
        let mask = mask
        var next = count
        let ahead = 24
        slots.withUnsafeMutableBufferPointer { slots in
            guard let base = slots.baseAddress else { return }
            for i in 0..<Swift.min(ahead, n) { strata_prefetch(base + Self.slot(keys[i], mask)) }
            var previous: (key: UInt64, id: UInt32)?
            for i in 0..<n {
                if i + ahead < n { strata_prefetch(base + Self.slot(keys[i + ahead], mask)) }
                let key = keys[i]
                if let previous, previous.key == key {
                    out[i] = previous.id
                    continue
                }
                var j = Self.slot(key, mask)
                while true {
                    let slot = slots[j]
                    if slot.id == .max {
                        let id = UInt32(truncatingIfNeeded: next)
                        slots[j] = Slot(key: key, id: id)
                        next += 1
                        out[i] = id
                        inserted(i)
                        break
                    }
                    if slot.key == key {
                        out[i] = slot.id
                        break
                    }
                    j = (j + 1) & mask
                }
                previous = (key, out[i])
            }
        }
        count = next
    }

    /// Calls `body` with every key and its id.
    func forEach(_ body: (UInt64, UInt32) -> Void) {
        for slot in slots where slot.id != .max { body(slot.key, slot.id) }
    }

    private mutating func grow() {
        let old = slots
        let size = slots.count * 2
        slots = [Slot](repeating: Slot(key: 0, id: .max), count: size)
        mask = size - 1
        let mask = mask
        slots.withUnsafeMutableBufferPointer { slots in
            for slot in old where slot.id != .max {
                var j = Self.slot(slot.key, mask)
                while slots[j].id != .max { j = (j + 1) & mask }
                slots[j] = slot
            }
        }
    }
}
