import StrataCore
import StrataExecution
import StrataStorage

/// A segment's WHERE clause as a selection program: the rows of a block for which the predicate is
/// true, as a vector of row numbers.
///
/// A top-level AND becomes a list of conjuncts. Comparisons of one integer column with constants
/// fuse into one inclusive range per column, tested branch-free as a single unsigned compare
/// (`UInt64(x &- lower) <= upper &- lower`); string conditions are a table lookup per code. The
/// first conjunct runs over the whole block and writes the selection vector; each further one runs
/// only over the survivors, compacting the vector in place. Anything else (OR, NOT, doubles, IN
/// lists…) is evaluated with Kleene logic by ``SegmentPredicate/evaluate(_:)`` and filters the
/// survivors last. Only true rows are selected: unknown (NULL) and false rows are not.
struct RowSelector {
    enum Step {
        /// `lower <= x <= upper` on an integer or timestamp column; NULL fails.
        case integerRange(column: Int, lower: Int64, upper: Int64)
        case integerNotEqual(column: Int, Int64)
        /// A string column's code is selected when `truth[code]` is `Truth.yes`; NULL fails.
        case codes(column: Int, truth: [UInt8])
        case predicate(SegmentPredicate)
        /// Selects nothing.
        case none
    }

    let steps: [Step]

    init(_ predicate: SegmentPredicate) {
        // Built once per segment: few allocations (the engine's benchmarks gate on malloc counts).
        var conjuncts: [SegmentPredicate] = []
        func flatten(_ p: SegmentPredicate) {
            if case .and(let parts) = p { parts.forEach(flatten) } else { conjuncts.append(p) }
        }
        flatten(predicate)
        // Ranges first (one per column), then code tables and inequalities, general predicates last.
        var steps: [Step] = []
        steps.reserveCapacity(conjuncts.count)
        var ranges = 0
        var general: [Step] = []
        var empty = false
        for p in conjuncts {
            switch p {
            case .constant(let t):
                if t != Truth.yes { empty = true }
            case .integer(let c, let op, let v):
                var (lower, upper) = (Int64.min, Int64.max)
                switch op {
                case .equal: (lower, upper) = (v, v)
                case .notEqual:
                    steps.append(.integerNotEqual(column: c, v))
                    continue
                case .lessThan:
                    if v == .min { empty = true } else { upper = v - 1 }
                case .lessThanOrEqual: upper = v
                case .greaterThan:
                    if v == .max { empty = true } else { lower = v + 1 }
                case .greaterThanOrEqual: lower = v
                }
                let existing = steps[0..<ranges].firstIndex { step in
                    if case .integerRange(let column, _, _) = step { column == c } else { false }
                }
                if let i = existing, case .integerRange(_, let l, let u) = steps[i] {
                    steps[i] = .integerRange(column: c, lower: max(l, lower), upper: min(u, upper))
                } else {
                    steps.insert(.integerRange(column: c, lower: lower, upper: upper), at: ranges)
                    ranges += 1
                }
            case .codes(let c, let truth, _):
                steps.append(.codes(column: c, truth: truth))
            default:
                general.append(.predicate(p))
            }
        }
        let emptyRange = steps[0..<ranges].contains { step in
            if case .integerRange(_, let l, let u) = step { l > u } else { false }
        }
        self.steps = empty || emptyRange ? [.none] : steps + general
    }

    /// Writes the selected rows of `block` to the front of `selection` (at least `block.rowCount`
    /// long) and returns how many there are.
    func select(_ block: BlockColumns, into selection: UnsafeMutableBufferPointer<Int32>) -> Int {
        var count = -1  // -1: no step has run yet (every row is still selected)
        for step in steps {
            count = run(step, block, selection, count)
            if count == 0 { return 0 }
        }
        if count < 0 {
            for i in 0..<block.rowCount { selection[i] = Int32(i) }
            return block.rowCount
        }
        return count
    }

    /// Keeps the rows of `selection[0..<count]` (or of the whole block when `count` is −1) that pass
    /// `step`; returns the new count.
    private func run(_ step: Step, _ block: BlockColumns, _ selection: UnsafeMutableBufferPointer<Int32>, _ count: Int)
        -> Int
    {
        let n = block.rowCount
        switch step {
        case .none:
            return 0
        case .integerRange(let c, let lower, let upper):
            guard case .int64(let x, let validity) = block[c] else { return 0 }
            let span = UInt64(bitPattern: upper &- lower)
            return x.withUnsafeBufferPointer { x in
                Self.filter(selection, count, n, validity) { i in Self.within(UInt64(bitPattern: x[i] &- lower), span) }
            }
        case .integerNotEqual(let c, let v):
            guard case .int64(let x, let validity) = block[c] else { return 0 }
            return x.withUnsafeBufferPointer { x in
                Self.filter(selection, count, n, validity) { i in Self.nonzero(UInt64(bitPattern: x[i] ^ v)) }
            }
        case .codes(let c, let truth):
            guard case .string(_, let codes, let validity) = block[c] else { return 0 }
            return codes.withUnsafeBufferPointer { codes in
                truth.withUnsafeBufferPointer { truth in
                    // yes (2) → 1; no (0) and unknown (1) → 0.
                    Self.filter(selection, count, n, validity) { i in Int(truth[Int(codes[i])] &>> 1) }
                }
            }
        case .predicate(let p):
            let truth = p.evaluate(block)
            return truth.withUnsafeBufferPointer { t in
                Self.filter(selection, count, n, nil) { i in Int(t[i] &>> 1) }  // yes (2) → 1, else 0
            }
        }
    }

    /// 1 when `d <= span` (unsigned), else 0, in bit operations: a compare of a loaded value would
    /// be compiled into a branch, which mispredicts on every other row of a ~50% selective filter.
    /// (Hacker's Delight 2–12: the borrow of `span − d`.)
    @inline(__always)
    static func within(_ d: UInt64, _ span: UInt64) -> Int {
        let borrow = ((~span & d) | (~(span ^ d) & (span &- d))) &>> 63
        return Int(truncatingIfNeeded: borrow ^ 1)
    }

    /// 1 when `d != 0`, else 0, without a compare.
    @inline(__always)
    static func nonzero(_ d: UInt64) -> Int { Int(truncatingIfNeeded: (d | (0 &- d)) &>> 63) }

    /// The compaction loop: branch-free (the row is always written; the count advances by the test,
    /// which returns 1 to keep the row and 0 to drop it).
    @inline(__always)
    private static func filter(
        _ selection: UnsafeMutableBufferPointer<Int32>, _ count: Int, _ n: Int, _ validity: Bitset?,
        _ test: (Int) -> Int
    ) -> Int {
        var k = 0
        if let validity {
            return validity.words.withUnsafeBufferPointer { w in
                if count < 0 {
                    for i in 0..<n {
                        selection[k] = Int32(truncatingIfNeeded: i)
                        k &+= test(i) & Self.bit(w, i)
                    }
                } else {
                    for j in 0..<count {
                        let i = Int(selection[j])
                        selection[k] = Int32(truncatingIfNeeded: i)
                        k &+= test(i) & Self.bit(w, i)
                    }
                }
                return k
            }
        }
        if count < 0 {
            for i in 0..<n {
                selection[k] = Int32(truncatingIfNeeded: i)
                k &+= test(i)
            }
        } else {
            for j in 0..<count {
                let i = Int(selection[j])
                selection[k] = Int32(truncatingIfNeeded: i)
                k &+= test(i)
            }
        }
        return k
    }

    @inline(__always)
    private static func bit(_ words: UnsafeBufferPointer<UInt64>, _ i: Int) -> Int {
        Int(truncatingIfNeeded: words[i &>> 6] &>> UInt64(i & 63) & 1)
    }

    /// Keeps the rows of `selection[0..<count]` whose time (column 0) lies in one of `intervals`.
    static func filterTimes(
        _ block: BlockColumns, intervals: [Range<Int64>], selection: UnsafeMutableBufferPointer<Int32>, count: Int
    ) -> Int {
        guard case .int64(let times, _) = block[0] else { return count }
        return times.withUnsafeBufferPointer { t in
            if intervals.count == 1 {
                let lower = intervals[0].lowerBound
                let span = UInt64(bitPattern: intervals[0].upperBound &- lower)
                guard span > 0 else { return 0 }
                return filter(selection, count, block.rowCount, nil) { i in
                    within(UInt64(bitPattern: t[i] &- lower), span &- 1)
                }
            }
            return filter(selection, count, block.rowCount, nil) { i in
                intervals.contains { $0.contains(t[i]) } ? 1 : 0
            }
        }
    }
}
