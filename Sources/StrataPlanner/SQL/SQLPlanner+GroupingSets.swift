import StrataCore
import StrataExecution
import StrataSQL

extension SQLPlanner {
    /// Where the select list reads `grouping(…)` call `g` while binding: `groupingBase + g`, past any row position
    /// and before ``windowBase``; moved after the aggregates once their number is known.
    static let groupingBase = 1 << 39

    /// The most grouping sets a GROUP BY may expand to: each is one more aggregation of the input.
    static let maximumGroupingSets = 4096

    /// `grouping(a, b)` and its DuckDB alias `grouping_id`.
    static func isGroupingFunction(_ call: FunctionCall) -> Bool {
        let name = call.name.normalized
        return name == "grouping" || name == "grouping_id"
    }

    /// The grouped row of `keys`, `aggregates`, then the `grouping(…)` calls' values, over `input`. With grouping
    /// sets, one aggregation per set whose rows carry NULL for the keys the set lacks, one set after another
    /// (`UNION ALL`); each grouping call is a constant per set: bit `n - 1 - i` is set when the set lacks the
    /// call's argument `i` (the first argument is the most significant bit, as in DuckDB).
    static func grouped(
        _ input: PlanNode, keys: [BoundExpression], aggregates: [AggregateCall], sets: [[Int]]?, calls: [[Int]]
    ) -> PlanNode {
        guard sets != nil || !calls.isEmpty else { return .aggregate(input, keys: keys, aggregates: aggregates) }
        let columns =
            PlanNode.aggregate(input, keys: keys, aggregates: aggregates).columns
            + calls.indices.map { SQLScope.Column(name: "#grouping\($0)", type: .bigint) }
        let branches = (sets ?? [Array(keys.indices)]).map { set -> PlanNode in
            let aggregated = PlanNode.aggregate(input, keys: set.map { keys[$0] }, aggregates: aggregates)
            var outputs: [BoundExpression] = keys.indices.map { k in
                guard let i = set.firstIndex(of: k) else { return .constant(.null, keys[k].type) }
                return .column(i, keys[k].type, name: columns[k].name)
            }
            outputs += aggregates.enumerated().map { j, aggregate in
                .column(set.count + j, aggregate.type, name: aggregate.text)
            }
            outputs += calls.map { read in
                var mask: Int64 = 0
                for k in read { mask = mask << 1 | (set.contains(k) ? 0 : 1) }
                return .constant(.int64(mask), .bigint)
            }
            return .project(aggregated, outputs, columns: columns)
        }
        return branches.count == 1 ? branches[0] : .unionAll(branches)
    }
}
