package import StrataCore
package import StrataExecution
import StrataSQL
import StrataStorage

extension SQLPlanner {
    /// Turns a bound query into the pipeline's operators: a scan that applies the WHERE, then aggregation,
    /// HAVING, projection, DISTINCT, ORDER BY and LIMIT as the query has them.
    func makePlan(_ bound: BoundSelect) throws(StrataError) -> PlanNode {
        let bound = bound.windows.isEmpty ? Self.distinctAsGrouping(bound) : bound
        var plan: PlanNode
        var outputs = bound.outputs
        var windows = bound.windows
        var qualify = bound.qualify
        // Without grouping, the columns of the input row the select list, QUALIFY and the window calls read
        // (outputs read the window calls' values past `windowBase`).
        var rowColumns: Set<Int> = []
        for output in outputs { rowColumns.formUnion(output.columns.filter { $0 < Self.windowBase }) }
        rowColumns.formUnion(qualify?.columns.filter { $0 < Self.windowBase } ?? [])
        for window in windows { for e in window.expressions { rowColumns.formUnion(e.columns) } }
        func remapRow(_ remap: (Int) -> Int) {
            func map(_ c: Int) -> Int { c >= Self.windowBase ? c : remap(c) }
            outputs = outputs.map { $0.remapped(map) }
            qualify = qualify?.remapped(map)
            windows = windows.map { w in
                var copy = w
                copy.expressions = w.expressions.map { $0.remapped(remap) }
                return copy
            }
        }
        switch bound.source {
        case .none:
            plan = .values(columns: [], rows: [[]])
            if bound.grouped {
                plan = Self.grouped(
                    plan, keys: bound.keys, aggregates: bound.aggregates, sets: bound.groupingSets,
                    calls: bound.groupingCalls)
            }
            if let filter = bound.filter { plan = .filter(plan, filter) }
        case .relation(let input):
            plan = input
            if let filter = bound.filter { plan = Self.filtered(plan, by: filter) }
            plan = Self.reorderingJoins(plan)
            var keys = bound.keys
            var aggregates = bound.aggregates
            if case .join = input {
                // Under a join, scans read only the columns the rest of the query uses.
                var used: Set<Int> = []
                if bound.grouped {
                    for key in keys { used.formUnion(key.columns) }
                    for aggregate in aggregates {
                        used.formUnion(aggregate.argument?.columns ?? [])
                        for more in aggregate.moreArguments { used.formUnion(more.columns) }
                        used.formUnion(aggregate.filter?.columns ?? [])
                    }
                } else {
                    used.formUnion(rowColumns)
                }
                let (pruned, map) = plan.pruned(keeping: used)
                let remap = { (c: Int) in map[c] ?? c }
                plan = pruned
                if bound.grouped {
                    keys = keys.map { $0.remapped(remap) }
                    aggregates = aggregates.map { $0.remappedInputs(remap) }
                } else {
                    remapRow(remap)
                }
            }
            if bound.grouped {
                plan = Self.grouped(
                    plan, keys: keys, aggregates: aggregates, sets: bound.groupingSets, calls: bound.groupingCalls)
            }
        case .table(let snapshot):
            do {
                // Over a rolled-up table, aggregates merge the stored states (SQLPlanner+Rollup.swift).
                var bound = bound
                if bound.grouped { bound.aggregates = try Self.rollupAggregates(bound, snapshot: snapshot) }
                // Read only the columns the query uses, and only the time range its WHERE allows.
                var used: Set<Int> = bound.filter?.columns ?? []
                if bound.grouped {
                    for key in bound.keys { used.formUnion(key.columns) }
                    for aggregate in bound.aggregates {
                        used.formUnion(aggregate.argument?.columns ?? [])
                        for more in aggregate.moreArguments { used.formUnion(more.columns) }
                        used.formUnion(aggregate.filter?.columns ?? [])
                        used.formUnion(aggregate.mergeColumns)
                    }
                } else {
                    used.formUnion(rowColumns)
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
                let timeRange = bound.filter.flatMap { TimeBounds.range(of: $0) }
                var scan = ScanNode(snapshot: snapshot, storedColumns: needed, timeRange: timeRange)
                scan.indexFilters = bound.filter.map { Self.indexFilters(of: $0, stored: stored) } ?? []
                // LIMIT pushdown: with nothing between the limit and the scan (which applies the WHERE) that
                // drops, adds or reorders rows, the scan stops once it has produced enough
                // (`SELECT * FROM t LIMIT 100` reads one block).
                if !bound.grouped, !bound.isDistinct, bound.order.isEmpty, bound.windows.isEmpty,
                    let limit = bound.limit
                {
                    let (end, overflow) = limit.addingReportingOverflow(bound.offset)
                    scan.rowLimit = overflow ? nil : end
                }
                // The WHERE runs vectorized in the scan (string predicates once per dictionary entry), but for
                // its bounds on the time column, which the scan's time range enforces.
                let residual = timeRange == nil ? bound.filter : bound.filter.flatMap(TimeBounds.removed(from:))
                scan.filter = residual?.remapped(remap)
                plan = .scan(scan)
                if bound.grouped {
                    let aggregates = bound.aggregates.map { a in
                        var copy = a.remappedInputs(remap)
                        copy.merge = a.merge?.remapped(remap)
                        return copy
                    }
                    plan = Self.grouped(
                        plan, keys: bound.keys.map { $0.remapped(remap) }, aggregates: aggregates,
                        sets: bound.groupingSets, calls: bound.groupingCalls)
                } else {
                    remapRow(remap)
                }
            }
        }
        if let having = bound.having { plan = .filter(plan, having) }
        if !windows.isEmpty { plan = Self.windowed(plan, windows: windows, outputs: &outputs, qualify: qualify) }
        var columns = zip(outputs, bound.outputNames).map { SQLScope.Column(name: $1, type: $0.type) }
        for i in bound.outputNames.count..<max(bound.outputNames.count, outputs.count) {
            columns.append(SQLScope.Column(name: "#order\(i)", type: outputs[i].type))
        }
        plan = .project(plan, outputs, columns: columns)
        if bound.isDistinct { plan = .distinct(plan) }
        if !bound.order.isEmpty { plan = .sort(plan, bound.order) }
        if bound.limit != nil || bound.offset > 0 {
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
    package static func indexFilters(of condition: BoundExpression, stored: [StoredColumn]) -> [IndexFilter] {
        IndexFilter.conjuncts(of: condition, stored: stored).filters
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
