import StrataCore

/// `avg`, `var_samp` and `stddev_samp` of an input metric of a rolled-up table, from its stored moments:
/// per group Σn, Σx and Σx² over the stored rows (the `#n`, `#sum` and `#sumsq` columns), then Σx / Σn, or
/// (Σx² − (Σx)²/Σn) / (Σn − 1) clamped at 0, or its square root. Workers'
/// sums add.
final class MomentsMergeAggregate: VectorAggregate {
    enum Output { case mean, variance, standardDeviation }
    private let output: Output
    private var n: [Double] = []
    private var sums: [Double] = []
    private var squares: [Double] = []

    init(function: AggregateCall.Function) { output = Self.output(function) }

    private static func output(_ function: AggregateCall.Function) -> Output {
        switch function {
        case .varianceSample: .variance
        case .standardDeviationSample: .standardDeviation
        default: .mean
        }
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        try update(groups, groupCount: groupCount, arguments: argument.map { [$0] } ?? [], rows: rows)
    }

    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) throws(StrataError) {
        grow(&n, to: groupCount, with: 0)
        grow(&sums, to: groupCount, with: 0)
        grow(&squares, to: groupCount, with: 0)
        guard arguments.count == 3 || (arguments.count == 2 && output == .mean) else {
            throw StrataError(
                .internal, "a moments merge reads \(output == .mean ? 2 : 3) stored columns, got \(arguments.count)")
        }
        // The parts are never NULL (ingest writes 0s); a NULL row adds nothing, as a NULL sum would.
        let mask = arguments[0].nullMask()
        let counts = Self.doubles(arguments[0]), s = Self.doubles(arguments[1])
        // A mean alone reads no Σx²: zeros, never used.
        let q = arguments.count == 3 ? Self.doubles(arguments[2]) : [Double](repeating: 0, count: counts.count)
        var n = self.n, sums = self.sums, squares = self.squares
        (self.n, self.sums, self.squares) = ([], [], [])
        defer { (self.n, self.sums, self.squares) = (n, sums, squares) }
        n.withUnsafeMutableBufferPointer { n in
            sums.withUnsafeMutableBufferPointer { sums in
                squares.withUnsafeMutableBufferPointer { squares in
                    counts.withUnsafeBufferPointer { counts in
                        s.withUnsafeBufferPointer { s in
                            q.withUnsafeBufferPointer { q in
                                forEachRow(rows, groups.count, skipping: mask) { i in
                                    let g = Int(groups[i])
                                    n[g] += counts[i]
                                    sums[g] += s[i]
                                    squares[g] += q[i]
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A stored part as doubles (`#n` is BIGINT, the sums DOUBLE); a NULL row as 0.
    private static func doubles(_ v: Vector) -> [Double] {
        if let mask = v.nullMask() {
            let values = v.doubleBuffer() ?? (0..<v.count).map { v.value(at: $0).doubleValue ?? 0 }
            return values.indices.map { mask[$0] ? values[$0] : 0 }
        }
        return v.doubleBuffer() ?? (0..<v.count).map { v.value(at: $0).doubleValue ?? 0 }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? MomentsMergeAggregate else { return }
        grow(&n, to: groupCount, with: 0)
        grow(&sums, to: groupCount, with: 0)
        grow(&squares, to: groupCount, with: 0)
        for g in other.n.indices {
            let t = Int(groups[g])
            n[t] += other.n[g]
            sums[t] += other.sums[g]
            squares[t] += other.squares[g]
        }
    }

    func result(_ g: Int) -> Value { result(g, output: output) }

    fileprivate func result(_ g: Int, output: Output) -> Value {
        guard g < n.count else { return .null }
        let (count, s, q) = (n[g], sums[g], squares[g])
        switch output {
        case .mean:
            return count > 0 ? .double(s / count) : .null
        case .variance, .standardDeviation:
            guard count > 1 else { return .null }
            let variance = max(0, (q - s * s / count) / (count - 1))
            return .double(output == .standardDeviation ? variance.squareRoot() : variance)
        }
    }

    var bytes: Int { n.count * 24 }
}

extension MomentsMergeAggregate: SharingAggregate {
    /// `avg`, `var_samp` and `stddev_samp` of one metric (same FILTER) read the same sums.
    func view(for call: AggregateCall) -> (any VectorAggregate)? {
        guard case .moments? = call.merge else { return nil }
        let output = Self.output(call.function)
        return SharedStateView(self) { primary, g in primary.result(g, output: output) }
    }
}
