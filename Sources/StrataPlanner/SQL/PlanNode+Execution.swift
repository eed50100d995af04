import Dispatch
import StrataCore
import StrataExecution
import StrataStorage
import Synchronization

extension PlanNode {
    /// Runs the plan, returning its rows.
    ///
    /// Every node's output rows are accounted in `context` (``RowMemory``) while they are held: a node
    /// reserves its output as it builds it and releases its input once it no longer holds it, so a huge
    /// result, group table or sort buffer fails with a `limit` error long before memory runs out.
    /// - Parameters:
    ///   - context: The statement's cancellation, timeout and memory limit, checked every few thousand rows.
    ///   - options: The parallelism (workers per parallel operator).
    ///   - profile: When given, records rows and time per node (EXPLAIN ANALYZE).
    func run(context: QueryContext, options: QueryOptions = QueryOptions(), profile: PlanProfile? = nil)
        throws(StrataError) -> [[Value]]
    {
        try context.check()
        if streams {
            // Scans, filters and projections run batch at a time; their rows are made here, for an operator
            // that does not take batches yet.
            let stream = try batches(context: context, options: options, profile: profile)
            var rows: [[Value]] = []
            var held = 0
            while let batch = try stream.next() {
                for i in 0..<batch.count { rows.append(batch.row(i)) }
                try context.account(&held, to: RowMemory.bytes(rows: rows.count, columns: columns.count))
            }
            return rows
        }
        let id = profile?.next ?? 0
        profile?.next += 1
        let clock = ContinuousClock()
        let start = clock.now
        let rows = try runNode(context: context, options: options, profile: profile)
        if let profile {
            let elapsed = start.duration(to: clock.now)
            let ms = SQLStatementRunner.milliseconds(elapsed)
            profile.entries[id] = PlanProfile.Entry(rows: rows.count, milliseconds: ms)
        }
        return rows
    }

    /// Whether the node runs as a stream of batches.
    var streams: Bool {
        switch self {
        case .scan, .filter, .project, .join, .unionAll: true
        case .limit(let input, _, _): input.streams
        default: false
        }
    }

    /// The node's output as batches: operators that stream, stacked; any other node's rows, cut into batches.
    /// - Parameters:
    ///   - share: For one worker of several: the scan reads its share (``SegmentScan``'s `share`).
    ///   - keepsSelection: For a consumer that reads a ``Batch/selection`` (a hash aggregate): a scan node
    ///     hands its WHERE's selection over instead of gathering the rows. Ignored by other nodes.
    func batches(
        context: QueryContext, options: QueryOptions, profile: PlanProfile?, share: (worker: Int, workers: Int)? = nil,
        keepsSelection: Bool = false
    ) throws(StrataError) -> BatchStream {
        if case .window(let input, let calls) = self {
            // Its batches, not boxed rows: the input's columns pass through as they came.
            let id = profile?.next ?? 0
            profile?.next += 1
            let clock = ContinuousClock()
            let start = clock.now
            let (batches, reserved) = try Self.window(
                input, calls: calls, context: context, options: options, profile: profile)
            if let profile {
                let elapsed = start.duration(to: clock.now)
                let ms = SQLStatementRunner.milliseconds(elapsed)
                profile.entries[id] = PlanProfile.Entry(rows: batches.reduce(0) { $0 + $1.count }, milliseconds: ms)
            }
            return HeldBatchesStream(batches, reserved: reserved, context: context)
        }
        guard streams else {
            let rows = try run(context: context, options: options, profile: profile)
            return RowsStream(rows: rows, types: columns.map(\.type), context: context)
        }
        let id = profile?.next ?? 0
        profile?.next += 1
        var stream: BatchStream
        switch self {
        case .scan(let node):
            let source = node.snapshot.scanSource
            var scan =
                if let share {
                    SegmentScan(
                        source: source, columns: node.storedColumns, timeRange: node.timeRange,
                        indexFilters: node.indexFilters, filter: node.filter, limit: node.rowLimit, share: share,
                        counters: node.counters)
                } else {
                    SegmentScan(
                        source: source, columns: node.storedColumns, timeRange: node.timeRange,
                        indexFilters: node.indexFilters, filter: node.filter, limit: node.rowLimit,
                        counters: node.counters)
                }
            scan.keepsSelection = keepsSelection
            stream = ScanStream(scan, context: context)
        case .filter(let input, let predicate):
            stream = FilterStream(
                try input.batches(context: context, options: options, profile: profile, share: share),
                predicate: predicate)
        case .project(let input, let expressions, _):
            stream = try input.batches(context: context, options: options, profile: profile, share: share)
            if !Self.isIdentity(expressions, over: input) {
                stream = ProjectStream(stream, expressions: expressions)
            }
        case .limit(let input, let limit, let offset):
            stream = LimitStream(
                try input.batches(context: context, options: options, profile: profile), limit: limit, offset: offset)
        case .unionAll(let inputs):
            var streams: [BatchStream] = []
            for input in inputs {
                streams.append(try input.batches(context: context, options: options, profile: profile))
            }
            stream = ConcatStream(streams)
        case .join(let node):
            // The inputs' streams are made left first, the order EXPLAIN numbers them in. With `share`, this is one
            // worker's stream: it probes its share of the probe side's segments. The build side is read whole, once:
            // the first worker's stream offers its input, and the others skip the build side's profile ids.
            let buildsFirstWorker = (share?.worker ?? 0) == 0
            func input(_ side: PlanNode, isBuild: Bool) throws(StrataError) -> BatchStream? {
                if isBuild, !buildsFirstWorker {
                    profile?.next += side.nodeCount
                    return nil
                }
                let workers = Self.workers(over: side, options: options)
                if isBuild, workers > 1 {
                    // The build side's pipeline on several workers (``CollectedStream``).
                    return CollectedStream(
                        try Self.workerStreams(
                            side, workers: workers, context: context, options: options, profile: profile),
                        width: side.columns.count, context: context)
                }
                return try side.batches(
                    context: context, options: options, profile: profile, share: isBuild ? nil : share)
            }
            let left = try input(node.left, isBuild: !node.buildsRight)
            let right = try input(node.right, isBuild: node.buildsRight)
            let (leftTypes, rightTypes) = (node.left.columns.map(\.type), node.right.columns.map(\.type))
            let kind: HashJoinStream.Kind =
                switch node.kind {
                case .inner, .cross: .inner
                case .left, .right: .left
                case .full: .full
                case .semi: .semi
                case .anti: .anti
                }
            let (probe, build, buildKeys, buildTypes) =
                node.buildsRight ? (left, right, node.rightKeys, rightTypes) : (right, left, node.leftKeys, leftTypes)
            guard let probe else { throw StrataError(.internal, "a join's probe side has no stream") }
            if let build {
                node.table.offer { () throws(StrataError) -> JoinTable in
                    try JoinTable(
                        build, keys: buildKeys, types: buildTypes, clustered: node.emitsOnlyMatchedBuildRows,
                        context: context)
                }
            }
            stream = HashJoinStream(
                kind: kind, probe: probe, table: node.table,
                probeKeys: node.buildsRight ? node.leftKeys : node.rightKeys, residual: node.residual,
                probeTypes: node.buildsRight ? leftTypes : rightTypes, probeIsLeft: node.buildsRight, context: context)
        default:
            throw StrataError(.internal, "no batch form for this operator")
        }
        if let profile { stream = ProfiledStream(stream, profile: profile, id: id) }
        return stream
    }

    /// Runs one node (not a native one); see ``run(context:options:profile:)`` for the accounting.
    private func runNode(context: QueryContext, options: QueryOptions, profile: PlanProfile?) throws(StrataError)
        -> [[Value]]
    {
        let width = columns.count
        func input(_ node: PlanNode) throws(StrataError) -> [[Value]] {
            try node.run(context: context, options: options, profile: profile)
        }
        func release(_ rows: Int, columns: Int = width) {
            context.release(bytes: RowMemory.bytes(rows: rows, columns: columns))
        }
        switch self {
        case .values(_, let rows):
            try context.reserve(bytes: RowMemory.bytes(rows: rows.count, columns: width))
            return rows
        case .tableFunction(let node):
            let rows = try node.run(context: context)
            try context.reserve(bytes: RowMemory.bytes(rows: rows.count, columns: width))
            return rows
        case .aggregate(let node, let keys, let aggregates):
            if let items = Self.metadataItems(node, keys: keys, aggregates: aggregates), case .scan(let scan) = node,
                let answer = try MetadataAggregate.answer(items, source: scan.snapshot.scanSource, context: context)
            {
                profile?.next += 1
                return [answer]
            }
            let workers = Self.workers(over: node, options: options)
            let first = HashAggregate(keys: keys, aggregates: aggregates, context: context)
            let keepsSelection = first.acceptsSelection
            guard workers > 1, first.mergeable else {
                let stream = try node.batches(
                    context: context, options: options, profile: profile, keepsSelection: keepsSelection)
                while let batch = try stream.next() { try first.consume(batch) }
                return try first.finish()
            }
            return try Self.parallelAggregate(
                node, keys: keys, first: first, workers: workers, context: context, options: options, profile: profile)
        case .scan, .filter, .project, .join, .unionAll:
            throw StrataError(.internal, "a streaming operator ran row at a time")
        case .gapFill(let node, let fill):
            return try fill.fill(try input(node), context: context)
        case .atMostOneRow(let node, let perKey):
            let rows = try input(node)
            guard perKey > 0 else {
                guard rows.count <= 1 else {
                    throw StrataError(
                        .invalidArgument,
                        "a subquery used as a value returned \(rows.count) rows; it must return at most one")
                }
                return rows
            }
            var seen = Set<ArraySlice<Value>>()
            var held = 0
            defer { context.release(bytes: held) }
            for (i, row) in rows.enumerated() {
                if i & 4095 == 0 { try context.account(&held, to: (seen.count + 4096) * 32) }
                guard seen.insert(row.prefix(perKey)).inserted else {
                    throw StrataError(
                        .invalidArgument,
                        "a correlated subquery used as a value returned more than one row for an outer row; it must "
                            + "return at most one (aggregate it, e.g. min(…), or add a condition)")
                }
            }
            return rows
        case .distinct(let node):
            let rows = try input(node)
            var seen = Set<[Value]>()
            var output: [[Value]] = []
            var held = 0
            defer { context.release(bytes: held) }
            for (i, row) in rows.enumerated() {
                if i & 4095 == 0 {
                    // The set's slots, on top of the rows (shared with the input).
                    try context.account(&held, to: (seen.count + 4096) * 32)
                }
                if seen.insert(row).inserted { output.append(row) }
            }
            release(rows.count - output.count)
            return output
        case .sort(let node, let keys):
            let sort = Sort(keys: keys, context: context)
            try Self.feed(
                node, into: sort, make: { Sort(keys: keys, context: context) },
                consume: { sort, batch throws(StrataError) in try sort.consume(batch) },
                merge: { sort, other throws(StrataError) in try sort.merge(other) }, context: context,
                options: options, profile: profile)
            return try sort.finish()
        case .window(let node, let calls):
            let (batches, reserved) = try Self.window(
                node, calls: calls, context: context, options: options, profile: profile)
            defer { context.release(bytes: reserved) }
            let total = batches.reduce(0) { $0 + $1.count }
            var rows: [[Value]] = []
            rows.reserveCapacity(total)
            try context.reserve(bytes: RowMemory.bytes(rows: total, columns: width))
            for batch in batches {
                try context.check()
                for i in 0..<batch.count { rows.append(batch.row(i)) }
            }
            return rows
        case .limit(.sort(let node, let keys), let limit?, let offset)
        where limit.addingReportingOverflow(offset).partialValue <= Self.topLimit
            && !limit.addingReportingOverflow(offset).overflow:
            // ORDER BY … LIMIT k: the first k rows in sort order, kept in a heap rather than sorting them all.
            let sortID = profile?.next ?? 0
            profile?.next += 1
            let clock = ContinuousClock()
            let start = clock.now
            let top = TopN(keys: keys, limit: limit, offset: offset, context: context)
            try Self.feed(
                node, into: top, make: { TopN(keys: keys, limit: limit, offset: offset, context: context) },
                consume: { top, batch throws(StrataError) in try top.consume(batch) },
                merge: { top, other throws(StrataError) in try top.merge(other) }, context: context,
                options: options, profile: profile)
            let rows = try top.finish()
            let elapsed = start.duration(to: clock.now)
            profile?.add(
                id: sortID, rows: rows.count,
                milliseconds: SQLStatementRunner.milliseconds(elapsed)
            )
            return rows
        case .limit(let node, let limit, let offset):
            let rows = try input(node)
            let start = Swift.min(offset, rows.count)
            // `start + limit` would overflow for LIMIT 9223372036854775807 past row 0.
            let end = limit.map { start + Swift.min($0, rows.count - start) } ?? rows.count
            release(rows.count - (end - start))
            return Array(rows[start..<end])
        }
    }

    /// The aggregates of an ungrouped aggregation over a whole table, as segment metadata answers them
    /// (count, min and max of bare columns); `nil` for any other shape.
    static func metadataItems(_ input: PlanNode, keys: [BoundExpression], aggregates: [AggregateCall])
        -> [MetadataAggregate.Item]?
    {
        guard keys.isEmpty, !aggregates.isEmpty, case .scan(let scan) = input, scan.filter == nil,
            scan.timeRange == nil, scan.rowLimit == nil, scan.snapshot.spec.rollup == nil
        else { return nil }
        var items: [MetadataAggregate.Item] = []
        for call in aggregates {
            guard call.filter == nil, !call.isDistinct else { return nil }
            let function: MetadataAggregate.Function
            switch call.function {
            case .countStar: function = .countStar
            case .count: function = .count
            case .min: function = .min
            case .max: function = .max
            default: return nil
            }
            var column = 0
            if function != .countStar {
                guard case .column(let position, _, _) = call.argument else { return nil }
                column = scan.storedColumns[position]
                guard MetadataAggregate.answers(function, type: scan.snapshot.spec.storedColumns[column].type) else {
                    return nil
                }
            }
            items.append(MetadataAggregate.Item(function: function, column: column))
        }
        return items
    }

    /// The largest LIMIT (plus OFFSET) that selects its rows with a heap instead of a full sort.
    static let topLimit = 65_536

    /// The scan under a chain of filters and projections: such an input can be split by segments among
    /// workers (a limit or any other operator cannot).
    var parallelScan: ScanNode? {
        switch self {
        case .scan(let node): node
        case .filter(let input, _), .project(let input, _, _): input.parallelScan
        case .join(let node) where node.probesInParallel:
            // Workers probe with their shares of the probe side's scan.
            node.buildsRight ? node.left.parallelScan : node.right.parallelScan
        default: nil
        }
    }

    /// How many workers read `input`: one per core (or `options.parallelism`) when it is a scan under filters
    /// and projections, else one; fewer for a small table (one per segment, or per ``rowsPerWorker`` rows when
    /// that is more: workers split a segment's blocks).
    static func workers(over input: PlanNode, options: QueryOptions) -> Int {
        guard let entries = input.parallelScan?.snapshot.segmentEntries else { return 1 }
        let rows = entries.reduce(0) { $0 + $1.rowCount }
        return Swift.max(
            1, Swift.min(options.parallelism ?? Workers.processorCount, Swift.max(entries.count, rows / rowsPerWorker)))
    }

    /// The fewest rows worth a worker of their own within a segment (a few blocks).
    static let rowsPerWorker = 65_536

    /// A hash aggregation on `workers` threads: each reads every `workers`-th segment into its own
    /// aggregate, and the aggregates merge in worker order (so the same data gives the same answer).
    ///
    /// When the first batch suggests many groups (``HashAggregate/hasManyGroups(_:)``), each worker splits its
    /// rows by key hash into partitions (``PartitionedAggregate``) and the workers then merge and finish the
    /// partitions in parallel; the rows come out partition by partition.
    static func parallelAggregate(
        _ input: PlanNode, keys: [BoundExpression], first: HashAggregate, workers: Int, context: QueryContext,
        options: QueryOptions, profile: PlanProfile?
    ) throws(StrataError) -> [[Value]] {
        var aggregates = [first]
        for _ in 1..<workers { aggregates.append(first.sibling()) }
        var streams = try workerStreams(
            input, workers: workers, context: context, options: options, profile: profile,
            keepsSelection: first.acceptsSelection)
        // Worker 0's first batch decides for every worker (before they start, so no worker waits on another).
        let head = try streams[0].next()
        // Partitions pay off once the groups outgrow the caches. Keys whose stored values take few distinct
        // values (zone-map spans, dictionary sizes) next to the rows never get there, however unique a first
        // batch looks (100k user ids over 10M rows: every sampled row a new group).
        let estimates = keys.map { input.distinctEstimate($0) }
        let fewGroups =
            !keys.isEmpty && estimates.allSatisfy { $0 != nil }
            && estimates.reduce(1) { product, e in
                product.multipliedReportingOverflow(by: Swift.max(1, e ?? 1)).overflow
                    ? Int.max : product * Swift.max(1, e ?? 1)
            } < Swift.min(Self.partitionedGroups, (input.estimatedRows ?? Int.max) / 2)
        var manyGroups = false
        if !fewGroups, let head { manyGroups = try first.hasManyGroups(head) }
        let partitioned: [PartitionedAggregate]? = manyGroups ? aggregates.map(PartitionedAggregate.init) : nil
        try Workers.run(workers) { w, stopped throws(StrataError) in
            func take(_ batch: Batch) throws(StrataError) {
                if let partitioned { try partitioned[w].consume(batch) } else { try aggregates[w].consume(batch) }
            }
            if w == 0, let head { try take(head) }
            while let batch = try streams[w].next() {
                if stopped() { return }
                try take(batch)
            }
        }
        streams = []
        guard let partitioned else {
            for other in aggregates.dropFirst() { try first.merge(other) }
            return try first.finish()
        }
        let count = PartitionedAggregate.partitionCount
        var outputs = [[[Value]]](repeating: [], count: count)
        try outputs.withUnsafeMutableBufferPointer { outputs throws(StrataError) in
            try Workers.run(Swift.min(workers, count)) { w, stopped throws(StrataError) in
                for p in stride(from: w, to: count, by: workers) {
                    if stopped() { return }
                    let base = partitioned[0].parts[p]
                    for other in partitioned.dropFirst() { try base.merge(other.parts[p]) }
                    outputs[p] = try base.finish()
                }
            }
        }
        return Array(outputs.joined())
    }

    /// Below this many groups (by the keys' distinct estimates; and below half the rows), a parallel
    /// aggregation keeps one table per worker rather than partitioning rows by key hash.
    static let partitionedGroups = 500_000

    /// The window calls' values over `input`'s rows (``Window``): its batches in input order with a column
    /// per call appended, and the bytes they hold in `context` (the caller releases them).
    static func window(
        _ input: PlanNode, calls: [WindowCall], context: QueryContext, options: QueryOptions, profile: PlanProfile?
    ) throws(StrataError) -> (batches: [Batch], reserved: Int) {
        let window = Window(calls: calls, context: context, parallelism: options.parallelism ?? Workers.processorCount)
        try Self.feed(
            input, into: window, make: { Window(calls: calls, context: context) },
            consume: { window, batch throws(StrataError) in try window.consume(batch) },
            merge: { window, other throws(StrataError) in try window.merge(other) }, context: context,
            options: options, profile: profile)
        return try window.finish()
    }

    /// Feeds every row of `input` to `first`: on several workers, each scans and filters its share of the
    /// segments into its own operator (`make`), and the others merge into `first` in worker order; the operator
    /// puts batches back in segment order, so ties keep the order of a single scan (Sort, TopN, Window).
    static func feed<Operator: AnyObject>(
        _ input: PlanNode, into first: Operator, make: () -> Operator,
        consume: (Operator, Batch) throws(StrataError) -> Void,
        merge: (Operator, Operator) throws(StrataError) -> Void, context: QueryContext, options: QueryOptions,
        profile: PlanProfile?
    ) throws(StrataError) {
        let workers = Self.workers(over: input, options: options)
        guard workers > 1 else {
            let stream = try input.batches(context: context, options: options, profile: profile)
            while let batch = try stream.next() { try consume(first, batch) }
            return
        }
        var operators = [first]
        for _ in 1..<workers { operators.append(make()) }
        try runWorkers(
            input, operators: operators, context: context, options: options, profile: profile, consume: consume)
        for other in operators.dropFirst() { try merge(first, other) }
    }

    /// One stream per worker: worker `w`'s reads every `workers`-th segment of `input` from segment `w` on.
    /// The streams are built one at a time, so every worker's operators get the same profile ids.
    static func workerStreams(
        _ input: PlanNode, workers: Int, context: QueryContext, options: QueryOptions, profile: PlanProfile?,
        keepsSelection: Bool = false
    ) throws(StrataError) -> [BatchStream] {
        let start = profile?.next ?? 0
        var streams: [BatchStream] = []
        for w in 0..<workers {
            profile?.next = start
            streams.append(
                try input.batches(
                    context: context, options: options, profile: profile, share: (w, workers),
                    keepsSelection: keepsSelection))
        }
        return streams
    }

    /// Feeds one operator per worker: worker `w` reads every `operators.count`-th segment of `input` from
    /// segment `w` on into `operators[w]`, on its own thread. The first error stops every worker.
    static func runWorkers<Operator: AnyObject>(
        _ input: PlanNode, operators: [Operator], context: QueryContext, options: QueryOptions,
        profile: PlanProfile?, keepsSelection: Bool = false,
        consume: (Operator, Batch) throws(StrataError) -> Void
    ) throws(StrataError) {
        let streams = try workerStreams(
            input, workers: operators.count, context: context, options: options, profile: profile,
            keepsSelection: keepsSelection)
        try Workers.run(operators.count) { w, stopped throws(StrataError) in
            while let batch = try streams[w].next() {
                if stopped() { return }
                try consume(operators[w], batch)
            }
        }
    }

    /// Whether a projection selects every column of `input` in order (a subquery's select list over its
    /// native aggregate): its rows are then the input's.
    static func isIdentity(_ expressions: [BoundExpression], over input: PlanNode) -> Bool {
        expressions.count == input.columns.count
            && expressions.enumerated().allSatisfy { i, e in
                if case .column(let c, _, _) = e { c == i } else { false }
            }
    }
}
