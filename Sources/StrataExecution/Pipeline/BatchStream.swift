package import StrataCore

/// A pull-based stream of batches: what every pipeline operator produces and consumes.
package class BatchStream {
    /// The next batch, or `nil` at the end.
    package func next() throws(StrataError) -> Batch? { nil }
}

/// `SegmentScan` as a stream.
package final class ScanStream: BatchStream {
    private var scan: SegmentScan
    private let context: QueryContext

    package init(_ scan: SegmentScan, context: QueryContext) {
        self.scan = scan
        self.context = context
    }

    override package func next() throws(StrataError) -> Batch? { try scan.next(context) }
}

/// Keeps the rows where a predicate is TRUE.
package final class FilterStream: BatchStream {
    private let input: BatchStream
    private let predicate: VectorExpression

    package init(_ input: BatchStream, predicate: BoundExpression) {
        self.input = input
        self.predicate = VectorExpression(predicate)
    }

    override package func next() throws(StrataError) -> Batch? {
        while let batch = try input.next() {
            guard let rows = try predicate.selection(batch) else {
                throw StrataError(.type, "WHERE needs a BOOLEAN condition, not \(predicate.expression.type)")
            }
            if rows.isEmpty { continue }
            return rows.count == batch.count ? batch : batch.gather(rows)
        }
        return nil
    }
}

/// Computes the output columns from the input columns.
package final class ProjectStream: BatchStream {
    private let input: BatchStream
    private let expressions: [VectorExpression]

    package init(_ input: BatchStream, expressions: [BoundExpression]) {
        self.input = input
        self.expressions = expressions.map(VectorExpression.init)
    }

    override package func next() throws(StrataError) -> Batch? {
        guard let batch = try input.next() else { return nil }
        var columns: [Vector] = []
        columns.reserveCapacity(expressions.count)
        for e in expressions { columns.append(try e.evaluate(batch)) }
        return Batch(columns: columns, count: batch.count, segment: batch.segment)
    }
}

/// LIMIT and OFFSET: skips `offset` rows, then passes `limit` rows and stops pulling its input.
package final class LimitStream: BatchStream {
    private let input: BatchStream
    private var toSkip: Int
    private var left: Int?

    package init(_ input: BatchStream, limit: Int?, offset: Int) {
        self.input = input
        toSkip = offset
        left = limit
    }

    override package func next() throws(StrataError) -> Batch? {
        while left.map({ $0 > 0 }) ?? true, let batch = try input.next() {
            var start = 0
            if toSkip > 0 {
                start = Swift.min(toSkip, batch.count)
                toSkip -= start
            }
            var end = batch.count
            // `start + l` would overflow for LIMIT 9223372036854775807.
            if let l = left, l < end - start { end = start + l }
            guard end > start else { continue }
            left = left.map { $0 - (end - start) }
            if start == 0, end == batch.count { return batch }
            return batch.gather((Int32(start)..<Int32(end)).map { $0 })
        }
        return nil
    }
}

/// Rows (of an operator that does not stream yet) cut into batches.
package final class RowsStream: BatchStream {
    private var rows: [[Value]]
    private let types: [SQLValueType]
    private var offset = 0
    /// The rows' bytes the producer reserved, released once they are all handed on.
    private var reserved: Int
    private let context: QueryContext
    package static let batchRows = 4096

    package init(rows: [[Value]], types: [SQLValueType], context: QueryContext) {
        self.rows = rows
        self.types = types
        self.context = context
        reserved = RowMemory.bytes(rows: rows.count, columns: types.count)
    }

    deinit { context.release(bytes: reserved) }

    override package func next() throws(StrataError) -> Batch? {
        guard offset < rows.count else {
            rows = []
            context.release(bytes: reserved)
            reserved = 0
            return nil
        }
        let end = Swift.min(rows.count, offset + Self.batchRows)
        let slice = rows[offset..<end]
        offset = end
        return Batch(rows: slice, types: types)
    }
}

/// Counts rows and time of a stream for EXPLAIN ANALYZE (time includes the inputs'; the workers of a
/// parallel plan add to one entry).
package final class ProfiledStream: BatchStream {
    private let input: BatchStream
    private let profile: PlanProfile
    private let id: Int

    package init(_ input: BatchStream, profile: PlanProfile, id: Int) {
        self.input = input
        self.profile = profile
        self.id = id
        profile.add(id: id, rows: 0, milliseconds: 0)
    }

    override package func next() throws(StrataError) -> Batch? {
        let clock = ContinuousClock()
        let start = clock.now
        let batch = try input.next()
        let elapsed = start.duration(to: clock.now)
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
        profile.add(id: id, rows: batch?.liveCount ?? 0, milliseconds: ms)
        return batch
    }
}

/// The batches of several inputs, one input after another (`UNION ALL`).
package final class ConcatStream: BatchStream {
    private let inputs: [BatchStream]
    private var current = 0

    package init(_ inputs: [BatchStream]) { self.inputs = inputs }

    override package func next() throws(StrataError) -> Batch? {
        while current < inputs.count {
            if let batch = try inputs[current].next() { return batch }
            current += 1
        }
        return nil
    }
}

/// Batches an operator finished (a ``Window``'s), handed on in order; the bytes the operator left reserved
/// for them are released when the last is handed on (or the stream is dropped).
package final class HeldBatchesStream: BatchStream {
    private var batches: [Batch]
    private var position = 0
    private var reserved: Int
    private let context: QueryContext

    package init(_ batches: [Batch], reserved: Int, context: QueryContext) {
        self.batches = batches
        self.reserved = reserved
        self.context = context
    }

    deinit { context.release(bytes: reserved) }

    override package func next() throws(StrataError) -> Batch? {
        guard position < batches.count else {
            batches = []
            context.release(bytes: reserved)
            reserved = 0
            return nil
        }
        position += 1
        return batches[position - 1]
    }
}
