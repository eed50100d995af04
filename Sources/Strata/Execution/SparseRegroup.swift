import StrataCore
import StrataExecution

/// The sparse way to run a ``Regroup`` of per-unit sums: the experiment question "per user, then per
/// variant" — `SELECT variant, count(*), sum(r), sum(r * r) FROM (SELECT variant, user_id, sum(revenue)
/// AS r … GROUP BY variant, user_id) GROUP BY variant` — without one inner group per user.
///
/// A unit whose values are all 0 (most users buy nothing) adds nothing to Σr or Σr²: it only counts,
/// and makes the sums 0 rather than NULL. So the scan keeps, per outer group, the set of units seen
/// (``UnitSets``) and each summed metric's count of non-NULL values, and sums only the rows with a
/// non-zero (or NaN) metric per unit (``UnitPresence``). Exact: `count(*)` is the number of distinct
/// units (NULL included, as a group of its own), and Σr, Σr² come from the units with some non-zero value.
///
/// Taken when the inner keys are the outer keys plus one string column with table-wide codes (the unit:
/// its codes index a bitset), and every inner aggregate the outputs read is a plain `sum` of a number.
struct SparseRegroup: Sendable, Hashable {
    struct Metric: Sendable, Hashable {
        /// Index among the query's aggregations.
        var aggregation: Int
        /// Stored-column index of the summed column.
        var column: Int
        var isDouble: Bool
    }

    /// The outer keys, in the regroup's order.
    var outerKeys: [BoundQuery.Key]
    /// Stored-column index of the unit column.
    var unitColumn: Int
    var metrics: [Metric]

    init?(bound: BoundQuery) {
        guard let regroup = bound.query.regroup else { return nil }
        let extra = bound.keys.indices.filter { !regroup.keys.contains($0) }
        guard extra.count == 1, case .column(let unit) = bound.keys[extra[0]], unit.hasDictionary,
            bound.tableWide.contains(unit.index)
        else { return nil }
        var metrics: [Metric] = []
        for output in regroup.outputs {
            let a: Int
            switch output {
            case .count: continue
            case .sum(let i), .sumOfSquares(let i): a = i
            }
            let aggregation = bound.aggregations[a]
            guard aggregation.aggregation.function == .sum, aggregation.filter == nil,
                let column = aggregation.column, column.type == .double || column.type == .int64
            else { return nil }
            if !metrics.contains(where: { $0.aggregation == a }) {
                metrics.append(Metric(aggregation: a, column: column.index, isDouble: column.type == .double))
            }
        }
        outerKeys = regroup.keys.map { bound.keys[$0] }
        unitColumn = unit.index
        self.metrics = metrics
    }

    /// The query whose keys are the outer keys (for a ``SegmentGrouper`` of outer groups).
    func outerBound(_ bound: BoundQuery) -> BoundQuery {
        BoundQuery(
            query: bound.query, columns: bound.columns, filter: bound.filter, keys: outerKeys,
            aggregations: bound.aggregations, needed: bound.needed, tableWide: bound.tableWide)
    }

    /// The outer rows (keys, then outputs), with the general path's aggregate states and the engine's
    /// integer-sum results, so types and overflow behave as on the dense path.
    func rows(_ presence: inout UnitPresence, regroup: Regroup) -> [[Value]] {
        presence.outer.nameTableCodes()
        let groupCount = presence.outer.count
        var states = (0..<max(groupCount, 1)).map { _ in regroup.outputs.map { _ in AggregateState(distinct: false) } }
        // Per output, the metric it reads (nil for count(*)).
        let metricOf: [Int?] = regroup.outputs.map { output in
            switch output {
            case .count: nil
            case .sum(let a), .sumOfSquares(let a): metrics.firstIndex { $0.aggregation == a }
            }
        }
        // A sum over values that were all 0 is 0, not NULL.
        for (i, output) in regroup.outputs.enumerated() {
            guard let m = metricOf[i] else { continue }
            let zero: Value = if case .sum = output, !metrics[m].isDouble { .int64(0) } else { .double(0) }
            for g in 0..<groupCount where presence.nonNull[m][g] > 0 { states[g][i].add(zero, .sum) }
        }
        // A unit's sum is NULL only if all its values are, which shows where the outer group's values all
        // are; elsewhere adding its 0 changes nothing.
        for (s, key) in presence.sparseKeys.enumerated() {
            let g = Int(key >> 32)
            for (i, output) in regroup.outputs.enumerated() {
                guard let m = metricOf[i], presence.nonNull[m][g] > 0 else { continue }
                let r = value(presence, metric: m, unit: s)
                if case .sumOfSquares = output {
                    guard case .double(let x) = r else { continue }
                    states[g][i].add(.double(x * x), .sum)
                } else {
                    states[g][i].add(r, .sum)
                }
            }
        }
        // No outer keys: one row even over no input (count 0, sums NULL), as on the general path.
        let keyed = groupCount == 0 && !outerKeys.isEmpty ? 0 : max(groupCount, 1)
        return (0..<keyed).map { g in
            (g < groupCount ? presence.outer.values(of: g) : [])
                + zip(regroup.outputs, states[g]).map { output, state in
                    if case .count = output {
                        .int64(Int64(g < groupCount ? presence.units.count(g) : 0))
                    } else {
                        state.result(.sum)
                    }
                }
        }
    }

    /// A unit's sum of metric `m` as the engine's `sum` answers it (an integer sum past 64 bits is a
    /// 128-bit integer).
    private func value(_ presence: UnitPresence, metric m: Int, unit s: Int) -> Value {
        let slot = s * presence.metricCount + m
        if metrics[m].isDouble { return .double(presence.doubleSums[slot]) }
        let x = presence.integerSums[slot]
        return Int64(exactly: x).map { .int64($0) } ?? .hugeint(x)
    }
}
