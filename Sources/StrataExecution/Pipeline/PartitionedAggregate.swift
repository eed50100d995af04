package import StrataCore

/// One worker's share of a GROUP BY with many groups (order keys, user ids): its rows go by a hash of their
/// keys to one of ``partitionCount`` hash aggregates, as DuckDB's radix-partitioned aggregation does.
///
/// A million groups in one table make every probe a cache miss and leave the workers' tables to merge in
/// one thread. Split by key hash, each partition's table is a sixteenth of the size, and partition `p` of
/// every worker holds the same keys, so the workers merge and finish the partitions in parallel, each
/// partition on its own (``HashAggregate/merge(_:)`` as before, on tables that fit the cache).
package final class PartitionedAggregate {
    /// Partitions per worker: a power of two, so a partition is the top bits of a row's key hash.
    package static let partitionCount = 16
    private static let shift = UInt64(64 - partitionCount.trailingZeroBitCount)

    /// The partitions' aggregates: partition `p` of every worker has the same keys.
    package let parts: [HashAggregate]
    /// Hashes of dictionary entries by dictionary id (a segment's strings are hashed once).
    private var hashCache: [Int: [UInt64]] = [:]

    /// Partitions for the query of `prototype` (a fresh aggregate of it in each).
    package init(_ prototype: HashAggregate) {
        parts = (0..<Self.partitionCount).map { _ in prototype.sibling() }
    }

    /// Adds every row of `batch` (its selected rows, when it has one) to its partition.
    package func consume(_ batch: Batch) throws(StrataError) {
        let vectors = try parts[0].keyVectors(batch)
        let live = batch.liveCount
        let keys = JoinKeyRows(vectors, count: live, hashCache: &hashCache)
        var rows = [[Int32]](repeating: [], count: Self.partitionCount)
        let reserve = live / Self.partitionCount * 2
        for p in rows.indices { rows[p].reserveCapacity(reserve) }
        let shift = Self.shift
        keys.hashes.withUnsafeBufferPointer { hashes in
            for i in 0..<live {
                // Rows with a NULL key all go to partition 0: the hash of a NULL row is not defined.
                let p = keys.isNull(i) ? 0 : Int(truncatingIfNeeded: hashes[i] >> shift)
                rows[p].append(batch.selection.map { $0[i] } ?? Int32(truncatingIfNeeded: i))
            }
        }
        for (p, selected) in rows.enumerated() where !selected.isEmpty {
            var part = batch
            part.selection = nil
            try parts[p].consume(selected.count == batch.count ? part : part.gather(selected))
        }
    }
}

extension HashAggregate {
    /// Whether the rows of `batch` suggest many groups (a key that is nearly unique row by row, such as an
    /// order key or a customer id, not dictionary-coded): then the workers partition their rows (``PartitionedAggregate``). Judged
    /// on 256 rows spread over the batch: most of them with keys of their own.
    package func hasManyGroups(_ batch: Batch) throws(StrataError) -> Bool {
        let sampleSize = 256
        let live = batch.liveCount
        guard !keyExpressions.isEmpty, live >= sampleSize * 4 else { return false }
        let step = live / sampleSize
        let sample = (0..<sampleSize).map { i in batch.selection.map { $0[i * step] } ?? Int32(i * step) }
        var rows = batch
        rows.selection = nil
        let gathered = rows.gather(sample)
        let vectors = try keyVectors(gathered)
        // A segment dictionary's codes are numbered once per segment for the whole table (``KeyColumn``):
        // split among partitions, each would map the whole dictionary.
        for vector in vectors {
            if case .dictionary = vector.storage { return false }
        }
        var distinct = Set<[Value]>()
        for i in 0..<sampleSize { distinct.insert(vectors.map { $0.value(at: i) }) }
        return distinct.count >= sampleSize * 3 / 4
    }
}
