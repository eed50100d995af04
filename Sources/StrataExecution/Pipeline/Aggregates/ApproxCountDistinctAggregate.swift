import StrataCore

/// `approx_count_distinct(x)`: a HyperLogLog per group, fed the hashes the engine's sketches use (a
/// string hashed once per dictionary entry of a segment).
final class ApproxCountDistinctAggregate: VectorAggregate {
    private var sketches: [HyperLogLog] = []
    private var entryHashes: (id: Int, hashes: [UInt64])?

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        let hashes = self.hashes(argument)
        var sketches = self.sketches
        self.sketches = []
        defer { self.sketches = sketches }
        grow(&sketches, to: groupCount, with: HyperLogLog())
        let mask = argument.nullMask()
        guard rows == nil else {
            forEachRow(rows, groups.count, skipping: mask) { i in sketches[Int(groups[i])].insert(hash: hashes[i]) }
            return
        }
        // By runs of one group (time-ordered rows grouped by day): the run's sketch is taken out of the array
        // once, so its registers are updated in place without a uniqueness check per row.
        groups.withUnsafeBufferPointer { groups in
            hashes.withUnsafeBufferPointer { hashes in
                forEachRun(groups) { g, run in
                    var sketch = HyperLogLog()
                    swap(&sketch, &sketches[g])
                    for j in run where mask.map({ $0[j] }) ?? true { sketch.insert(hash: hashes[j]) }
                    swap(&sketch, &sketches[g])
                }
            }
        }
    }

    /// The hash of every row (null rows: unspecified).
    private func hashes(_ v: Vector) -> [UInt64] {
        switch v.storage {
        case .dictionary(let codes, let entries, let id):
            let table: [UInt64]
            if let id, let cached = entryHashes, cached.id == id {
                table = cached.hashes
            } else {
                table = hashes(entries)
                if let id { entryHashes = (id, table) }
            }
            return Vector.looked(table, codes)
        case .string(let s): return s.map { StrataHash.hash64($0) }
        case .int64(let x) where KeyColumn.integerTyped(v.type): return x.map { StrataHash.hash64($0) }
        case .double(let x): return x.map { StrataHash.hash64($0) }
        case .bool(let b): return b.map { StrataHash.hash64(Int64($0 ? 1 : 0)) }
        default:
            return (0..<v.count).map { i in
                switch v.value(at: i) {
                case .string(let text): StrataHash.hash64(text)
                case .int64(let x), .timestamp(let x): StrataHash.hash64(x)
                case .double(let x): StrataHash.hash64(x)
                // A decimal hashes its units, as the engine hashes a decimal column's int64 units.
                case .decimal(let d): StrataHash.hash64(Int64(truncatingIfNeeded: d.unscaled))
                case .hugeint(let x): StrataHash.hash64(String(x))
                case .bool(let b): StrataHash.hash64(Int64(b ? 1 : 0))
                case .null: 0
                }
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? ApproxCountDistinctAggregate else { return }
        grow(&sketches, to: groupCount, with: HyperLogLog())
        for (g, sketch) in other.sketches.enumerated() { sketches[Int(groups[g])].merge(sketch) }
    }

    func result(_ group: Int) -> Value { .int64(group < sketches.count ? sketches[group].estimate : 0) }
    var bytes: Int { sketches.count * 256 }
}
