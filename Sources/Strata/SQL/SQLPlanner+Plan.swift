import StrataCore
import StrataExecution
import StrataSQL

extension SQLPlanner {
    /// Turns a bound query into operators: a native query for the scan, filter and aggregation when
    /// the engine expresses them, general operators for everything else.
    func makePlan(_ bound: BoundSelect) throws(StrataError) -> PlanNode {
        let bound = Self.distinctAsGrouping(bound)
        var plan: PlanNode
        var pushed = NativePushdown()
        var outputs = bound.outputs
        var having = bound.having
        switch bound.source {
        case .none:
            plan = .values(columns: [], rows: [[]])
            if bound.grouped {
                plan = .aggregate(plan, keys: bound.keys, aggregates: bound.aggregates)
            }
            if let filter = bound.filter { plan = .filter(plan, filter) }
        case .relation(let input):
            if bound.grouped, bound.filter == nil, let native = Self.regrouped(bound, input: input) {
                plan = .native(native)
            } else {
                plan = input
                if let filter = bound.filter { plan = .filter(plan, filter) }
                if bound.grouped { plan = .aggregate(plan, keys: bound.keys, aggregates: bound.aggregates) }
            }
        case .table(let snapshot):
            if bound.grouped, !Self.answeredByMetadata(bound, snapshot: snapshot),
                !Self.distinctCountsOnPipeline(bound, snapshot: snapshot),
                !Self.groupsByLargeDictionary(bound, snapshot: snapshot), !Self.pipelineShape(bound, snapshot: snapshot),
                !Self.rollupOnPipeline(bound, snapshot: snapshot),
                let native = nativeAggregate(bound, snapshot: snapshot, pushed: &pushed)
            {
                plan = .native(native)
            } else {
                // Over a rolled-up table, aggregates merge the stored states (SQLPlanner+Rollup.swift).
                var bound = bound
                if bound.grouped { bound.aggregates = try Self.rollupAggregates(bound, snapshot: snapshot) }
                // Read only the columns the query uses, and only the time range its WHERE allows.
                var used: Set<Int> = bound.filter?.columns ?? []
                if bound.grouped {
                    for key in bound.keys { used.formUnion(key.columns) }
                    for aggregate in bound.aggregates {
                        used.formUnion(aggregate.argument?.columns ?? [])
                        used.formUnion(aggregate.filter?.columns ?? [])
                        used.formUnion(aggregate.mergeColumns)
                    }
                } else {
                    for output in bound.outputs { used.formUnion(output.columns) }
                }
                if used.isEmpty { used = [0] }
                let needed = used.sorted()
                let stored = snapshot.spec.storedColumns
                if let metric = needed.first(where: { $0 >= stored.count }) {
                    let name = snapshot.spec.queryableColumns[metric].name
                    throw StrataError(
                        .unsupported,
                        "'\(name)' is an input metric of the rolled-up table '\(snapshot.spec.name)': only "
                            + "aggregates the engine answers from the stored states read it (count, sum, min, max, "
                            + "avg, var_samp, stddev_samp, approx_count_distinct, approx_quantile of the bare column)")
                }
                var position: [Int: Int] = [:]
                for (i, column) in needed.enumerated() { position[column] = i }
                let remap = { (index: Int) in position[index]! }
                let timeRange = bound.filter.flatMap { NativeLowering.timeRange(of: $0) }
                var scan = ScanNode(snapshot: snapshot, storedColumns: needed, timeRange: timeRange)
                scan.indexFilters = bound.filter.map { Self.indexFilters(of: $0, stored: stored) } ?? []
                // LIMIT pushdown: with nothing between the limit and the scan (which applies the WHERE) that
                // drops, adds or reorders rows, the scan stops once it has produced enough
                // (`SELECT * FROM t LIMIT 100` reads one block).
                if !bound.grouped, !bound.isDistinct, bound.order.isEmpty, let limit = bound.limit {
                    let (end, overflow) = limit.addingReportingOverflow(bound.offset)
                    scan.rowLimit = overflow ? nil : end
                }
                // The WHERE runs vectorized in the scan (string predicates once per dictionary entry), but for
                // its bounds on the time column, which the scan's time range enforces.
                let residual = timeRange == nil ? bound.filter : bound.filter.flatMap(NativeLowering.withoutTimeBounds)
                scan.filter = residual?.remapped(remap)
                plan = .scan(scan)
                if bound.grouped {
                    let aggregates = bound.aggregates.map { a in
                        var copy = a
                        copy.argument = a.argument?.remapped(remap)
                        copy.filter = a.filter?.remapped(remap)
                        copy.merge = a.merge?.remapped(remap)
                        return copy
                    }
                    plan = .aggregate(plan, keys: bound.keys.map { $0.remapped(remap) }, aggregates: aggregates)
                } else {
                    outputs = outputs.map { $0.remapped(remap) }
                }
            }
        }
        if pushed.having { having = nil }
        if let having { plan = .filter(plan, having) }
        var columns = zip(outputs, bound.outputNames).map { SQLScope.Column(name: $1, type: $0.type) }
        for i in bound.outputNames.count..<max(bound.outputNames.count, outputs.count) {
            columns.append(SQLScope.Column(name: "#order\(i)", type: outputs[i].type))
        }
        plan = .project(plan, outputs, columns: columns)
        if bound.isDistinct { plan = .distinct(plan) }
        if !bound.order.isEmpty, !pushed.order { plan = .sort(plan, bound.order) }
        if (bound.limit != nil || bound.offset > 0), !pushed.limit {
            plan = .limit(plan, limit: bound.limit, offset: bound.offset)
        }
        if bound.hiddenCount > 0 {
            let visible = bound.outputNames.count
            plan = .project(
                plan, (0..<visible).map { BoundExpression.column($0, columns[$0].type, name: columns[$0].name) },
                columns: Array(columns.prefix(visible)))
        }
        return plan
    }

    /// The conjuncts of `condition` that a bitmap index answers (``IndexFilter/conjuncts(of:stored:)``).
    static func indexFilters(of condition: BoundExpression, stored: [StoredColumn]) -> [IndexFilter] {
        IndexFilter.conjuncts(of: condition, stored: stored).filters
    }

    /// Shapes the pipeline answers faster than the native engine on either spec (measured at 10M rows,
    /// `Benchmarks/RESULTS.md`, sessions 7 and 8): grouping without aggregates (`SELECT DISTINCT platform`:
    /// 10 ms against 22), ungrouped aggregates without DISTINCT (a count and mean over a range: 37 against
    /// 73), aggregates of a CASE (`avg(CASE WHEN latency_ms > 500 THEN 1 ELSE 0 END)`: 31 against 43), and
    /// the quantiles and approximate distinct counts below.
    static func pipelineShape(_ bound: BoundSelect, snapshot: TableSnapshot) -> Bool {
        // A rolled-up table's stored states merge in the native engine only.
        guard snapshot.spec.rollup == nil else { return false }
        if bound.aggregates.isEmpty { return true }
        if bound.keys.isEmpty, !bound.aggregates.contains(where: \.isDistinct) { return true }
        let stored = snapshot.spec.storedColumns
        return bound.aggregates.contains { call in
            switch (call.function, call.argument) {
            case (_, .caseWhen?): return true
            // Quantiles of numbers (BIGINT: a counting histogram per group; `approx_quantile`: one in front of
            // its sketch): p95 and median latency per variant, 42 ms against 46 (approximate: 41 against 62).
            case (.quantile, let argument?), (.approxQuantile, let argument?):
                return argument.type == .bigint || argument.type == .double
            // `approx_count_distinct` of a string column with segment dictionaries (each entry hashed on its
            // first row): users per variant and day, 106 ms against 142. With a table dictionary the native
            // engine, which hashes each code once per query, stays ahead (58 against 89).
            case (.approxCountDistinct, .column(let p, .varchar, _)?):
                return p < stored.count && !stored[p].tableDictionary
            default: return false
            }
        }
    }

    /// Whether a group key is a string column with more than 2^16 values in a dictionary (user ids): the
    /// native engine's group tables are built for small key spaces, the pipeline's string tables (one cache
    /// miss a probe, probes prefetched) for large ones — `top users` at 10M rows, 2.0 s against 0.7 s
    /// (`Benchmarks/RESULTS.md`, session 7).
    static func groupsByLargeDictionary(_ bound: BoundSelect, snapshot: TableSnapshot) -> Bool {
        guard snapshot.spec.rollup == nil else { return false }
        let stored = snapshot.spec.storedColumns
        return bound.keys.contains { key in
            guard case .column(let p, .varchar, _) = key, p < stored.count else { return false }
            return (snapshot.largestDictionary(column: p) ?? 0) > 1 << 16
        }
    }

    /// Whether the query counts distinct values of a string column: the pipeline's distinct sets (a bitset per
    /// group over value numbers; each string numbered once per segment, or a table dictionary's codes taken
    /// as they are) beat the native engine's on both specs — `count(DISTINCT user_id)` per variant at 10M
    /// rows, 26 ms against 45 with a table dictionary (`Benchmarks/RESULTS.md`, sessions 6 and 8).
    static func distinctCountsOnPipeline(_ bound: BoundSelect, snapshot: TableSnapshot) -> Bool {
        let stored = snapshot.spec.storedColumns
        guard snapshot.spec.rollup == nil else { return false }
        return bound.aggregates.contains { call in
            guard call.isDistinct, call.function == .count, case .column(let p, .varchar, _) = call.argument else {
                return false
            }
            return p < stored.count
        }
    }

    /// Whether an ungrouped aggregate over the whole table is min and max (and counts) of bare columns,
    /// which segment metadata answers (``MetadataAggregate``) without reading rows: it then runs as a
    /// general aggregation, which asks the metadata first.
    static func answeredByMetadata(_ bound: BoundSelect, snapshot: TableSnapshot) -> Bool {
        guard bound.keys.isEmpty, bound.filter == nil, snapshot.spec.rollup == nil,
            bound.aggregates.contains(where: { $0.function == .min || $0.function == .max })
        else { return false }
        let stored = snapshot.spec.storedColumns
        return bound.aggregates.allSatisfy { call in
            guard call.filter == nil, !call.isDistinct else { return false }
            switch call.function {
            case .countStar: return true
            case .count, .min, .max:
                guard case .column(let position, _, _) = call.argument, position < stored.count else { return false }
                let function: MetadataAggregate.Function =
                    call.function == .count ? .count : (call.function == .min ? .min : .max)
                return MetadataAggregate.answers(function, type: stored[position].type)
            default: return false
            }
        }
    }

    /// `SELECT DISTINCT a, b …` without aggregates is `… GROUP BY a, b` (as in DuckDB, DISTINCT is an
    /// aggregate without aggregate functions; both group NULLs together): the vectorized engine then takes
    /// the shapes it groups, and the rest is one hash aggregation either way. Not with ORDER BY terms outside
    /// the select list, which would become keys.
    static func distinctAsGrouping(_ bound: BoundSelect) -> BoundSelect {
        guard bound.isDistinct, !bound.grouped, bound.hiddenCount == 0, !bound.outputs.isEmpty else { return bound }
        var grouped = bound
        grouped.grouped = true
        grouped.isDistinct = false
        grouped.keys = bound.outputs
        grouped.keyTexts = bound.outputs.map(\.explainText)
        grouped.aggregates = []
        grouped.outputs = bound.outputs.enumerated().map { i, key in
            .column(i, key.type, name: bound.outputNames[i])
        }
        return grouped
    }

    /// What a native node took over besides the aggregation.
    struct NativePushdown {
        var having = false
        var order = false
        var limit = false
    }

    /// The native query for the scan, WHERE, GROUP BY and aggregates of `bound`, if the engine expresses
    /// them all; HAVING, ORDER BY and LIMIT go along when they only name keys and aggregates.
    private func nativeAggregate(_ bound: BoundSelect, snapshot: TableSnapshot, pushed: inout NativePushdown)
        -> NativeNode?
    {
        let lowering = NativeLowering(names: snapshot.spec.queryableColumns.map(\.name))
        var query = Query(table: snapshot.spec.name)
        if let filter = bound.filter {
            guard let (intervals, native) = lowering.whereClause(filter) else { return nil }
            query.intervals = intervals
            query.filter = native
        }
        for key in bound.keys {
            guard let native = lowering.groupKey(key) else { return nil }
            query.groupBy.append(native)
        }
        guard query.groupBy.count <= 8 else { return nil }
        for (j, aggregate) in bound.aggregates.enumerated() {
            guard let native = lowering.aggregation(aggregate, name: "_a\(j)") else { return nil }
            query.aggregations.append(native)
        }
        let layoutNames = query.groupBy.map(\.name) + query.aggregations.map(\.name)
        var columns = bound.keys.enumerated().map { i, key in
            SQLScope.Column(name: bound.keyTexts[i], type: key.type)
        }
        columns += bound.aggregates.map { SQLScope.Column(name: $0.text, type: $0.type) }
        let output = NativeLowering(names: layoutNames)
        if let having = bound.having {
            if let native = output.filter(having) {
                query.having = native
                pushed.having = true
            }
        }
        if bound.having == nil || pushed.having, !bound.isDistinct {
            var keys: [OrderKey] = []
            for key in bound.order {
                guard case .column(let j, _, _) = bound.outputs[key.column] else { break }
                keys.append(OrderKey(layoutNames[j], descending: key.descending, nullsFirst: key.nullsFirst))
            }
            if keys.count == bound.order.count {
                query.orderBy = keys
                pushed.order = true
                query.limit = bound.limit
                query.offset = bound.offset
                pushed.limit = true
            }
        }
        return NativeNode(
            snapshot: snapshot, query: query, columns: columns, keyTexts: bound.keyTexts,
            aggregateTexts: bound.aggregates.map(\.text))
    }
}

extension SQLPlanner {
    /// An aggregate over a native aggregate's rows that the engine can run on its groups (``Regroup``):
    /// outer keys that are inner keys, and `count(*)`, `sum(a)` or `sum(a * a)` of inner aggregates `a`.
    /// `nil` when the query has another shape (it then runs on the general path).
    static func regrouped(_ bound: BoundSelect, input: PlanNode) -> NativeNode? {
        var inner = input
        // The subquery's select list, when it lists the native node's columns in order.
        if case .project(let child, let expressions, _) = inner, PlanNode.isIdentity(expressions, over: child) {
            inner = child
        }
        guard case .native(var node) = inner, node.snapshot.spec.rollup == nil else { return nil }
        let query = node.query
        guard query.regroup == nil, !query.groupBy.isEmpty, query.having == nil, query.orderBy.isEmpty,
            query.limit == nil, query.offset == 0, query.postAggregations.isEmpty, query.gapFill == nil
        else { return nil }
        let keyCount = query.groupBy.count
        var keys: [Int] = []
        for key in bound.keys {
            guard case .column(let i, _, _) = key, i < keyCount, !keys.contains(i) else { return nil }
            keys.append(i)
        }
        var outputs: [Regroup.Output] = []
        for a in bound.aggregates {
            guard a.filter == nil, !a.isDistinct else { return nil }
            switch (a.function, a.argument) {
            case (.countStar, nil):
                outputs.append(.count)
            case (.sum, .column(let j, let type, _)?) where j >= keyCount && (type == .double || type.isInteger):
                outputs.append(.sum(j - keyCount))
            case (.sum, .arithmetic(.multiply, .column(let j, .double, _), .column(let k, .double, _), _)?)
            where j == k && j >= keyCount:
                outputs.append(.sumOfSquares(j - keyCount))
            default:
                return nil
            }
        }
        node.query.regroup = Regroup(keys: keys, outputs: outputs)
        node.columns =
            bound.keys.map { SQLScope.Column(name: $0.displayName(input.columns), type: $0.type) }
            + bound.aggregates.map { SQLScope.Column(name: $0.text, type: $0.type) }
        return node
    }
}

extension TableSpec {
    /// The columns SQL can name: the stored columns, then — on a rolled-up table — the input metrics
    /// that are not stored under their own name, which aggregates read through the stored states.
    var queryableColumns: [(name: String, type: DataType)] {
        let stored = storedColumns
        var out = stored.map { ($0.name, $0.type) }
        guard rollup != nil else { return out }
        let names = Set(stored.map { $0.name.lowercased() })
        for m in metrics where !names.contains(m.name.lowercased()) { out.append((m.name, m.type)) }
        return out
    }
}
