import StrataCore

/// `approx_quantile` over a rolled-up table: the stored quantile sketches (DDSketch) of each group merged
/// bucket by bucket, so the estimate is the raw rows' sketch's. An integer metric's estimate is rounded back
/// to an integer, as on the raw table (the merge loop: ``StoredSketches``).
final class QuantileSketchMergeAggregate: VectorAggregate {
    private let fraction: Double?
    private let integer: Bool
    private var stored = StoredSketches<QuantileSketch>()

    init(fraction: Double?, integer: Bool) {
        self.fraction = fraction
        self.integer = integer
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        try stored.update(groups, groupCount: groupCount, argument: argument, rows: rows, function: "approx_quantile")
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? QuantileSketchMergeAggregate else { return }
        stored.merge(other.stored, groups: groups, groupCount: groupCount)
    }

    func result(_ g: Int) throws(StrataError) -> Value { try result(g, fraction: fraction) }

    fileprivate func result(_ g: Int, fraction: Double?) throws(StrataError) -> Value {
        guard g < stored.sketches.count, let q = fraction, let x = try stored.sketches[g].quantile(q) else { return .null }
        return integer ? .int64(QuantileSketch.integerValue(x)) : .double(x)
    }

    var bytes: Int { stored.sketches.count * 2048 }
}

extension QuantileSketchMergeAggregate: SharingAggregate {
    /// Quantiles at other fractions of the same sketches (same FILTER) merge them once.
    func view(for call: AggregateCall) -> (any VectorAggregate)? {
        guard case .quantileSketch? = call.merge else { return nil }
        let fraction = call.fraction
        return SharedStateView(self) { primary, g throws(StrataError) in try primary.result(g, fraction: fraction) }
    }
}
