import StrataCore

/// `approx_count_distinct(x)`: a HyperLogLog per group, fed the hashes the engine's sketches use (a
/// string hashed once per dictionary entry of a segment).
final class ApproxCountDistinctAggregate: VectorAggregate {
    private var sketches: [HyperLogLog] = []
    private var entryHashes: (id: Int, hashes: [UInt64])?
    /// The hashes of a string dictionary's entries used so far (see ``insert(_:codes:strings:id:rows:mask:)``).
    private var lazyHashes: (id: Int, hashes: [UInt64], visited: Int)?

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        grow(&sketches, to: groupCount, with: HyperLogLog())
        let mask = argument.nullMask()
        if case .dictionary(let codes, let entries, let id) = argument.storage, case .string(let strings) = entries.storage {
            insert(groups, codes: codes, strings: strings, id: id, rows: rows, mask: mask)
            return
        }
        insert(groups, hashes: hashes(argument), rows: rows, mask: mask)
    }

    /// Strings from a dictionary: an entry is hashed when a row first uses it (a filter may keep few of a
    /// segment's users), its hash kept for the dictionary's later batches (0: not hashed yet; an entry whose
    /// hash is 0 is merely hashed again). The rows' hashes are gathered first, in a loop whose table lookups
    /// do not wait on sketch updates.
    private func insert(
        _ groups: [UInt32], codes: [UInt32], strings: [String], id: Int?, rows: [Int32]?, mask: Bitset?
    ) {
        var table: [UInt64] = []
        var visited = 0
        if let id, let cached = lazyHashes, cached.id == id, cached.hashes.count == strings.count {
            lazyHashes = nil
            (table, visited) = (cached.hashes, cached.visited)
        } else {
            table = [UInt64](repeating: 0, count: strings.count)
        }
        // Once the dictionary's rows outnumber half its entries, most entries will be used: hashing
        // the rest in order (strings read sequentially) is cheaper than hashing them as rows meet them.
        let before = visited
        visited += rows?.count ?? groups.count
        if before <= strings.count / 2, visited > strings.count / 2 {
            table.withUnsafeMutableBufferPointer { table in
                for c in 0..<table.count where table[c] == 0 { table[c] = StrataHash.hash64(strings[c]) }
            }
        }
        var hashes = [UInt64](repeating: 0, count: groups.count)
        hashes.withUnsafeMutableBufferPointer { hashes in
            codes.withUnsafeBufferPointer { codes in
                table.withUnsafeMutableBufferPointer { table in
                    forEachRow(rows, groups.count, skipping: mask) { i in
                        let c = Int(codes[i])
                        guard c < table.count else { return }
                        var h = table[c]
                        if h == 0 {
                            h = StrataHash.hash64(strings[c])
                            table[c] = h
                        }
                        hashes[i] = h
                    }
                }
            }
        }
        if let id { lazyHashes = (id, table, visited) }
        insert(groups, hashes: hashes, rows: rows, mask: mask)
    }

    /// Adds each visited row's hash to its group's sketch.
    private func insert(_ groups: [UInt32], hashes: [UInt64], rows: [Int32]?, mask: Bitset?) {
        sketches.withUnsafeMutableBufferPointer { sketches in
            groups.withUnsafeBufferPointer { groups in
                hashes.withUnsafeBufferPointer { hashes in
                    guard rows == nil else {
                        forEachRow(rows, groups.count, skipping: mask) { i in
                            sketches[Int(groups[i])].insert(hash: hashes[i])
                        }
                        return
                    }
                    // By runs of one group (time-ordered rows grouped by hour or day): a long run's sketch is
                    // moved out of the array, so its registers are updated without a uniqueness check per row.
                    forEachRun(groups) { g, run in
                        if run.count < 16 {
                            for j in run where mask.map({ $0[j] }) ?? true { sketches[g].insert(hash: hashes[j]) }
                            return
                        }
                        var sketch = HyperLogLog()
                        swap(&sketch, &sketches[g])
                        for j in run where mask.map({ $0[j] }) ?? true { sketch.insert(hash: hashes[j]) }
                        swap(&sketch, &sketches[g])
                    }
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
