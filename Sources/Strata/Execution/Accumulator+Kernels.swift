import StrataCore
import StrataStorage

/// The typed loops behind `Accumulator.update`: each takes raw buffers of one concrete type and runs
/// once per block. The states (`counts`, `doubles`, …) are taken as `UnsafeMutableBufferPointer` once
/// per call, so the loops do no copy-on-write or exclusivity checks per row, and nothing in them
/// allocates or dispatches dynamically.
///
/// Grouped kernels take the selected rows and their groups as parallel buffers and assume every
/// selected row is valid (the caller drops NULL rows first). One-group kernels (an aggregate without
/// GROUP BY) take the selected rows, or `nil` for every row of the block, and return the block's
/// partial state for the caller to fold in once.
enum AccumulatorKernels {
    // MARK: Grouped

    static func count(groups: UnsafeBufferPointer<Int32>, counts: UnsafeMutableBufferPointer<Int64>) {
        for g in groups { counts[Int(g)] &+= 1 }
    }

    static func sum(
        _ v: UnsafeBufferPointer<Double>, rows: UnsafeBufferPointer<Int32>, groups: UnsafeBufferPointer<Int32>,
        counts: UnsafeMutableBufferPointer<Int64>, sums: UnsafeMutableBufferPointer<Double>
    ) {
        for k in 0..<rows.count {
            let g = Int(groups[k])
            counts[g] &+= 1
            sums[g] += v[Int(rows[k])]
        }
    }

    static func sum(
        _ v: UnsafeBufferPointer<Int64>, rows: UnsafeBufferPointer<Int32>, groups: UnsafeBufferPointer<Int32>,
        counts: UnsafeMutableBufferPointer<Int64>, sums: UnsafeMutableBufferPointer<Int128>
    ) {
        for k in 0..<rows.count {
            let g = Int(groups[k])
            counts[g] &+= 1
            sums[g] &+= Int128(v[Int(rows[k])])
        }
    }

    static func extreme(
        _ v: UnsafeBufferPointer<Int64>, rows: UnsafeBufferPointer<Int32>, groups: UnsafeBufferPointer<Int32>,
        isMin: Bool, counts: UnsafeMutableBufferPointer<Int64>, extremes: UnsafeMutableBufferPointer<Int64>
    ) {
        if isMin {
            for k in 0..<rows.count {
                let (g, x) = (Int(groups[k]), v[Int(rows[k])])
                if counts[g] == 0 || x < extremes[g] { extremes[g] = x }
                counts[g] &+= 1
            }
        } else {
            for k in 0..<rows.count {
                let (g, x) = (Int(groups[k]), v[Int(rows[k])])
                if counts[g] == 0 || x > extremes[g] { extremes[g] = x }
                counts[g] &+= 1
            }
        }
    }

    /// Min or max in SQL order (NaN above +∞; of equal values the first stays).
    static func extreme(
        _ v: UnsafeBufferPointer<Double>, rows: UnsafeBufferPointer<Int32>, groups: UnsafeBufferPointer<Int32>,
        isMin: Bool, counts: UnsafeMutableBufferPointer<Int64>, extremes: UnsafeMutableBufferPointer<Double>
    ) {
        for k in 0..<rows.count {
            let (g, x) = (Int(groups[k]), v[Int(rows[k])])
            if counts[g] == 0 {
                extremes[g] = x
            } else {
                let order = ValueOrder.compare(x, extremes[g])
                if isMin ? order < 0 : order > 0 { extremes[g] = x }
            }
            counts[g] &+= 1
        }
    }

    /// Welford's update of (n, mean, M2): numerically stable where Σx² − (Σx)²/n cancels.
    @inline(__always)
    static func welford(
        _ x: Double, _ g: Int, counts: UnsafeMutableBufferPointer<Int64>, means: UnsafeMutableBufferPointer<Double>,
        m2: UnsafeMutableBufferPointer<Double>
    ) {
        counts[g] &+= 1
        let delta = x - means[g]
        means[g] += delta / Double(counts[g])
        m2[g] += delta * (x - means[g])
    }

    /// Sorts uniformly distributed values (hashes) in O(n): a counting sort on the top bits into
    /// about four buckets per value, then an insertion sort that fixes the few buckets holding more
    /// than one value. `scratch` is reused between calls.
    static func sortHashes(_ values: inout [UInt64], scratch: inout [UInt64]) {
        let n = values.count
        guard n > 64 else {
            values.sort()
            return
        }
        let bits = min(24, Int.bitWidth - n.leadingZeroBitCount + 2)
        let shift = UInt64(64 - bits)
        var starts = [Int](repeating: 0, count: (1 << bits) + 1)
        for x in values { starts[Int(x >> shift) + 1] += 1 }
        for b in 0..<(1 << bits) { starts[b + 1] += starts[b] }
        if scratch.count < n { scratch += repeatElement(0, count: n - scratch.count) }
        scratch.withUnsafeMutableBufferPointer { out in
            for x in values {
                let b = Int(x >> shift)
                out[starts[b]] = x
                starts[b] += 1
            }
            for i in 1..<n {
                let x = out[i]
                var j = i
                while j > 0, out[j - 1] > x {
                    out[j] = out[j - 1]
                    j -= 1
                }
                out[j] = x
            }
        }
        values.withUnsafeMutableBufferPointer { v in
            scratch.withUnsafeBufferPointer { s in for i in 0..<n { v[i] = s[i] } }
        }
    }

    // MARK: One group

    /// Σ of the selected values, in eight lanes (the adds vectorize; the order of additions is fixed
    /// by the block, so the same data gives the same sum).
    static func sum(_ v: UnsafeBufferPointer<Double>, rows: UnsafeBufferPointer<Int32>?) -> Double {
        var lanes = SIMD8<Double>()
        var tail = 0.0
        if let rows {
            let n = rows.count
            var k = 0
            while k &+ 8 <= n {
                var x = SIMD8<Double>()
                for l in 0..<8 { x[l] = v[Int(rows[k &+ l])] }
                lanes += x
                k &+= 8
            }
            while k < n {
                tail += v[Int(rows[k])]
                k &+= 1
            }
        } else if let base = v.baseAddress {
            let raw = UnsafeRawPointer(base)
            let n = v.count
            var k = 0
            while k &+ 8 <= n {
                lanes += raw.loadUnaligned(fromByteOffset: k &* 8, as: SIMD8<Double>.self)
                k &+= 8
            }
            while k < n {
                tail += v[k]
                k &+= 1
            }
        }
        return lanes.sum() + tail
    }

    /// Σ of the selected values, exactly: the low 32 bits (unsigned) and the high 32 bits (signed)
    /// of each value are summed apart in 64 bits, which cannot overflow for fewer than 2³¹ values,
    /// and the loop vectorizes (an `Int128` running sum does not).
    static func sum(_ v: UnsafeBufferPointer<Int64>, rows: UnsafeBufferPointer<Int32>?) -> Int128 {
        var low: UInt64 = 0
        var high: Int64 = 0
        if let rows {
            for r in rows {
                let x = v[Int(r)]
                low &+= UInt64(UInt32(truncatingIfNeeded: x))
                high &+= x &>> 32
            }
        } else {
            for x in v {
                low &+= UInt64(UInt32(truncatingIfNeeded: x))
                high &+= x &>> 32
            }
        }
        return Int128(high) << 32 + Int128(low)
    }

    /// The least or greatest selected value; at least one row must be selected.
    static func extreme(_ v: UnsafeBufferPointer<Int64>, rows: UnsafeBufferPointer<Int32>?, isMin: Bool) -> Int64 {
        if let rows {
            var m = v[Int(rows[0])]
            if isMin {
                for r in rows { m = Swift.min(m, v[Int(r)]) }
            } else {
                for r in rows { m = Swift.max(m, v[Int(r)]) }
            }
            return m
        }
        var m = v[0]
        if isMin {
            for x in v { m = Swift.min(m, x) }
        } else {
            for x in v { m = Swift.max(m, x) }
        }
        return m
    }

    /// The least or greatest selected value in SQL order (NaN above everything); at least one row
    /// must be selected. Which of `-0.0` and `0.0` comes back when both are extreme is unspecified
    /// (they compare equal).
    static func extreme(_ v: UnsafeBufferPointer<Double>, rows: UnsafeBufferPointer<Int32>?, isMin: Bool) -> Double {
        isMin ? extreme(v, rows: rows, Min.self) : extreme(v, rows: rows, Max.self)
    }

    /// Which way `extreme` goes, as a type so that each direction gets its own branch-free loop.
    protocol Direction { static func better(_ x: Double, than m: Double) -> Bool }
    enum Min: Direction {
        @inline(__always) static func better(_ x: Double, than m: Double) -> Bool { x < m }
    }
    enum Max: Direction {
        @inline(__always) static func better(_ x: Double, than m: Double) -> Bool { x > m }
    }

    @inline(__always)
    private static func extreme<D: Direction>(
        _ v: UnsafeBufferPointer<Double>, rows: UnsafeBufferPointer<Int32>?, _: D.Type
    )
        -> Double
    {
        // Four independent lanes (min/max and compare-select pipeline). A comparison with NaN is
        // false, so lanes skip NaNs; NaNs are counted and decide at the end.
        let start: Double = D.better(0, than: 1) ? .infinity : -.infinity
        var (m0, m1, m2, m3) = (start, start, start, start)
        var nans = 0
        @inline(__always) func feed(_ x: Double, _ m: inout Double) {
            m = D.better(x, than: m) ? x : m
            nans &+= x.isNaN ? 1 : 0
        }
        let n = rows?.count ?? v.count
        var k = 0
        if let rows {
            while k &+ 4 <= n {
                feed(v[Int(rows[k])], &m0)
                feed(v[Int(rows[k &+ 1])], &m1)
                feed(v[Int(rows[k &+ 2])], &m2)
                feed(v[Int(rows[k &+ 3])], &m3)
                k &+= 4
            }
            while k < n {
                feed(v[Int(rows[k])], &m0)
                k &+= 1
            }
        } else {
            while k &+ 4 <= n {
                feed(v[k], &m0)
                feed(v[k &+ 1], &m1)
                feed(v[k &+ 2], &m2)
                feed(v[k &+ 3], &m3)
                k &+= 4
            }
            while k < n {
                feed(v[k], &m0)
                k &+= 1
            }
        }
        // max: any NaN wins; min: NaN only when every value is NaN.
        let isMin = D.better(0, than: 1)
        if isMin ? nans == n : nans > 0 { return .nan }
        if D.better(m1, than: m0) { m0 = m1 }
        if D.better(m2, than: m0) { m0 = m2 }
        if D.better(m3, than: m0) { m0 = m3 }
        return m0
    }
}

extension Accumulator {
    /// Feeds a block into group 0, the only group of an aggregate without GROUP BY: no group number
    /// per row, and count, sum, min and max fold the block into one value with a one-group kernel
    /// before touching the state (`count(*)` is the selection's length).
    ///
    /// - Parameters:
    ///   - rows: The selected rows, or `nil` for all `rowCount` rows of the block.
    ///   - data: The aggregate's input column; `nil` for `count(*)`.
    func updateOneGroup(
        rows: UnsafeBufferPointer<Int32>?, rowCount: Int, data: ColumnData?, dictionary: StringDictionary? = nil
    ) {
        guard let data else {
            counts[0] &+= Int64(rows?.count ?? rowCount)
            return
        }
        guard let validity = data.validity else {
            updateOneGroupValid(rows: rows, rowCount: rowCount, data: data, dictionary: dictionary)
            return
        }
        var valid: [Int32] = []
        valid.reserveCapacity(rows?.count ?? rowCount)
        validity.words.withUnsafeBufferPointer { w in
            if let rows {
                for r in rows where Self.isValid(w, Int(r)) { valid.append(r) }
            } else {
                for i in 0..<rowCount where Self.isValid(w, i) { valid.append(Int32(i)) }
            }
        }
        valid.withUnsafeBufferPointer {
            updateOneGroupValid(rows: $0, rowCount: rowCount, data: data, dictionary: dictionary)
        }
    }

    private func updateOneGroupValid(
        rows: UnsafeBufferPointer<Int32>?, rowCount: Int, data: ColumnData, dictionary: StringDictionary?
    ) {
        let n = rows?.count ?? rowCount
        guard n > 0 else { return }
        let isMin = function == .min
        switch (kind, data) {
        case (.countRows, _), (.countValues, _):
            counts[0] &+= Int64(n)
        case (.sumInteger, .int64(let v, _)), (.avgInteger, .int64(let v, _)):
            let s = v.withUnsafeBufferPointer { AccumulatorKernels.sum(Self.prefix($0, rowCount), rows: rows) }
            counts[0] &+= Int64(n)
            integerSums[0] &+= s
        case (.sumDouble, .double(let v, _)), (.avgDouble, .double(let v, _)):
            let s = v.withUnsafeBufferPointer { AccumulatorKernels.sum(Self.prefix($0, rowCount), rows: rows) }
            counts[0] &+= Int64(n)
            doubles[0] += s
        case (.minInteger, .int64(let v, _)), (.maxInteger, .int64(let v, _)):
            let x = v.withUnsafeBufferPointer {
                AccumulatorKernels.extreme(Self.prefix($0, rowCount), rows: rows, isMin: isMin)
            }
            if counts[0] == 0 || (isMin ? x < integers[0] : x > integers[0]) { integers[0] = x }
            counts[0] &+= Int64(n)
        case (.minDouble, .double(let v, _)), (.maxDouble, .double(let v, _)):
            let x = v.withUnsafeBufferPointer {
                AccumulatorKernels.extreme(Self.prefix($0, rowCount), rows: rows, isMin: isMin)
            }
            let order = counts[0] == 0 ? 0 : ValueOrder.compare(x, doubles[0])
            if counts[0] == 0 || (isMin ? order < 0 : order > 0) { doubles[0] = x }
            counts[0] &+= Int64(n)
        default:
            // No one-group kernel: the grouped loop with every row in group 0.
            let zeros = [Int32](repeating: 0, count: n)
            zeros.withUnsafeBufferPointer { groups in
                if let rows {
                    updateValid(rows: rows, groups: groups, data: data, dictionary: dictionary)
                } else {
                    let all = (0..<Int32(n)).map { $0 }
                    all.withUnsafeBufferPointer {
                        updateValid(rows: $0, groups: groups, data: data, dictionary: dictionary)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func prefix<T>(_ v: UnsafeBufferPointer<T>, _ count: Int) -> UnsafeBufferPointer<T> {
        UnsafeBufferPointer(rebasing: v[0..<Swift.min(count, v.count)])
    }
}
