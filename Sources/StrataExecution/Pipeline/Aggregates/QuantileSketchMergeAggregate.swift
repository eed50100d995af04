import StrataCore

/// `approx_quantile` over a rolled-up table: the stored quantile sketches (DDSketch) of each group merged
/// bucket by bucket, so the estimate is the raw rows' sketch's. An integer metric's estimate is rounded back
/// to an integer, as on the raw table. A stored sketch that does not parse is skipped, as in the native engine.
final class QuantileSketchMergeAggregate: VectorAggregate {
    private let fraction: Double?
    private let integer: Bool
    private var sketches: [QuantileSketch] = []

    init(fraction: Double?, integer: Bool) {
        self.fraction = fraction
        self.integer = integer
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        grow(&sketches, to: groupCount, with: QuantileSketch())
        guard let argument else { return }
        guard case .sketch(let bytes, let offsets, let order) = argument.storage else {
            throw StrataError(.internal, "approx_quantile over a rollup needs a stored sketch column")
        }
        let mask = argument.nullMask()
        var sketches = self.sketches
        self.sketches = []
        defer { self.sketches = sketches }
        bytes.withUnsafeBytes { raw in
            offsets.withUnsafeBufferPointer { offsets in
                if rows == nil {
                    groups.withUnsafeBufferPointer { groups in
                        forEachRun(groups) { g, run in
                            var sketch = QuantileSketch()
                            swap(&sketch, &sketches[g])
                            for i in run where mask.map({ $0[i] }) ?? true {
                                let r = order.map { Int($0[i]) } ?? i
                                try? sketch.merge(
                                    serialized: UnsafeRawBufferPointer(rebasing: raw[offsets[r]..<offsets[r + 1]]))
                            }
                            swap(&sketch, &sketches[g])
                        }
                    }
                } else {
                    forEachRow(rows, groups.count, skipping: mask) { i in
                        let r = order.map { Int($0[i]) } ?? i
                        try? sketches[Int(groups[i])].merge(
                            serialized: UnsafeRawBufferPointer(rebasing: raw[offsets[r]..<offsets[r + 1]]))
                    }
                }
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? QuantileSketchMergeAggregate else { return }
        grow(&sketches, to: groupCount, with: QuantileSketch())
        for (g, sketch) in other.sketches.enumerated() { sketches[Int(groups[g])].merge(sketch) }
    }

    func result(_ g: Int) throws(StrataError) -> Value { try result(g, fraction: fraction) }

    fileprivate func result(_ g: Int, fraction: Double?) throws(StrataError) -> Value {
        guard g < sketches.count, let q = fraction, let x = try sketches[g].quantile(q) else { return .null }
        return integer ? .int64(QuantileSketch.integerValue(x)) : .double(x)
    }

    var bytes: Int { sketches.count * 2048 }
}

extension QuantileSketchMergeAggregate: SharingAggregate {
    /// Quantiles at other fractions of the same sketches (same FILTER) merge them once.
    func view(for call: AggregateCall) -> (any VectorAggregate)? {
        guard case .quantileSketch? = call.merge else { return nil }
        let fraction = call.fraction
        return SharedStateView(self) { primary, g throws(StrataError) in try primary.result(g, fraction: fraction) }
    }
}
