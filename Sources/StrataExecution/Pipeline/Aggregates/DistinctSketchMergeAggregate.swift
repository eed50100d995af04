import StrataCore

/// `approx_count_distinct` over a rolled-up table: the stored HyperLogLog sketches of each group merged
/// (register-wise maximum), so the estimate is exactly the one the raw rows' sketch gives. A stored sketch
/// that does not parse (a writer bug; blocks are checksummed) is skipped, as in the native engine.
final class DistinctSketchMergeAggregate: VectorAggregate {
    private var sketches: [HyperLogLog] = []

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        grow(&sketches, to: groupCount, with: HyperLogLog())
        guard let argument else { return }
        guard case .sketch(let bytes, let offsets, let order) = argument.storage else {
            throw StrataError(.internal, "approx_count_distinct over a rollup needs a stored sketch column")
        }
        let mask = argument.nullMask()
        var sketches = self.sketches
        self.sketches = []
        defer { self.sketches = sketches }
        bytes.withUnsafeBytes { raw in
            offsets.withUnsafeBufferPointer { offsets in
                if rows == nil {
                    // By runs of one group (rows sorted by time and sort key): the run's sketch is taken out of
                    // the array once and merged into in place.
                    groups.withUnsafeBufferPointer { groups in
                        forEachRun(groups) { g, run in
                            var sketch = HyperLogLog()
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
        guard let other = other as? DistinctSketchMergeAggregate else { return }
        grow(&sketches, to: groupCount, with: HyperLogLog())
        for (g, sketch) in other.sketches.enumerated() { sketches[Int(groups[g])].merge(sketch) }
    }

    func result(_ group: Int) -> Value { .int64(group < sketches.count ? sketches[group].estimate : 0) }
    var bytes: Int { sketches.count * 1024 }
}
