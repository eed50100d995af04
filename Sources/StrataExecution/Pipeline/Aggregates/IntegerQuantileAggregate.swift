import StrataCore

/// `quantile_cont(x, q)` (and `median`) of BIGINT: each group's values counted in an ``IntegerCounts``
/// histogram once they span a range narrow enough (latencies, counts, ages), in a list otherwise; both
/// answer exactly. Order statistics are taken on the integers and converted to doubles only at the end,
/// which gives the same two neighbours as selecting among the doubles (the conversion keeps order), so
/// the answer is bit for bit that of ``QuantileAggregate``.
final class IntegerQuantileAggregate: VectorAggregate {
    private let fraction: Double?
    private var states: [IntegerQuantileState] = []
    /// Values held in lists, and histogram slots (for ``bytes``).
    private var listed = 0
    private var slotted = 0

    init(fraction: Double?) { self.fraction = fraction }

    deinit {
        for g in states.indices { states[g].counts.deallocate() }
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument, let v = argument.int64Buffer() else { return }
        grow(&states, to: groupCount, with: IntegerQuantileState())
        let mask = argument.nullMask()
        var listed = 0
        var slotted = 0
        states.withUnsafeMutableBufferPointer { states in
            groups.withUnsafeBufferPointer { groups in
                v.withUnsafeBufferPointer { v in
                    forEachRow(rows, groups.count, skipping: mask) { i in
                        let g = Int(groups[i])
                        if !states[g].counts.add(v[i]) {
                            let (l, s) = states[g].keep(v[i])
                            listed &+= l
                            slotted &+= s
                        }
                    }
                }
            }
        }
        self.listed &+= listed
        self.slotted &+= slotted
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? IntegerQuantileAggregate else { return }
        grow(&states, to: groupCount, with: IntegerQuantileState())
        for g in other.states.indices {
            let (l, s) = states[Int(groups[g])].absorb(other.states[g])
            listed &+= l
            slotted &+= s
        }
    }

    func result(_ g: Int) throws(StrataError) -> Value {
        guard g < states.count, let q = fraction else { return .null }
        return try states[g].quantile(q).map { .double($0) } ?? .null
    }

    /// A list value's 8 bytes twice over (a growing array holds up to twice its count), a slot's 8.
    var bytes: Int { states.count * 48 + listed * 16 + slotted * 8 }
}

/// One group's values: those in the histogram's range counted, the rest (all of them while there is no
/// histogram) in `list`. Invariant: no list value falls in the histogram's range, so the list splits into
/// values below it and values above it.
struct IntegerQuantileState {
    var counts = IntegerCounts()
    var list: [Int64] = []
    /// The list length at which to try (again) to count the values in a histogram.
    var nextTry = Self.threshold

    /// The list length at which a group first tries a histogram.
    static let threshold = 1024

    /// The widest histogram for `n` values: two slots (16 bytes) per value, what a growing list of them
    /// may take, so a histogram never holds more memory than the list it replaces.
    static func slotLimit(values n: Int) -> Int { 2 * n }

    var count: Int { Int(counts.total) + list.count }

    /// Keeps a value outside the histogram's range; returns the change in list values and in slots.
    mutating func keep(_ x: Int64) -> (listed: Int, slotted: Int) {
        list.append(x)
        guard list.count >= nextTry else { return (1, 0) }
        return tryCounting(listedBefore: list.count - 1)
    }

    /// Widens the histogram (or makes one) to cover every value when that range is narrow enough, moving
    /// the list into it; otherwise tries again when the list has doubled.
    private mutating func tryCounting(listedBefore: Int) -> (listed: Int, slotted: Int) {
        var lower = Int64.max
        var upper = Int64.min
        if let range = counts.range { (lower, upper) = range }
        for x in list {
            lower = Swift.min(lower, x)
            upper = Swift.max(upper, x)
        }
        let limit = Self.slotLimit(values: count)
        guard let needed = IntegerCounts.slotCount(lower: lower, upper: upper, limit: limit) else {
            nextTry = Swift.max(Self.threshold, 2 * list.count)
            return (list.count - listedBefore, 0)
        }
        // Room on each side (up to a quarter of the span, within the limit), so values that drift past the
        // range re-allocate a logarithmic number of times.
        let room = Int64(Swift.min(needed / 8, (limit - needed) / 2))
        if lower > Int64.min + room { lower -= room }
        if upper < Int64.max - room { upper += room }
        let before = counts.slots.count
        counts.cover(lower: lower, upper: upper)
        for x in list { _ = counts.add(x) }
        list = []
        nextTry = Swift.max(Self.threshold, count / 4)
        return (-listedBefore, counts.slots.count - before)
    }

    /// Adds another worker's values of the same group.
    mutating func absorb(_ other: IntegerQuantileState) -> (listed: Int, slotted: Int) {
        var listed = 0
        var slotted = 0
        if let theirs = other.counts.range {
            // One histogram over both ranges when it fits; else this one's (or theirs, adopted) and a list.
            let mine = counts.range ?? theirs
            let lower = Swift.min(mine.lower, theirs.lower)
            let upper = Swift.max(mine.upper, theirs.upper)
            let limit = Self.slotLimit(values: count + other.count)
            if IntegerCounts.slotCount(lower: lower, upper: upper, limit: limit) != nil,
                counts.range.map({ $0.lower != lower || $0.upper != upper }) ?? true
            {
                let before = counts.slots.count
                counts.cover(lower: lower, upper: upper)
                slotted += counts.slots.count - before
                // List values now in range move into the histogram.
                let kept = list.count
                list.removeAll { x in counts.add(x) }
                listed -= kept - list.count
            }
            other.counts.forEach { x, n in
                if !counts.add(x, count: n) {
                    list.append(contentsOf: repeatElement(x, count: Int(n)))
                    listed += Int(n)
                }
            }
        }
        for x in other.list where !counts.add(x) {
            list.append(x)
            listed += 1
        }
        if list.count >= nextTry {
            let (l, s) = tryCounting(listedBefore: list.count)
            listed += l
            slotted += s
        }
        return (listed, slotted)
    }

    /// The exact `quantile_cont` (reorders `list`).
    mutating func quantile(_ q: Double) throws(StrataError) -> Double? {
        try ExactQuantile.validate(q)
        let n = count
        // The list's values below the histogram's range first, those above after.
        let base = counts.base
        let below = list.withUnsafeMutableBufferPointer { list in IntegerSelection.partition(list, below: base) }
        let counted = Int(counts.total)
        let counts = self.counts
        return list.withUnsafeMutableBufferPointer { list in
            var selection = IntegerSelection()
            // `q` is valid (checked above): the only error `continuous` throws.
            return (try? ExactQuantile.continuous(count: n, q: q) { rank in
                if rank < below {
                    return Double(selection.value(UnsafeMutableBufferPointer(rebasing: list[0..<below]), rank: rank))
                }
                if rank < below + counted { return Double(counts.value(atRank: Int64(rank - below))) }
                let above = UnsafeMutableBufferPointer(rebasing: list[below...])
                return Double(selection.value(above, rank: rank - below - counted))
            }) ?? nil
        }
    }
}

/// Order statistics of integers by selection, remembering the last rank selected so that its neighbour
/// (the second value `quantile_cont` interpolates with) is a scan of one side rather than a new selection.
struct IntegerSelection {
    private var last: (start: UnsafeMutablePointer<Int64>?, rank: Int)?

    /// The value of ascending rank `rank` in `buffer` (reordered).
    mutating func value(_ buffer: UnsafeMutableBufferPointer<Int64>, rank: Int) -> Int64 {
        if let last, last.start == buffer.baseAddress {
            if rank == last.rank + 1 {
                var m = buffer[rank]
                for i in rank..<buffer.count where buffer[i] < m { m = buffer[i] }
                return m
            }
            if rank == last.rank - 1 {
                var m = buffer[rank]
                for i in 0...rank where buffer[i] > m { m = buffer[i] }
                return m
            }
        }
        Self.select(buffer, rank: rank)
        last = (buffer.baseAddress, rank)
        return buffer[rank]
    }

    /// Moves the values below `pivot` to the front; returns how many there are.
    static func partition(_ buffer: UnsafeMutableBufferPointer<Int64>, below pivot: Int64) -> Int {
        var low = 0
        for i in 0..<buffer.count where buffer[i] < pivot {
            buffer.swapAt(low, i)
            low += 1
        }
        return low
    }

    /// Moves the value of ascending rank `rank` to `buffer[rank]`, smaller-or-equal ones before it and
    /// greater-or-equal ones after (``ExactQuantile/select(_:rank:by:)``).
    static func select(_ buffer: UnsafeMutableBufferPointer<Int64>, rank: Int) {
        ExactQuantile.select(buffer, rank: rank, by: <)
    }
}
