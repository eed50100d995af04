public import StrataCore

extension RandomTable {
    /// The rollup aggregates a random rolled-up spec stores: every kind, over ``RandomTable``'s metrics.
    public static let rollupAggregates: [AggregateSpec] = [
        AggregateSpec(name: "row_count", type: .count), AggregateSpec(name: "amount_sum", type: .sum, column: "amount"),
        AggregateSpec(name: "count_sum", type: .sum, column: "count"),
        AggregateSpec(name: "count_min", type: .min, column: "count"),
        AggregateSpec(name: "count_max", type: .max, column: "count"),
        AggregateSpec(name: "amount_min", type: .min, column: "amount"),
        AggregateSpec(name: "amount_max", type: .max, column: "amount"),
        AggregateSpec(name: "amount_m", type: .moments, column: "amount"),
        AggregateSpec(name: "amount_q", type: .quantile, column: "amount"),
        AggregateSpec(name: "count_hll", type: .hll, column: "count"),
    ]

    /// A spec over ``spec(name:rollup:codec:userDictionary:)``'s columns with random storage choices:
    /// sort key (none, the default, or a random list of dimensions), sort time granularity, rollup
    /// (and its granularity), the user column's dictionary scope, segment granularity and codec.
    /// These choices must never change an answer; differential tests run queries over them.
    public static func randomSpec(using rng: inout SplitMix64) -> TableSpec {
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let rolled = rng.next() % 3 == 0
        let rollup =
            rolled
            ? RollupSpec(granularity: pick([.none, .second, .minute, .hour, .day]), aggregates: rollupAggregates)
            : nil
        var spec = Self.spec(
            rollup: rollup, codec: pick([.lz4, .zstd, .none]), userDictionary: pick([.segment, .table]))
        switch rng.next() % 3 {
        case 0: spec.sortKey = nil
        case 1: spec.sortKey = []
        default:
            let dimensions = spec.dimensions.map(\.name)
            spec.sortKey = dimensions.filter { _ in rng.next() % 2 == 0 }.shuffled(using: &rng)
        }
        spec.sortTimeGranularity = pick([nil, QueryGranularity.none, .minute, .hour, .day])
        spec.segmentGranularity = pick([.hour, .day, .day, .week])
        return spec
    }
}
