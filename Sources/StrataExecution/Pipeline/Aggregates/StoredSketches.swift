import StrataCore

/// A sketch a rolled-up table stores serialized, merged per group by the rollup's merge aggregates.
protocol StoredSketch {
    init()
    mutating func merge(_ other: Self)
    mutating func merge(serialized bytes: UnsafeRawBufferPointer) throws(StrataError)
}

extension HyperLogLog: StoredSketch {}
extension QuantileSketch: StoredSketch {}

/// One sketch per group, fed the stored sketches of a sketch column: the merge loop both
/// `approx_count_distinct` and `approx_quantile` over a rollup share. A stored sketch that does not parse
/// (blocks are checksummed, so a writer bug or a damaged file that kept its checksum) fails the query
/// with `corruption`: an estimate that silently left out groups' rows would look like an answer.
struct StoredSketches<Sketch: StoredSketch> {
    private(set) var sketches: [Sketch] = []

    mutating func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?, function: String)
        throws(StrataError)
    {
        grow(&sketches, to: groupCount, with: Sketch())
        guard let argument else { return }
        guard case .sketch(let bytes, let offsets, let order) = argument.storage else {
            throw StrataError(.internal, "\(function) over a rollup needs a stored sketch column")
        }
        let mask = argument.nullMask()
        var failure: StrataError?
        @inline(__always) func merge(_ sketch: inout Sketch, _ bytes: UnsafeRawBufferPointer) {
            do throws(StrataError) {
                try sketch.merge(serialized: bytes)
            } catch {
                failure = failure ?? error
            }
        }
        bytes.withUnsafeBytes { raw in
            offsets.withUnsafeBufferPointer { offsets in
                @inline(__always) func stored(_ i: Int) -> UnsafeRawBufferPointer {
                    let r = order.map { Int($0[i]) } ?? i
                    return UnsafeRawBufferPointer(rebasing: raw[offsets[r]..<offsets[r + 1]])
                }
                if rows == nil {
                    // By runs of one group (rows sorted by time and sort key): the run's sketch is taken out of
                    // the array once and merged into in place.
                    groups.withUnsafeBufferPointer { groups in
                        forEachRun(groups) { g, run in
                            var sketch = Sketch()
                            swap(&sketch, &sketches[g])
                            for i in run where mask.map({ $0[i] }) ?? true { merge(&sketch, stored(i)) }
                            swap(&sketch, &sketches[g])
                        }
                    }
                } else {
                    forEachRow(rows, groups.count, skipping: mask) { i in
                        merge(&sketches[Int(groups[i])], stored(i))
                    }
                }
            }
        }
        if let failure {
            throw StrataError(.corruption, "a stored sketch of \(function) does not parse: \(failure.message)")
        }
    }

    /// Adds another worker's sketches, its group `g` as group `groups[g]` here.
    mutating func merge(_ other: StoredSketches, groups: [UInt32], groupCount: Int) {
        grow(&sketches, to: groupCount, with: Sketch())
        for (g, sketch) in other.sketches.enumerated() { sketches[Int(groups[g])].merge(sketch) }
    }
}
