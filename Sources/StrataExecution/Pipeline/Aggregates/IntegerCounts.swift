/// A counting histogram of integers: `slots[i]` values equal `base + i`. Adding a value in range is one
/// increment (no array growth, no copy-on-write check), which is what makes the integer quantiles fast.
///
/// The slots live in memory this struct allocates, so that a batch's loop can update every group's
/// histogram through one raw buffer; its owner frees it with ``deallocate()`` (a plain struct, never
/// copied while it owns memory except by moving it). The number of values counted is not kept: a running
/// total would be a second increment per row, on one address for all of a group's rows.
struct IntegerCounts {
    private(set) var base: Int64 = 0
    private(set) var slots = UnsafeMutableBufferPointer<Int64>(start: nil, count: 0)

    /// The values counted (a pass over the slots).
    var total: Int64 {
        var n: Int64 = 0
        for c in slots { n &+= c }
        return n
    }

    var isEmpty: Bool { slots.count == 0 }

    /// Whether `x` is in `[base, base + slots.count)`. The wrapping difference is exact: `base + slots.count`
    /// never passes `Int64.max`, so no `x` below `base` wraps into the range.
    @inline(__always)
    func covers(_ x: Int64) -> Bool {
        UInt64(bitPattern: x &- base) < UInt64(slots.count)
    }

    /// Counts `x` when it is in range; `false` otherwise (the caller keeps it elsewhere).
    @inline(__always)
    mutating func add(_ x: Int64) -> Bool {
        let i = UInt64(bitPattern: x &- base)
        guard i < UInt64(slots.count) else { return false }
        slots[Int(i)] &+= 1
        return true
    }

    /// Counts `n` copies of `x` when it is in range.
    @inline(__always)
    mutating func add(_ x: Int64, count n: Int64) -> Bool {
        let i = UInt64(bitPattern: x &- base)
        guard i < UInt64(slots.count) else { return false }
        slots[Int(i)] &+= n
        return true
    }

    /// The lowest and highest value the slots can hold (`nil` when empty).
    var range: (lower: Int64, upper: Int64)? {
        isEmpty ? nil : (base, base &+ Int64(slots.count &- 1))
    }

    /// The number of slots covering `[lower, upper]`, or `nil` past `limit` (or when the span overflows).
    static func slotCount(lower: Int64, upper: Int64, limit: Int) -> Int? {
        guard lower <= upper else { return nil }
        let span = UInt64(bitPattern: upper &- lower)
        guard span < UInt64(limit) else { return nil }
        return Int(span) + 1
    }

    /// Re-allocates the slots to cover `[lower, upper]` (which must hold the current range, and span fewer
    /// than `Int.max` values: callers check ``slotCount(lower:upper:limit:)`` first), keeping the counts.
    mutating func cover(lower: Int64, upper: Int64) {
        let count = Int(UInt64(bitPattern: upper &- lower)) + 1
        let fresh = UnsafeMutableBufferPointer<Int64>.allocate(capacity: count)
        fresh.initialize(repeating: 0)
        if !isEmpty {
            let offset = Int(UInt64(bitPattern: base &- lower))
            for i in 0..<slots.count { fresh[offset + i] = slots[i] }
            slots.deallocate()
        }
        slots = fresh
        base = lower
    }

    /// The value of ascending rank `rank` (0-based, below ``total``).
    func value(atRank rank: Int64) -> Int64 {
        var seen: Int64 = 0
        for i in 0..<slots.count {
            seen &+= slots[i]
            if seen > rank { return base &+ Int64(i) }
        }
        return base &+ Int64(slots.count &- 1)
    }

    /// Calls `body` with each value counted and its count, ascending.
    func forEach(_ body: (Int64, Int64) -> Void) {
        for i in 0..<slots.count where slots[i] > 0 { body(base &+ Int64(i), slots[i]) }
    }

    /// Frees the slots (the histogram is then empty).
    mutating func deallocate() {
        slots.deallocate()
        slots = UnsafeMutableBufferPointer(start: nil, count: 0)
        base = 0
    }
}
