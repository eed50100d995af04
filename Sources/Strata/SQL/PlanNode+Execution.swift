import StrataCore

extension PlanNode {
    /// Runs the plan, returning its rows.
    /// - Parameter profile: When given, records rows and time per node (EXPLAIN ANALYZE).
    func run(profile: PlanProfile? = nil) throws(StrataError) -> [[Value]] {
        let id = profile?.next ?? 0
        profile?.next += 1
        let clock = ContinuousClock()
        let start = clock.now
        let rows: [[Value]]
        if case .native(let node) = self {
            let result = try node.snapshot.execute(node.query)
            profile?.nativeStats[id] = result.stats
            rows = SQLStatementRunner.widened(result.rows, to: node.columns)
        } else {
            rows = try runNode(profile: profile)
        }
        if let profile {
            let elapsed = start.duration(to: clock.now)
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
            profile.entries[id] = PlanProfile.Entry(rows: rows.count, milliseconds: ms)
        }
        return rows
    }

    private func runNode(profile: PlanProfile?) throws(StrataError) -> [[Value]] {
        switch self {
        case .values(_, let rows):
            return rows
        case .scan(let node):
            if let native = node.native { return try node.snapshot.execute(native).rows }
            let stored = node.snapshot.spec.storedColumns
            return try node.snapshot.scan(
                columns: node.storedColumns.map { stored[$0].name }, timeRange: node.timeRange
            )
            .rows
        case .native(let node):
            return try node.snapshot.execute(node.query).rows  // run() handles it, to keep the work counters
        case .experiment(let node):
            return try node.run()
        case .filter(let input, let predicate):
            var rows = try input.run(profile: profile)
            var kept = 0
            for i in rows.indices where try predicate.holds(rows[i]) {
                rows.swapAt(i, kept)
                kept += 1
            }
            rows.removeLast(rows.count - kept)
            return rows
        case .aggregate(let input, let keys, let aggregates):
            return try Self.aggregate(try input.run(profile: profile), keys: keys, aggregates: aggregates)
        case .project(let input, let expressions, _):
            let rows = try input.run(profile: profile)
            if Self.isIdentity(expressions, over: input) { return rows }
            var output: [[Value]] = []
            output.reserveCapacity(rows.count)
            for row in rows {
                output.append(try expressions.map { e throws(StrataError) in try e.evaluate(row) })
            }
            return output
        case .distinct(let input):
            var seen = Set<[Value]>()
            return try input.run(profile: profile).filter { seen.insert($0).inserted }
        case .sort(let input, let keys):
            let rows = try input.run(profile: profile)
            // A stable sort, so rows equal on every key keep their input order.
            return rows.enumerated().sorted { a, b in
                for key in keys {
                    let x = a.element[key.column]
                    let y = b.element[key.column]
                    var order = ValueOrder.sortOrder(x, y, nullsFirst: key.nullsFirst)
                    if key.descending, !x.isNull, !y.isNull { order = -order }
                    if order != 0 { return order < 0 }
                }
                return a.offset < b.offset
            }.map(\.element)
        case .limit(let input, let limit, let offset):
            let rows = try input.run(profile: profile)
            let start = Swift.min(offset, rows.count)
            // `start + limit` would overflow for LIMIT 9223372036854775807 past row 0.
            let end = limit.map { start + Swift.min($0, rows.count - start) } ?? rows.count
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
    static func aggregate(_ rows: [[Value]], keys: [BoundExpression], aggregates: [AggregateCall])
        throws(StrataError) -> [[Value]]
    {
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
        for row in rows {
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
            }
            previous = (key, g)
            for (a, call) in aggregates.enumerated() {
                if let filter = call.filter, try !filter.holds(row) { continue }
                let value = try call.argument?.evaluate(row) ?? .null
                states[g][a].add(value, call.function)
            }
        }
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
