import StrataCore
import StrataStorage

/// One worker's state for a ``SparseRegroup``: the outer groups, the units seen in each, each summed
/// metric's count of non-NULL values per outer group, and the sums of the units with a non-zero value.
struct UnitPresence {
    var outer: GroupTable
    var units = UnitSets()
    /// Per metric, per outer group.
    var nonNull: [[Int64]]
    /// The units with a non-zero value, keyed `outer group << 32 | unit code` (`UInt32.max`: NULL unit).
    var sparseIndex = PackedGroupIndex()
    var sparseKeys: [UInt64] = []
    /// Per sparse unit, per metric (`unit * metricCount + metric`): the sum of its non-NULL values, as a
    /// double, or for an integer metric in 128 bits as the engine's sums are (`integerSums` is empty
    /// when every metric is a double).
    var doubleSums: [Double] = []
    var integerSums: [Int128] = []
    let metricCount: Int
    let hasIntegers: Bool

    init(_ sparse: SparseRegroup, tableWide: Set<Int>) {
        let wide = sparse.outerKeys.indices.filter { p in
            if case .column(let c) = sparse.outerKeys[p] { tableWide.contains(c.index) } else { false }
        }
        outer = GroupTable(keyCount: sparse.outerKeys.count, wide: Set(wide))
        nonNull = sparse.metrics.map { _ in [] }
        metricCount = sparse.metrics.count
        hasIntegers = sparse.metrics.contains { !$0.isDouble }
    }

    var estimatedBytes: Int {
        outer.count * 48 + units.estimatedBytes + sparseKeys.count * 28 + doubleSums.count * 8 + integerSums.count * 16
    }

    static let nullUnit = UInt64(UInt32.max)

    /// The sparse unit of `key`, added with zero sums if new.
    @inline(__always)
    private mutating func sparseUnit(_ key: UInt64) -> Int {
        let (s, inserted) = sparseIndex.findOrInsert(key, next: Int32(truncatingIfNeeded: sparseKeys.count))
        if inserted {
            sparseKeys.append(key)
            doubleSums.append(contentsOf: repeatElement(0, count: metricCount))
            if hasIntegers { integerSums.append(contentsOf: repeatElement(0, count: metricCount)) }
        }
        return Int(s)
    }

    /// Records the selected rows (`groups`: their outer groups): every row's unit, and the values of the
    /// rows with a non-zero or NaN value in some metric.
    mutating func add(
        rows: UnsafeBufferPointer<Int32>, groups: UnsafeBufferPointer<Int32>, block: BlockColumns,
        sparse: SparseRegroup
    ) {
        guard case .string(_, let codes, let unitValidity) = block[sparse.unitColumn] else { return }
        let groupCount = outer.count
        units.grow(to: groupCount)
        codes.withUnsafeBufferPointer { units.insert(codes: $0, validity: unitValidity, rows: rows, groups: groups) }
        var keep = [Bool](repeating: false, count: rows.count)
        for (m, metric) in sparse.metrics.enumerated() {
            if nonNull[m].count < groupCount { nonNull[m] += repeatElement(0, count: groupCount - nonNull[m].count) }
            nonNull[m].withUnsafeMutableBufferPointer { counts in
                keep.withUnsafeMutableBufferPointer { keep in
                    switch block[metric.column] {
                    case .double(let v, let validity):
                        v.withUnsafeBufferPointer { v in
                            Self.scan(v, validity, rows: rows, groups: groups, counts: counts, keep: keep)
                        }
                    case .int64(let v, let validity):
                        v.withUnsafeBufferPointer { v in
                            Self.scan(v, validity, rows: rows, groups: groups, counts: counts, keep: keep)
                        }
                    default: break
                    }
                }
            }
        }
        // The kept rows and the slot of their unit's sums.
        var kept: [(row: Int, slot: Int)] = []
        for k in 0..<rows.count where keep[k] {
            let i = Int(rows[k])
            let unit = (unitValidity?[i] ?? true) ? UInt64(codes[i]) : Self.nullUnit
            kept.append((i, sparseUnit(UInt64(UInt32(bitPattern: groups[k])) << 32 | unit) * metricCount))
        }
        for (m, metric) in sparse.metrics.enumerated() {
            switch block[metric.column] {
            case .double(let v, let validity):
                for (i, slot) in kept where validity?[i] ?? true { doubleSums[slot + m] += v[i] }
            case .int64(let v, let validity):
                for (i, slot) in kept where validity?[i] ?? true { integerSums[slot + m] += Int128(v[i]) }
            default: break
            }
        }
    }

    /// Counts the non-NULL values per group and marks the rows whose value is not zero (NaN
    /// included: it changes the sums).
    private static func scan<T: Numeric>(
        _ v: UnsafeBufferPointer<T>, _ validity: Bitset?, rows: UnsafeBufferPointer<Int32>,
        groups: UnsafeBufferPointer<Int32>, counts: UnsafeMutableBufferPointer<Int64>,
        keep: UnsafeMutableBufferPointer<Bool>
    ) {
        if let validity {
            for k in 0..<rows.count {
                let i = Int(rows[k])
                guard validity[i] else { continue }
                counts[Int(groups[k])] &+= 1
                if v[i] != 0 { keep[k] = true }
            }
        } else {
            for k in 0..<rows.count {
                counts[Int(groups[k])] &+= 1
                if v[Int(rows[k])] != 0 { keep[k] = true }
            }
        }
    }

    /// Folds another worker's state into this one, matching outer groups by their key values.
    mutating func merge(_ other: UnitPresence) {
        let map = outer.absorbKeys(of: other.outer)
        units.grow(to: outer.count)
        units.merge(other.units, map: map)
        for m in nonNull.indices {
            if nonNull[m].count < outer.count { nonNull[m] += repeatElement(0, count: outer.count - nonNull[m].count) }
            for (g, n) in other.nonNull[m].enumerated() { nonNull[m][Int(map[g])] += n }
        }
        sparseIndex.reserve(sparseKeys.count + other.sparseKeys.count)
        for (t, key) in other.sparseKeys.enumerated() {
            let s = sparseUnit(UInt64(UInt32(bitPattern: map[Int(key >> 32)])) << 32 | (key & 0xFFFF_FFFF))
            for m in 0..<metricCount {
                doubleSums[s * metricCount + m] += other.doubleSums[t * metricCount + m]
                if hasIntegers { integerSums[s * metricCount + m] += other.integerSums[t * metricCount + m] }
            }
        }
    }

    /// The number of inner groups: units over all outer groups.
    var innerGroupCount: Int { (0..<outer.count).reduce(0) { $0 + units.count($1) } }
}
