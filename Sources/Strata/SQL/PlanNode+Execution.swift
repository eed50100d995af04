import StrataCore
import StrataExecution

extension PlanNode {
    /// Runs the plan, returning its rows.
    ///
    /// Every node's output rows are accounted in `context` (``RowMemory``) while they are held: a node
    /// reserves its output as it builds it and releases its input once it no longer holds it, so a huge
    /// result, group table or sort buffer fails with a `limit` error long before memory runs out.
    /// - Parameters:
    ///   - context: The statement's cancellation, timeout and memory limit, checked every few thousand rows.
    ///   - options: The native engine's parallelism.
    ///   - profile: When given, records rows and time per node (EXPLAIN ANALYZE).
    func run(context: QueryContext, options: QueryOptions = QueryOptions(), profile: PlanProfile? = nil)
        throws(StrataError) -> [[Value]]
    {
        try context.check()
        let id = profile?.next ?? 0
        profile?.next += 1
        let clock = ContinuousClock()
        let start = clock.now
        let rows: [[Value]]
        if case .native(let node) = self {
            let result = try node.snapshot.execute(node.query, options: options, context: context)
            profile?.nativeStats[id] = result.stats
            rows = SQLStatementRunner.widened(result.rows, to: node.columns)
            try context.reserve(bytes: RowMemory.bytes(rows: rows.count, columns: node.columns.count))
        } else {
            rows = try runNode(context: context, options: options, profile: profile)
        }
        if let profile {
            let elapsed = start.duration(to: clock.now)
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
            profile.entries[id] = PlanProfile.Entry(rows: rows.count, milliseconds: ms)
        }
        return rows
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
        case .scan(let node):
            let rows: [[Value]]
            if let native = node.native {
                rows = try node.snapshot.execute(native, context: context).rows
            } else {
                let stored = node.snapshot.spec.storedColumns
                rows = try node.snapshot.scan(
                    columns: node.storedColumns.map { stored[$0].name }, timeRange: node.timeRange,
                    limit: node.rowLimit, context: context
                )
                .rows
            }
            try context.reserve(bytes: RowMemory.bytes(rows: rows.count, columns: width))
            return rows
        case .native(let node):
            // run() handles it, to keep the work counters
            return try node.snapshot.execute(node.query, options: options, context: context).rows
        case .experiment(let node):
            let rows = try node.run(context: context)
            try context.reserve(bytes: RowMemory.bytes(rows: rows.count, columns: width))
            return rows
        case .filter(let node, let predicate):
            var rows = try input(node)
            var kept = 0
            for i in rows.indices {
                if i & 4095 == 0 { try context.check() }
                guard try predicate.holds(rows[i]) else { continue }
                rows.swapAt(i, kept)
                kept += 1
            }
            release(rows.count - kept)
            rows.removeLast(rows.count - kept)
            return rows
        case .aggregate(let node, let keys, let aggregates):
            let rows = try input(node)
            defer { release(rows.count, columns: node.columns.count) }
            return try Self.aggregate(rows, keys: keys, aggregates: aggregates, context: context)
        case .project(let node, let expressions, _):
            let rows = try input(node)
            if Self.isIdentity(expressions, over: node) { return rows }
            defer { release(rows.count, columns: node.columns.count) }
            var output: [[Value]] = []
            output.reserveCapacity(rows.count)
            var held = 0
            for row in rows {
                if output.count & 4095 == 0 {
                    try context.account(&held, to: RowMemory.bytes(rows: output.count + 4096, columns: width))
                }
                output.append(try expressions.map { e throws(StrataError) in try e.evaluate(row) })
            }
            try context.account(&held, to: RowMemory.bytes(rows: output.count, columns: width))
            return output
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
            let rows = try input(node)
            // The sort's copy of the rows (shared arrays) with their offsets, while it runs.
            let buffer = rows.count * 40
            try context.reserve(bytes: buffer)
            defer { context.release(bytes: buffer) }
            var comparisons = 0
            var failure: StrataError?
            // A stable sort, so rows equal on every key keep their input order. A cancelled or timed-out
            // sort stops comparing (the order no longer matters) and throws after.
            let sorted = rows.enumerated().sorted { a, b in
                if failure != nil { return false }
                comparisons &+= 1
                if comparisons & 65535 == 0 {
                    do throws(StrataError) { try context.check() } catch { failure = error }
                }
                for key in keys {
                    let x = a.element[key.column]
                    let y = b.element[key.column]
                    var order = ValueOrder.sortOrder(x, y, nullsFirst: key.nullsFirst)
                    if key.descending, !x.isNull, !y.isNull { order = -order }
                    if order != 0 { return order < 0 }
                }
                return a.offset < b.offset
            }.map(\.element)
            if let failure {
                release(rows.count)
                throw failure
            }
            return sorted
        case .limit(let node, let limit, let offset):
            let rows = try input(node)
            let start = Swift.min(offset, rows.count)
            // `start + limit` would overflow for LIMIT 9223372036854775807 past row 0.
            let end = limit.map { start + Swift.min($0, rows.count - start) } ?? rows.count
            release(rows.count - (end - start))
            return Array(rows[start..<end])
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

    /// Hash aggregation, row at a time: the general path's GROUP BY.
    ///
    /// The group table counts against the memory limit: each new group's key and states, and each value
    /// a DISTINCT or quantile state keeps.
    static func aggregate(
        _ rows: [[Value]], keys: [BoundExpression], aggregates: [AggregateCall], context: QueryContext
    ) throws(StrataError) -> [[Value]] {
        let groupBytes =
            RowMemory.bytes(rows: 2, columns: keys.count) + aggregates.count * MemoryLayout<AggregateState>.stride
        let tracked = aggregates.map { $0.isDistinct || $0.function.keepsValues }
        var held = 0
        var bytes = 0
        defer { context.release(bytes: held) }
        var groups: [[Value]: Int] = [:]
        var groupKeys: [[Value]] = []
        var states: [[AggregateState]] = []
        func fresh() -> [AggregateState] { aggregates.map { AggregateState($0) } }
        if keys.isEmpty {
            groupKeys.append([])
            states.append(fresh())
            groups[[]] = 0
        }
        // Input often arrives clustered by key (a native aggregate's groups): rows with the key of the row
        // before reuse its group without hashing the key.
        var previous: (key: [Value], group: Int)?
        for (i, row) in rows.enumerated() {
            if i & 4095 == 0 { try context.account(&held, to: bytes) }
            let key = try keys.map { k throws(StrataError) in try k.evaluate(row) }
            let g: Int
            if let previous, previous.key == key {
                g = previous.group
            } else if let known = groups[key] {
                g = known
            } else {
                g = groupKeys.count
                groups[key] = g
                groupKeys.append(key)
                states.append(fresh())
                bytes += groupBytes
            }
            previous = (key, g)
            for (a, call) in aggregates.enumerated() {
                if let filter = call.filter, try !filter.holds(row) { continue }
                let value = try call.argument?.evaluate(row) ?? .null
                if tracked[a] {
                    let before = states[g][a].keptValues
                    states[g][a].add(value, call.function)
                    bytes += (states[g][a].keptValues - before) * 48
                } else {
                    states[g][a].add(value, call.function)
                }
            }
        }
        try context.account(&held, to: bytes)
        try context.reserve(bytes: RowMemory.bytes(rows: groupKeys.count, columns: keys.count + aggregates.count))
        var output: [[Value]] = []
        output.reserveCapacity(groupKeys.count)
        for (g, key) in groupKeys.enumerated() {
            var row = key
            for (call, state) in zip(aggregates, states[g]) {
                if state.overflow, call.function == .sum || call.function == .avg {
                    throw StrataError(
                        .invalidArgument, "overflow in \(call.text): the sum does not fit in 128 bits (HUGEINT)")
                }
                row.append(state.result(call.function, fraction: call.fraction))
            }
            output.append(row)
        }
        return output
    }
}
