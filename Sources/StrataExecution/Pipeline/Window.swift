package import StrataCore

/// Window functions over batches: holds every batch (workers' batches put back into segment order, as
/// ``Sort`` does), boxes once only the columns calls read as values, splits the rows into partitions by
/// hashing the partition keys, sorts each partition by the window's ORDER BY (``SortKey``'s order: NULLS
/// FIRST/LAST, DuckDB's NULLs last by default; ties in input order), and appends one column per call to every
/// batch. Calls that share PARTITION BY and ORDER BY share the partitioning and the sort. Rows come out in
/// input order.
///
/// Ranking and offset functions read the sorted partition directly; aggregates over frames read segment trees
/// (count, sum, avg, min, max: O(log n) per row whatever the frame), others evaluate their frame row by row.
package final class Window {
    private let calls: [WindowCall]
    private let context: QueryContext
    /// How many workers compute partitions at once.
    private let parallelism: Int
    private var batches: [Batch] = []
    private var count = 0
    private var width = 0
    private var held = 0

    package init(calls: [WindowCall], context: QueryContext, parallelism: Int = 1) {
        self.calls = calls
        self.context = context
        self.parallelism = parallelism
    }

    deinit { context.release(bytes: held) }

    /// Holds the rows of `batch`; batches must come in input order (by segment, for a worker's share).
    package func consume(_ batch: Batch) throws(StrataError) {
        try context.check()
        guard batch.count > 0 else { return }
        batches.append(batch)
        count += batch.count
        width = batch.columns.count
        var bytes = held
        for vector in batch.columns { bytes += Self.bytes(vector) }
        try context.account(&held, to: bytes)
    }

    /// Takes over the batches another worker's window operator of the same query holds (from other segments).
    package func merge(_ other: Window) throws(StrataError) {
        batches += other.batches
        count += other.count
        width = Swift.max(width, other.width)
        other.batches = []
        other.count = 0
        try context.account(&held, to: held + other.held)
        context.release(bytes: other.held)
        other.held = 0
    }

    /// The input batches in input order, each with one column per call appended. Their memory (``held``
    /// and the calls' columns) stays reserved in the context, as the output of a plan node: the caller
    /// releases `reserved` bytes once it no longer holds the batches.
    /// - Throws: `cancelled` or `limit` from the context, `invalidArgument` for a bad argument (`ntile(0)`).
    package func finish() throws(StrataError) -> (batches: [Batch], reserved: Int) {
        try context.check()
        guard count > 0 else { return ([], 0) }
        var sortedBatches = batches.enumerated().sorted { a, b in
            a.element.segment != b.element.segment ? a.element.segment < b.element.segment : a.offset < b.offset
        }.map(\.element)
        batches = []
        let output = RowMemory.bytes(rows: count, columns: calls.count)
        try context.reserve(bytes: output)
        var done = false
        defer { if !done { context.release(bytes: output) } }
        // Only the columns the calls read as values (arguments, FILTERs, RANGE keys) are boxed.
        var boxed = Set(calls.flatMap { $0.arguments + ($0.filter.map { [$0] } ?? []) })
        for call in calls where call.unit == .range { boxed.formUnion(call.order.map(\.column)) }
        var columnValues = [[Value]](repeating: [], count: width)
        for column in boxed {
            try context.check()
            columnValues[column].reserveCapacity(count)
            for batch in sortedBatches {
                let vector = batch.columns[column]
                for i in 0..<batch.count { columnValues[column].append(vector.value(at: i)) }
            }
        }
        let rows = WindowRows(columns: columnValues)
        columnValues = []

        // Working memory: partition lists, sorted positions, typed sort keys, results and segment trees.
        var working = 0
        defer { context.release(bytes: working) }
        let orderColumns = Set(calls.flatMap { $0.order.map(\.column) })
        try context.account(
            &working, to: count * (32 + 48 * calls.count + 24 * orderColumns.count) + RowMemory.bytes(
                rows: count, columns: boxed.count))

        // Each ORDER BY column once over all rows, typed where the batches allow (``Sort``'s comparison).
        var sortColumns: [Int: SortColumn] = [:]
        for column in orderColumns {
            var sortColumn = SortColumn(type: sortedBatches.first?.columns[column].type ?? .null)
            for batch in sortedBatches { sortColumn.append(batch.columns[column]) }
            sortColumns[column] = sortColumn
        }
        var groups: [[Int]] = []
        for (c, call) in calls.enumerated() {
            if let g = groups.firstIndex(where: {
                calls[$0[0]].partition == call.partition && calls[$0[0]].order == call.order
            }) {
                groups[g].append(c)
            } else {
                groups.append([c])
            }
        }
        var partitionings: [[Int]: [[Int]]] = [:]
        for group in groups where partitionings[calls[group[0]].partition] == nil {
            partitionings[calls[group[0]].partition] = try partitioned(sortedBatches, by: calls[group[0]].partition)
        }

        let results = calls.map { _ in UnsafeMutableBufferPointer<Value>.allocate(capacity: count) }
        for buffer in results { buffer.initialize(repeating: .null) }
        defer {
            for buffer in results {
                buffer.deinitialize()
                buffer.deallocate()
            }
        }
        for group in groups {
            let first = calls[group[0]]
            let partitions = partitionings[first.partition] ?? []
            let comparators = first.order.map { key in sortColumns[key.column]!.comparator(key) }
            // The first key as words when it has them (``Sort``'s fast path): most comparisons are then one
            // integer compare.
            let words = first.order.first.flatMap { key in sortColumns[key.column]!.words(key) }
            let rest = words == nil ? comparators : Array(comparators.dropFirst())
            // Workers take contiguous runs of partitions of about equal rows; each writes only its rows' results.
            let workers = Swift.max(1, Swift.min(parallelism, partitions.count, count / 4096))
            var cuts = [0]
            var seen = 0
            for (p, partition) in partitions.enumerated() {
                seen += partition.count
                if cuts.count < workers, seen * workers >= count * cuts.count { cuts.append(p + 1) }
            }
            while cuts.count <= workers { cuts.append(partitions.count) }
            try Workers.run(workers) { w, stopped throws(StrataError) in
                for p in cuts[w]..<cuts[w + 1] {
                    if stopped() { return }
                    try context.check()
                    var partition = partitions[p]
                    var peers: [Range<Int>]?
                    if let words, rest.isEmpty {
                        // One key as words: sort (word, row) pairs side by side rather than rows whose words
                        // lie all over the input (a cache miss per comparison), and peers are runs of a word.
                        var pairs = partition.map { (word: words[$0], row: $0) }
                        pairs.sort { $0.word != $1.word ? $0.word < $1.word : $0.row < $1.row }
                        partition = pairs.map(\.row)
                        peers = Self.peerBounds(pairs.map(\.word))
                    } else if let words {
                        partition.sort { a, b in
                            if words[a] != words[b] { return words[a] < words[b] }
                            for compare in rest {
                                let c = compare(a, b)
                                if c != 0 { return c < 0 }
                            }
                            return a < b
                        }
                    } else if !comparators.isEmpty {
                        partition.sort { a, b in
                            for compare in comparators {
                                let c = compare(a, b)
                                if c != 0 { return c < 0 }
                            }
                            return a < b
                        }
                    }
                    let bounds = peers ?? Self.peerBounds(partition, comparators: comparators)
                    for c in group {
                        let evaluator = WindowPartition(
                            call: calls[c], rows: rows, positions: partition, peers: bounds, context: context)
                        try evaluator.evaluate(into: results[c])
                    }
                }
            }
        }
        // The calls' values as columns of the batches they belong to.
        var start = 0
        for b in sortedBatches.indices {
            try context.check()
            let n = sortedBatches[b].count
            for (c, call) in calls.enumerated() {
                sortedBatches[b].columns.append(
                    Vector.from(Array(results[c][start..<start + n]), type: call.type))
            }
            start += n
        }
        let reserved = held + output
        held = 0
        done = true
        return (sortedBatches, reserved)
    }

    /// The row numbers of each partition, in input order; partitions in the order their first rows come.
    /// The keys are numbered as GROUP BY numbers them (``KeyColumn``, ``GroupNumbering``: NULLs together).
    private func partitioned(_ batches: [Batch], by keys: [Int]) throws(StrataError) -> [[Int]] {
        guard !keys.isEmpty else { return count == 0 ? [] : [Array(0..<count)] }
        let keyColumns = keys.map { _ in KeyColumn() }
        var numbering = GroupNumbering(keyCount: keys.count)
        var partitionOf: [UInt32] = []
        partitionOf.reserveCapacity(count)
        for batch in batches {
            try context.check()
            let ids = keys.indices.map { keyColumns[$0].ids(batch.columns[keys[$0]]) }
            partitionOf += numbering.groups(ids, rows: batch.count)
        }
        var sizes = [Int](repeating: 0, count: numbering.count)
        for p in partitionOf { sizes[Int(p)] += 1 }
        var partitions = sizes.map { size in
            var rows: [Int] = []
            rows.reserveCapacity(size)
            return rows
        }
        for (row, p) in partitionOf.enumerated() { partitions[Int(p)].append(row) }
        return partitions
    }

    /// For each position of a sorted partition, the range of positions of its peers (equal ORDER BY keys; the
    /// whole partition without an ORDER BY).
    private static func peerBounds(_ partition: [Int], comparators: [(Int, Int) -> Int]) -> [Range<Int>] {
        let n = partition.count
        guard !comparators.isEmpty else { return [Range<Int>](repeating: 0..<n, count: n) }
        var bounds = [Range<Int>](repeating: 0..<0, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n, comparators.allSatisfy({ $0(partition[start], partition[end]) == 0 }) { end += 1 }
            for i in start..<end { bounds[i] = start..<end }
            start = end
        }
        return bounds
    }

    /// The peer ranges of sorted words: each run of equal words.
    private static func peerBounds(_ words: [UInt64]) -> [Range<Int>] {
        var bounds = [Range<Int>](repeating: 0..<0, count: words.count)
        var start = 0
        while start < words.count {
            var end = start + 1
            while end < words.count, words[end] == words[start] { end += 1 }
            for i in start..<end { bounds[i] = start..<end }
            start = end
        }
        return bounds
    }

    /// About the bytes a vector holds (a dictionary's entries are shared with its segment).
    private static func bytes(_ vector: Vector) -> Int {
        switch vector.storage {
        case .bool: vector.count
        case .int64, .double: vector.count * 8
        case .string: vector.count * 16
        case .dictionary: vector.count * 4
        case .boxed: vector.count * MemoryLayout<Value>.stride
        case .sketch: vector.count * 64
        case .constant: 0
        }
    }
}

/// The input columns window calls read as values, boxed once over all rows (in input order); a column no
/// call reads is empty.
struct WindowRows: Sendable {
    let columns: [[Value]]

    subscript(row: Int, column: Int) -> Value { columns[column][row] }
}
