import CStrataPrefetch
import StrataCore

/// A hash map from strings to 32-bit ids, open addressing with linear probing on the strings' XXH64 (whose
/// low bits are already well mixed).
///
/// Each slot holds the hash, the id and the string itself, so a probe that meets its hash compares the
/// strings in the same cache line (Swift keeps strings of up to 15 UTF-8 bytes inline): one cache miss
/// per lookup where a table of hashes plus a separate array of values takes three. Grouping by a column
/// of hundreds of thousands of user ids is bound by these misses.
struct StringIDTable {
    private struct Slot {
        var hash: UInt64
        /// `UInt32.max`: an empty slot.
        var id: UInt32
        var string: String
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init() {
        slots = [Slot](repeating: Slot(hash: 0, id: .max, string: ""), count: 16)
        mask = 15
    }

    /// Bytes held (the slots; long strings' own storage is counted by their owners).
    var bytes: Int { slots.count * MemoryLayout<Slot>.stride }

    /// The id stored for `string`, whose XXH64 is `hash`.
    @inline(__always)
    func get(_ string: String, hash: UInt64) -> UInt32? {
        slots.withUnsafeBufferPointer { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let id = slots[i].id
                if id == .max { return nil }
                if slots[i].hash == hash, slots[i].string == string { return id }
                i = (i + 1) & mask
            }
        }
    }

    /// Starts loading the slot a probe for `hash` reads first (see ``KeyColumn``'s batched numbering).
    @inline(__always)
    func prefetch(_ hash: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            if let base = slots.baseAddress { strata_prefetch(base + (Int(truncatingIfNeeded: hash) & mask)) }
        }
    }

    /// Stores `id` for `string` (which must not be present).
    mutating func put(_ string: String, hash: UInt64, id: UInt32) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = mask
        slots.withUnsafeMutableBufferPointer { slots in
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i].id != .max { i = (i + 1) & mask }
            slots[i] = Slot(hash: hash, id: id, string: string)
        }
        count += 1
    }

    private mutating func grow() {
        let old = slots
        let size = slots.count * 2
        slots = [Slot](repeating: Slot(hash: 0, id: .max, string: ""), count: size)
        mask = size - 1
        let mask = mask
        slots.withUnsafeMutableBufferPointer { slots in
            for slot in old where slot.id != .max {
                var j = Int(truncatingIfNeeded: slot.hash) & mask
                while slots[j].id != .max { j = (j + 1) & mask }
                slots[j] = slot
            }
        }
    }
}
