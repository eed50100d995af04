import StrataCore

/// One group's exact `quantile_cont` state over an integer column: the values as a list of doubles,
/// or — once the group holds enough values and they span a range no wider than a few times their
/// number — a counting histogram (`counts[i]` values equal `base + i`). The histogram answers any
/// quantile exactly in one pass over the range, and inserting is an increment: no array growth, no
/// selection moving 8 bytes per value. A value outside the range widens it while the range stays
/// within ``maxSpan(total:)``; otherwise the histogram turns back into a list. A group is a list or
/// a histogram, never both.
///
/// The counts live in memory this struct allocates; its owner (`Accumulator`) frees it with
/// ``deallocate()``. It is a plain struct so that a block's loop can update it through a raw buffer
/// of all groups' states, with no copy-on-write or exclusivity check per row.
struct QuantileHistogram {
    /// List length at which a group first tries to become a histogram.
    static let threshold = 1024

    private(set) var base: Int64 = 0
    private(set) var counts = UnsafeMutableBufferPointer<Int64>(start: nil, count: 0)
    private(set) var total: Int64 = 0
    /// The list length at which to try again after a range was too wide.
    private var nextTry = Self.threshold

    var isHistogram: Bool { counts.count > 0 }

    /// The widest range a histogram of `total` values may cover: at most 8 bytes of counts per value
    /// times four, so it never costs more than four times the list it replaces.
    static func maxSpan(total: Int64) -> Int64 { 4 * total }

    /// Adds `x` when it falls in the histogram's range; returns false otherwise (the caller then
    /// calls ``insert(_:count:list:)``). The per-row fast path.
    @inline(__always)
    mutating func add(_ x: Int64) -> Bool {
        let i = UInt64(bitPattern: x &- base)
        guard i < UInt64(counts.count) else { return false }
        counts[Int(i)] &+= 1
        total &+= 1
        return true
    }

    /// Adds `count` copies of `x`, widening the range, switching to or from a list as needed.
    mutating func insert(_ x: Int64, count c: Int64, list: inout [Double]) {
        if isHistogram {
            let i = UInt64(bitPattern: x &- base)
            if i < UInt64(counts.count) {
                counts[Int(i)] &+= c
                total &+= c
                return
            }
            guard x.magnitude <= 1 << 53 else {
                // Far out (doubles lose integers past 2⁵³): keep the values as a list.
                expand(into: &list)
                list.append(contentsOf: repeatElement(Double(x), count: Int(c)))
                return
            }
            let lower = min(base, x)
            let upper = max(base &+ Int64(counts.count) &- 1, x)
            let (span, overflow) = upper.subtractingReportingOverflow(lower)
            if !overflow, span < Self.maxSpan(total: total + c) {
                // Leave room on the side that grew (a quarter of the span) so a drifting range
                // re-allocates a logarithmic number of times.
                let room = min(span / 4, Self.maxSpan(total: total + c) - span - 1)
                let newLower = x < base ? lower - room : lower
                let newUpper = x < base ? upper : upper + room
                rebuild(lower: newLower, upper: newUpper)
                counts[Int(x - base)] &+= c
                total &+= c
                return
            }
            expand(into: &list)
        }
        list.append(contentsOf: repeatElement(Double(x), count: Int(c)))
        if list.count >= nextTry { tryHistogram(&list) }
    }

    /// Adds a value that may not be an integer (a list value of another worker's state).
    mutating func insert(double x: Double, list: inout [Double]) {
        if x.rounded() == x, x.magnitude <= 0x1p53 {
            insert(Int64(x), count: 1, list: &list)
            return
        }
        if isHistogram { expand(into: &list) }
        list.append(x)
    }

    /// Folds another group's state (histogram and list) into this one.
    mutating func merge(_ other: QuantileHistogram, otherList: [Double], list: inout [Double]) {
        if other.isHistogram {
            for i in 0..<other.counts.count where other.counts[i] > 0 {
                insert(other.base + Int64(i), count: other.counts[i], list: &list)
            }
        }
        for x in otherList { insert(double: x, list: &list) }
    }

    /// The exact `quantile_cont` of the histogram's values (only when `isHistogram`).
    func quantile(_ q: Double) -> Double? {
        try? ExactQuantile.continuous(count: Int(total), q: q) { rank in
            var seen: Int64 = 0
            for i in 0..<counts.count {
                seen &+= counts[i]
                if seen > Int64(rank) { return Double(base + Int64(i)) }
            }
            return Double(base + Int64(counts.count - 1))
        }
    }

    /// Bytes held (for the memory budget).
    var bytes: Int { counts.count * 8 }

    func deallocate() { counts.deallocate() }

    /// Turns a long enough list whose values are integers spanning a narrow range into a histogram.
    private mutating func tryHistogram(_ list: inout [Double]) {
        nextTry = list.count * 4
        guard let lo = list.min(), let hi = list.max(), lo.magnitude <= 0x1p53, hi.magnitude <= 0x1p53 else { return }
        let (lower, upper) = (Int64(lo), Int64(hi))
        guard upper - lower < Self.maxSpan(total: Int64(list.count)) else { return }
        guard list.allSatisfy({ $0.rounded() == $0 }) else { return }
        rebuild(lower: lower, upper: upper)
        for x in list { counts[Int(Int64(x) - base)] &+= 1 }
        total = Int64(list.count)
        list = []
    }

    /// Re-allocates the counts to cover [lower, upper] (which holds the current range).
    private mutating func rebuild(lower: Int64, upper: Int64) {
        let fresh = UnsafeMutableBufferPointer<Int64>.allocate(capacity: Int(upper - lower + 1))
        fresh.initialize(repeating: 0)
        if isHistogram {
            let offset = Int(base - lower)
            for i in 0..<counts.count { fresh[offset + i] = counts[i] }
            counts.deallocate()
        }
        counts = fresh
        base = lower
    }

    /// Moves the histogram's values to the list and frees it.
    private mutating func expand(into list: inout [Double]) {
        list.reserveCapacity(list.count + Int(total))
        for i in 0..<counts.count where counts[i] > 0 {
            list.append(contentsOf: repeatElement(Double(base + Int64(i)), count: Int(counts[i])))
        }
        counts.deallocate()
        counts = UnsafeMutableBufferPointer(start: nil, count: 0)
        total = 0
        base = 0
        nextTry = max(Self.threshold, list.count * 4)
    }
}
