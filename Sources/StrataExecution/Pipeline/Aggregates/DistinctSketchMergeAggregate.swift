import StrataCore

/// `approx_count_distinct` over a rolled-up table: the stored HyperLogLog sketches of each group merged
/// (register-wise maximum, ``StoredSketches``), so the estimate is exactly the one the raw rows' sketch gives.
final class DistinctSketchMergeAggregate: VectorAggregate {
    private var stored = StoredSketches<HyperLogLog>()

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        try stored.update(groups, groupCount: groupCount, argument: argument, rows: rows, function: "approx_count_distinct")
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? DistinctSketchMergeAggregate else { return }
        stored.merge(other.stored, groups: groups, groupCount: groupCount)
    }

    func result(_ group: Int) -> Value {
        .int64(group < stored.sketches.count ? stored.sketches[group].estimate : 0)
    }

    var bytes: Int { stored.sketches.count * 1024 }
}
