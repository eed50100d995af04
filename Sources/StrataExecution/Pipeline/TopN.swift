package import StrataCore

/// ORDER BY … LIMIT k over batches: keeps the first `limit + offset` rows in sort order (a stable sort's
/// first rows: ties keep their input order) in a max-heap whose root is the worst row kept.
///
/// Once the heap is full, a row enters only if it precedes that worst row. Most rows do not, so each
/// batch is first scanned on the first key alone against the worst row's, on the typed vector, and only
/// the rows that pass are compared on the other keys and boxed into the heap.
package final class TopN {
    private let keys: [SortKey]
    private let limit: Int
    private let offset: Int
    private let context: QueryContext
    /// A max-heap by ``precedes(_:_:)``: `heap[0]` is the row any newcomer must beat.
    private var heap: [Entry] = []
    /// Rows consumed so far: with the segment, a row's place in the input, which breaks ties.
    private var consumed = 0
    private var width = 0
    private var held = 0

    private struct Entry {
        var row: [Value]
        /// The row's place in the input: its batch's segment, then its number among the rows consumed
        /// (a worker reads its segments in order, so both grow together).
        var segment: Int
        var sequence: Int
    }

    /// - Parameters:
    ///   - keys: The sort keys, positions in the input batches' columns.
    ///   - limit: How many rows to return after skipping `offset`; `limit + offset` must not overflow.
    package init(keys: [SortKey], limit: Int, offset: Int, context: QueryContext) {
        self.keys = keys
        self.limit = Swift.max(0, limit)
        self.offset = Swift.max(0, offset)
        self.context = context
    }

    deinit { context.release(bytes: held) }

    /// How many rows the heap keeps.
    private var capacity: Int { limit == 0 ? 0 : limit + offset }

    /// Offers every row of `batch`; batches must come in input order (by segment, for a worker's share).
    package func consume(_ batch: Batch) throws(StrataError) {
        try context.check()
        defer { consumed += batch.count }
        guard capacity > 0, batch.count > 0 else { return }
        width = batch.columns.count
        var row = 0
        while heap.count < capacity, row < batch.count {
            push(Entry(row: batch.row(row), segment: batch.segment, sequence: consumed + row))
            row += 1
        }
        if row < batch.count, let first = keys.first {
            let vector = batch.columns[first.column]
            while let candidate = nextCandidate(vector, key: first, from: row, worst: heap[0].row[first.column]) {
                if entersOnLaterKeys(batch, candidate) {
                    heap[0] = Entry(row: batch.row(candidate), segment: batch.segment, sequence: consumed + candidate)
                    siftDown(0)
                }
                row = candidate + 1
            }
        }
        try context.account(&held, to: RowMemory.bytes(rows: heap.count, columns: width))
    }

    /// Takes in the rows another worker's top-N of the same query kept (from other segments): the result is
    /// then the first rows of both inputs, as if one top-N had read them in segment order.
    package func merge(_ other: TopN) throws(StrataError) {
        for entry in other.heap {
            if heap.count < capacity {
                push(entry)
            } else if precedes(entry, heap[0]) {
                heap[0] = entry
                siftDown(0)
            }
        }
        width = Swift.max(width, other.width)
        try context.account(&held, to: RowMemory.bytes(rows: heap.count, columns: width))
    }

    /// The kept rows in sort order, past the offset. Their memory stays reserved in the context, as the
    /// output of a plan node (the caller releases it).
    package func finish() throws(StrataError) -> [[Value]] {
        try context.check()
        let sorted = heap.sorted(by: precedes)
        heap = []
        let rows = sorted.dropFirst(offset).map(\.row)
        context.release(bytes: held)
        held = 0
        try context.reserve(bytes: RowMemory.bytes(rows: rows.count, columns: width))
        return rows
    }

    /// The first row from `start` on whose first key does not come after the worst kept row's (it may
    /// precede the worst row; the others cannot). Typed loops for the common columns, no allocation.
    private func nextCandidate(_ vector: Vector, key: SortKey, from start: Int, worst: Value) -> Int? {
        let n = vector.count
        guard start < n else { return nil }
        if !worst.isNull {
            // A null row ties a null worst row (then later keys decide) or is placed by NULLS FIRST/LAST.
            let validity = vector.validity
            switch vector.storage {
            case .int64(let v):
                guard let w = SortKey.int64(worst, type: vector.type) else { break }
                for r in start..<n {
                    if let validity, !validity[r] {
                        if key.nullsFirst { return r }
                        continue
                    }
                    if key.descending ? v[r] >= w : v[r] <= w { return r }
                }
                return nil
            case .double(let v):
                guard case .double(let w) = worst else { break }
                for r in start..<n {
                    if let validity, !validity[r] {
                        if key.nullsFirst { return r }
                        continue
                    }
                    if key.directed(ValueOrder.compare(v[r], w)) <= 0 { return r }
                }
                return nil
            case .string(let v):
                guard case .string(let w) = worst else { break }
                return nextCandidate(key, from: start, count: n, vector: vector, worst: w) { v[$0] }
            case .dictionary(let codes, let entries, _):
                guard case .string(let w) = worst, case .string(let v) = entries.storage else { break }
                return nextCandidate(key, from: start, count: n, vector: vector, worst: w) { v[Int(codes[$0])] }
            default: break
            }
        }
        for r in start..<n where key.order(vector, r, worst) <= 0 { return r }
        return nil
    }

    /// `nextCandidate` over a column of strings (`string(r)`: row `r`'s, when not null).
    @inline(__always)
    private func nextCandidate(
        _ key: SortKey, from start: Int, count n: Int, vector: Vector, worst: String, string: (Int) -> String
    ) -> Int? {
        let nullable = vector.mayHaveNulls
        for r in start..<n {
            if nullable, vector.isNull(r) {
                if key.nullsFirst { return r }
                continue
            }
            if key.directed(SortKey.compare(string(r), worst)) <= 0 { return r }
        }
        return nil
    }

    /// Whether row `row` of `batch`, whose first key does not come after the worst kept row's, precedes
    /// it on all keys (a tie keeps the earlier, kept row).
    private func entersOnLaterKeys(_ batch: Batch, _ row: Int) -> Bool {
        let worst = heap[0].row
        for key in keys {
            let order = key.order(batch.columns[key.column], row, worst[key.column])
            if order != 0 { return order < 0 }
        }
        return false
    }

    /// Whether kept row `a` comes before kept row `b`: by the keys, then by input order.
    private func precedes(_ a: Entry, _ b: Entry) -> Bool {
        for key in keys {
            let order = key.order(a.row[key.column], b.row[key.column])
            if order != 0 { return order < 0 }
        }
        return a.segment != b.segment ? a.segment < b.segment : a.sequence < b.sequence
    }

    private func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var worst = i
            if l < heap.count, precedes(heap[worst], heap[l]) { worst = l }
            if r < heap.count, precedes(heap[worst], heap[r]) { worst = r }
            if worst == i { return }
            heap.swapAt(i, worst)
            i = worst
        }
    }
}
