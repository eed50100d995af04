import StrataCore

/// `sum(x)` and `avg(x)`: doubles summed in row order; BIGINT and DECIMAL exactly in 128 bits (a DECIMAL
/// in units of its scale), as DuckDB sums them.
final class SumAggregate: VectorAggregate {
    private let call: AggregateCall
    private let average: Bool
    private var counts: [Int64] = []
    private var exact: [Int128] = []
    private var doubles: [Double] = []
    /// Groups that summed a double (the sum is then the double sum).
    private var isDouble: [Bool] = []
    private var overflow: [Bool] = []
    /// The scale of the decimals summed, when they are decimals.
    private var scale: Int?
    /// Whether a value past 64 bits was added (row at a time): int64 batches then add with overflow checks.
    private var wide = false

    init(call: AggregateCall, average: Bool) {
        self.call = call
        self.average = average
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        try withGroups(groupCount) { counts, exact, doubles, isDouble, overflow throws(StrataError) in
            let mask = argument.nullMask()
            if argument.type == .double, let v = argument.doubleBuffer() {
                counts.withUnsafeMutableBufferPointer { counts in
                    doubles.withUnsafeMutableBufferPointer { doubles in
                        isDouble.withUnsafeMutableBufferPointer { isDouble in
                            groups.withUnsafeBufferPointer { groups in
                                v.withUnsafeBufferPointer { v in
                                    if groupCount == 1 {
                                        // Ungrouped: running totals in registers, added in row order as ever.
                                        var n: Int64 = 0
                                        var sum = doubles[0]
                                        forEachRow(rows, groups.count, skipping: mask) { i in
                                            n &+= 1
                                            sum += v[i]
                                        }
                                        counts[0] &+= n
                                        doubles[0] = sum
                                        if n > 0 { isDouble[0] = true }
                                        return
                                    }
                                    if rows == nil, mask == nil, hasLongRuns(groups) {
                                        // By runs of one group: the run's sum in a register, added in row order
                                        // as ever (so the same bits), rather than a chain through memory.
                                        forEachRun(groups) { g, run in
                                            var sum = doubles[g]
                                            for j in run { sum += v[j] }
                                            doubles[g] = sum
                                            counts[g] &+= Int64(run.count)
                                            isDouble[g] = true
                                        }
                                        return
                                    }
                                    forEachRow(rows, groups.count, skipping: mask) { i in
                                        let g = Int(groups[i])
                                        counts[g] &+= 1
                                        doubles[g] += v[i]
                                        isDouble[g] = true
                                    }
                                }
                            }
                        }
                    }
                }
            } else if argument.type == .bigint || argument.type.isDecimal, !wide, let v = argument.int64Buffer() {
                if case .decimal(_, let s) = argument.type { self.scale = s }
                // No overflow check: fewer than 2^63 values below 2^63 in magnitude sum to less than 2^126 (a wider
                // value, added row at a time, sets `wide` and sends later batches to the checked loop).
                counts.withUnsafeMutableBufferPointer { counts in
                    exact.withUnsafeMutableBufferPointer { exact in
                        groups.withUnsafeBufferPointer { groups in
                            v.withUnsafeBufferPointer { v in
                                if groupCount == 1 {
                                    var n: Int64 = 0
                                    var sum = exact[0]
                                    forEachRow(rows, groups.count, skipping: mask) { i in
                                        n &+= 1
                                        sum &+= Int128(v[i])
                                    }
                                    counts[0] &+= n
                                    exact[0] = sum
                                    return
                                }
                                if rows == nil, mask == nil, groupCount <= 4096, groups.count <= 1 << 16,
                                    v.allSatisfy({ $0.magnitude < 1 << 46 })
                                {
                                    // Few groups, small values (a CASE of 0 and 1, milliseconds): 64-bit partial
                                    // sums for the batch, which cannot overflow (2^16 values below 2^46), then
                                    // one 128-bit add per group.
                                    var partial = [Int64](repeating: 0, count: groupCount)
                                    var partialCounts = [Int64](repeating: 0, count: groupCount)
                                    partial.withUnsafeMutableBufferPointer { partial in
                                        partialCounts.withUnsafeMutableBufferPointer { partialCounts in
                                            for i in 0..<groups.count {
                                                let g = Int(groups[i])
                                                partial[g] &+= v[i]
                                                partialCounts[g] &+= 1
                                            }
                                        }
                                    }
                                    for g in 0..<groupCount where partialCounts[g] > 0 {
                                        exact[g] &+= Int128(partial[g])
                                        counts[g] &+= partialCounts[g]
                                    }
                                    return
                                }
                                if rows == nil, mask == nil, hasLongRuns(groups) {
                                    forEachRun(groups) { g, run in
                                        var sum = exact[g]
                                        for j in run { sum &+= Int128(v[j]) }
                                        exact[g] = sum
                                        counts[g] &+= Int64(run.count)
                                    }
                                    return
                                }
                                forEachRow(rows, groups.count, skipping: mask) { i in
                                    let g = Int(groups[i])
                                    counts[g] &+= 1
                                    exact[g] &+= Int128(v[i])
                                }
                            }
                        }
                    }
                }
            } else {
                for i in RowIndices(rows, groups.count) {
                    let g = Int(groups[i])
                    var units: Int128
                    switch argument.value(at: i) {
                    case .int64(let x): units = Int128(x)
                    case .hugeint(let x): units = x
                    case .decimal(let d):
                        self.scale = d.scale
                        units = d.unscaled
                    case .double(let x):
                        counts[g] &+= 1
                        doubles[g] += x
                        isDouble[g] = true
                        continue
                    default: continue
                    }
                    if units.magnitude > UInt128(Int64.max) { wide = true }
                    counts[g] &+= 1
                    let (sum, o) = exact[g].addingReportingOverflow(units)
                    exact[g] = sum
                    if o { overflow[g] = true }
                }
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? SumAggregate else { return }
        withGroups(groupCount) { counts, exact, doubles, isDouble, overflow in
            if let s = other.scale { scale = s }
            wide = wide || other.wide
            let (theirCounts, theirExact, theirDoubles) = (other.counts, other.exact, other.doubles)
            let (theirIsDouble, theirOverflow) = (other.isDouble, other.overflow)
            for g in theirCounts.indices {
                let t = Int(groups[g])
                counts[t] &+= theirCounts[g]
                doubles[t] += theirDoubles[g]
                isDouble[t] = isDouble[t] || theirIsDouble[g]
                let (sum, o) = exact[t].addingReportingOverflow(theirExact[g])
                exact[t] = sum
                overflow[t] = overflow[t] || o || theirOverflow[g]
            }
        }
    }

    /// Runs `body` on the per-group arrays as locals, grown to `groupCount` groups: loops over locals have
    /// no exclusivity check per group, as loops over the class's properties would.
    private func withGroups<E: Error>(
        _ groupCount: Int,
        _ body: (
            inout [Int64], inout [Int128], inout [Double], inout [Bool], inout [Bool]
        ) throws(E) -> Void
    ) throws(E) {
        var counts = self.counts, exact = self.exact, doubles = self.doubles, isDouble = self.isDouble
        var overflow = self.overflow
        (self.counts, self.exact, self.doubles, self.isDouble, self.overflow) = ([], [], [], [], [])
        defer {
            (self.counts, self.exact, self.doubles, self.isDouble, self.overflow) = (
                counts, exact, doubles, isDouble, overflow
            )
        }
        grow(&counts, to: groupCount, with: 0)
        grow(&exact, to: groupCount, with: 0)
        grow(&doubles, to: groupCount, with: 0)
        grow(&isDouble, to: groupCount, with: false)
        grow(&overflow, to: groupCount, with: false)
        try body(&counts, &exact, &doubles, &isDouble, &overflow)
    }

    func result(_ g: Int) throws(StrataError) -> Value {
        guard g < counts.count, counts[g] > 0 else { return .null }
        if overflow[g] {
            throw StrataError(.invalidArgument, "overflow in \(call.text): the sum does not fit in 128 bits (HUGEINT)")
        }
        let count = counts[g]
        if isDouble[g] { return .double(average ? doubles[g] / Double(count) : doubles[g]) }
        let sum = exact[g]
        if !average {
            if let scale {
                return .decimal(DecimalValue(unscaled: sum, precision: DecimalValue.maxPrecision, scale: scale))
            }
            return Int64(exactly: sum).map { .int64($0) } ?? .hugeint(sum)
        }
        guard let scale else { return .double(Double(sum) / Double(count)) }
        // Exact quotient and remainder first, so that a sum past 2^53 keeps its precision.
        let (q, r) = sum.quotientAndRemainder(dividingBy: Int128(count))
        return .double((Double(q) + Double(r) / Double(count)) / Double(DecimalValue.power(scale)))
    }

    var bytes: Int { counts.count * 42 }
}
