package import StrataCore

/// A join's build side read by several workers, each its share of the segments, its batches then handed on
/// in segment order (as one stream would give them): the pipeline under a build side runs in parallel (TPC-H
/// Q9 builds on lineitem's 6M rows probing part). The batches count in the query's memory while held here;
/// each is released as it is handed on, to the table that counts it next.
package final class CollectedStream: BatchStream {
    private var streams: [BatchStream]
    private var batches: [Batch]?
    private var position = 0
    private let width: Int
    private let context: QueryContext

    /// - Parameter streams: One per worker, each reading its share of the segments.
    package init(_ streams: [BatchStream], width: Int, context: QueryContext) {
        self.streams = streams
        self.width = width
        self.context = context
    }

    deinit {
        if let batches {
            for batch in batches[position...] {
                context.release(bytes: RowMemory.bytes(rows: batch.count, columns: width))
            }
        }
    }

    override package func next() throws(StrataError) -> Batch? {
        if batches == nil { try collect() }
        guard let batches, position < batches.count else { return nil }
        let batch = batches[position]
        position += 1
        context.release(bytes: RowMemory.bytes(rows: batch.count, columns: width))
        return batch
    }

    private func collect() throws(StrataError) {
        let streams = self.streams
        self.streams = []
        var perWorker = [[Batch]](repeating: [], count: streams.count)
        var held = [Int](repeating: 0, count: streams.count)
        let (width, context) = (self.width, self.context)
        do throws(StrataError) {
            try perWorker.withUnsafeMutableBufferPointer { perWorker throws(StrataError) in
                try held.withUnsafeMutableBufferPointer { held throws(StrataError) in
                    try Workers.run(streams.count) { w, stopped throws(StrataError) in
                        var rows = 0
                        while let batch = try streams[w].next() {
                            if stopped() { return }
                            if batch.count == 0 { continue }
                            perWorker[w].append(batch)
                            rows += batch.count
                            try context.account(&held[w], to: RowMemory.bytes(rows: rows, columns: width))
                        }
                    }
                }
            }
        } catch {
            for h in held { context.release(bytes: h) }
            throw error
        }
        // Each batch's share is released as it is handed on; what rounding left over, now.
        let counted = perWorker.joined().reduce(0) { $0 + RowMemory.bytes(rows: $1.count, columns: width) }
        context.release(bytes: Swift.max(0, held.reduce(0, +) - counted))
        // Segment order, as one stream reads them (a worker's batches of a segment stay in their order).
        batches = perWorker.joined().enumerated().sorted { a, b in
            (a.element.segment, a.offset) < (b.element.segment, b.offset)
        }.map(\.element)
    }
}
