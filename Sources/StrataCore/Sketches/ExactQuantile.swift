/// Exact `quantile_cont(x, q)` with DuckDB's semantics, over values the caller has collected.
///
/// For n values in ascending order x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ and q in [0, 1], DuckDB computes the position
/// r = (n − 1) · q, takes lo = x₍⌊r⌋₎ and hi = x₍⌈r⌉₎, and returns lo when ⌊r⌋ = ⌈r⌉, else
/// lo · (1 − d) + hi · d with d = r − ⌊r⌋ (DuckDB's `InterpolateOperator` for DOUBLE). A negative q
/// in [−1, 0) means the same with the values in *descending* order and |q| (DuckDB's extension; the
/// result can differ from q′ = 1 + q in the last bit).
///
/// Bit-exactness: DuckDB 2.0.0's x86-64 Linux build evaluates `lo * (1.0 - d) + hi * d` with the
/// first product fused into the addition (an FMA, by compiler contraction). This type computes
/// exactly that fused form, `(hi · d).addingProduct(lo, 1 − d)`, so it matches that build bit for
/// bit on every platform; a DuckDB build compiled without contraction can differ in the last bit.
///
/// The order is SQL's: NaN sorts after +∞, and `-0.0` equals `0.0`. NULLs are not passed in: the
/// caller skips them (SQL aggregates ignore NULLs), and no values at all give `nil` (SQL NULL).
/// Integer columns are converted to `Double` first, as DuckDB does before interpolating. A zero
/// result is always `+0.0`.
public enum ExactQuantile {
    /// Checks that `q` is a valid `quantile_cont` parameter: in [−1, 1] and not NaN.
    ///
    /// - Throws: `StrataError` with code `.invalidArgument` and DuckDB's message otherwise.
    public static func validate(_ q: Double) throws(StrataError) {
        guard q >= -1, q <= 1 else {
            throw StrataError(.invalidArgument, "QUANTILE can only take parameters in the range [-1, 1], got \(q)")
        }
    }

    /// The SQL order of doubles: numeric order, NaN after everything (all NaNs equal).
    @inlinable
    public static func precedes(_ a: Double, _ b: Double) -> Bool {
        a < b || (!a.isNaN && b.isNaN)
    }

    /// `quantile_cont(x, q)` over values already sorted ascending (by ``precedes(_:_:)``).
    ///
    /// - Parameters:
    ///   - sorted: The non-NULL values in ascending SQL order.
    ///   - q: The quantile, in [−1, 1]; negative means descending order.
    /// - Returns: The interpolated quantile, or `nil` when `sorted` is empty.
    /// - Throws: `StrataError` with code `.invalidArgument` when `q` is out of range.
    /// - Complexity: O(1).
    public static func continuous(sorted: [Double], q: Double) throws(StrataError) -> Double? {
        try validate(q)
        let n = sorted.count
        guard n > 0 else { return nil }
        let descending = q < 0
        let (position, lower, upper) = positions(count: n, q: q)
        let lo = sorted[descending ? n - 1 - lower : lower]
        if lower == upper { return canonicalZero(lo) }
        let hi = sorted[descending ? n - 1 - upper : upper]
        return interpolate(lo, hi, position - Double(lower))
    }

    /// `quantile_cont(x, q)` over `count` values known by rank, e.g. from a counting histogram.
    ///
    /// - Parameters:
    ///   - count: How many non-NULL values there are.
    ///   - q: The quantile, in [−1, 1]; negative means descending order.
    ///   - valueAtRank: The value of ascending rank `r` (0-based, by ``precedes(_:_:)``); called at
    ///     most twice.
    /// - Returns: The interpolated quantile, or `nil` when `count` is 0.
    /// - Throws: `StrataError` with code `.invalidArgument` when `q` is out of range.
    /// - Complexity: Two calls of `valueAtRank`.
    public static func continuous(count n: Int, q: Double, valueAtRank: (Int) -> Double) throws(StrataError)
        -> Double?
    {
        try validate(q)
        guard n > 0 else { return nil }
        let descending = q < 0
        let (position, lower, upper) = positions(count: n, q: q)
        let lo = valueAtRank(descending ? n - 1 - lower : lower)
        if lower == upper { return canonicalZero(lo) }
        let hi = valueAtRank(descending ? n - 1 - upper : upper)
        return interpolate(lo, hi, position - Double(lower))
    }

    /// `quantile_cont(x, q)` over unsorted values, by selection instead of a full sort.
    ///
    /// Reorders `values` in place (a deterministic introselect: median-of-three quickselect that
    /// falls back to sorting the remaining range if partitioning degenerates).
    ///
    /// - Parameters:
    ///   - values: The non-NULL values in any order; reordered on return.
    ///   - q: The quantile, in [−1, 1]; negative means descending order.
    /// - Returns: The interpolated quantile, or `nil` when `values` is empty.
    /// - Throws: `StrataError` with code `.invalidArgument` when `q` is out of range.
    /// - Complexity: O(n) on average, O(n log n) worst case.
    public static func continuous(selectingIn values: inout [Double], q: Double) throws(StrataError) -> Double? {
        try validate(q)
        let n = values.count
        guard n > 0 else { return nil }
        let descending = q < 0
        let (position, lower, upper) = positions(count: n, q: q)
        // In ascending terms: descending rank k is ascending rank n − 1 − k.
        let first = descending ? n - 1 - lower : lower
        return values.withUnsafeMutableBufferPointer { buffer in
            select(buffer, rank: first)
            let lo = buffer[first]
            if lower == upper { return canonicalZero(lo) }
            // The neighbour on the far side of the selected rank is the extreme of that side.
            var hi: Double
            if descending {
                hi = buffer[0]
                for i in 1..<first where precedes(hi, buffer[i]) { hi = buffer[i] }
            } else {
                hi = buffer[first + 1]
                for i in (first + 1)..<n where precedes(buffer[i], hi) { hi = buffer[i] }
            }
            return interpolate(lo, hi, position - Double(lower))
        }
    }

    /// DuckDB's position arithmetic: r = (n − 1) · |q|, ⌊r⌋, ⌈r⌉.
    static func positions(count n: Int, q: Double) -> (position: Double, lower: Int, upper: Int) {
        let position = Double(n - 1) * q.magnitude
        return (position, Int(position.rounded(.down)), Int(position.rounded(.up)))
    }

    /// DuckDB's interpolation of doubles, lo · (1 − d) + hi · d, with the product lo · (1 − d) fused
    /// into the addition as DuckDB's x86-64 build does. Never NaN from ∞ − ∞ when lo = −∞ (unlike
    /// lo + (hi − lo) · d), which DuckDB relies on too.
    static func interpolate(_ lo: Double, _ hi: Double, _ d: Double) -> Double {
        canonicalZero((hi * d).addingProduct(lo, 1 - d))
    }

    /// `-0.0` as `0.0`, so that which of two equal zeros a selection lands on never shows.
    static func canonicalZero(_ x: Double) -> Double {
        x == 0 ? 0 : x
    }

    /// Moves the element of ascending rank `rank` to `buffer[rank]`, smaller-or-equal ones before it
    /// and greater-or-equal ones after it.
    static func select(_ buffer: UnsafeMutableBufferPointer<Double>, rank: Int) {
        select(buffer, rank: rank, by: precedes)
    }

    /// Moves the element of ascending rank `rank` (in the order `precedes` gives) to `buffer[rank]`,
    /// smaller-or-equal ones before it and greater-or-equal ones after it: median-of-three quickselect,
    /// finishing by a sort if partitions degenerate. Inlinable, so each element type gets its own loop.
    @inlinable
    public static func select<T>(_ buffer: UnsafeMutableBufferPointer<T>, rank: Int, by precedes: (T, T) -> Bool) {
        var low = 0
        var high = buffer.count - 1
        var budget = 2 * (Int.bitWidth - buffer.count.leadingZeroBitCount) + 4
        while high > low {
            if budget == 0 {
                // Degenerate partitions: finish by sorting what is left.
                var rest = UnsafeMutableBufferPointer(rebasing: buffer[low...high])
                rest.sort(by: precedes)
                return
            }
            budget -= 1
            // Median of three as the pivot, moved to `high`.
            let middle = low + (high - low) / 2
            if precedes(buffer[middle], buffer[low]) { buffer.swapAt(middle, low) }
            if precedes(buffer[high], buffer[low]) { buffer.swapAt(high, low) }
            if precedes(buffer[middle], buffer[high]) { buffer.swapAt(middle, high) }
            let pivot = buffer[high]
            // Three-way partition (Dijkstra): [low, lt) < pivot, [lt, i) == pivot, (gt, high] > pivot.
            var lt = low
            var i = low
            var gt = high
            while i <= gt {
                if precedes(buffer[i], pivot) {
                    buffer.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if precedes(pivot, buffer[i]) {
                    buffer.swapAt(i, gt)
                    gt -= 1
                } else {
                    i += 1
                }
            }
            if rank < lt {
                high = lt - 1
            } else if rank > gt {
                low = gt + 1
            } else {
                return
            }
        }
    }
}
