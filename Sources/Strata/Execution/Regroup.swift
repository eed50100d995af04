import StrataCore
import StrataExecution

/// A second aggregation level run on a grouped query's groups before any row is made: the outer query
/// of "per unit, then per variant" statistics — `SELECT variant, count(*), sum(r), sum(r * r) FROM
/// (SELECT variant, user_id, sum(revenue) AS r … GROUP BY variant, user_id) GROUP BY variant` — which the
/// SQL planner hands to the engine instead of materializing one row per unit and aggregating them again.
///
/// Outputs use the SQL general path's aggregate states, visited in the order the inner rows would have
/// come, so answers are identical to it (floating-point sums included).
struct Regroup: Sendable, Hashable {
    enum Output: Sendable, Hashable {
        /// Inner groups (`count(*)`).
        case count
        /// Sum of the inner aggregation at this index.
        case sum(Int)
        /// Sum of the squares of the inner aggregation at this index (a double).
        case sumOfSquares(Int)
    }

    /// Positions among the query's group keys, in the outer key order.
    var keys: [Int]
    var outputs: [Output]

    /// The outer rows (keys, then outputs) from the merged inner groups.
    func rows(_ partial: inout PartialAggregation) -> [[Value]] {
        // Only the kept keys' values are needed (not the strings of every unit's table code).
        for p in keys { partial.groups.positions[p].nameTableCodes() }
        var index: [GroupTable.Key: Int] = [:]
        var outerKeys: [[Value]] = []
        var states: [[AggregateState]] = []
        var previous: (key: GroupTable.Key, group: Int)?
        for g in 0..<partial.groups.count {
            let inner = partial.groups.keys[g]
            var key = GroupTable.Key()
            for (i, p) in keys.enumerated() { key[i] = inner[p] }
            let o: Int
            if let previous, previous.key == key {
                o = previous.group
            } else if let known = index[key] {
                o = known
            } else {
                o = outerKeys.count
                index[key] = o
                outerKeys.append(keys.map { p in partial.groups.positions[p].values[Int(inner[p])] })
                states.append(outputs.map { _ in AggregateState(distinct: false) })
            }
            previous = (key, o)
            for (i, output) in outputs.enumerated() {
                switch output {
                case .count:
                    states[o][i].add(.null, .countStar)
                case .sum(let a):
                    states[o][i].add(partial.accumulators[a].result(g), .sum)
                case .sumOfSquares(let a):
                    guard case .double(let x) = partial.accumulators[a].result(g) else { continue }
                    states[o][i].add(.double(x * x), .sum)
                }
            }
        }
        if keys.isEmpty, outerKeys.isEmpty {
            // No outer keys: one row even over no groups (count 0, sums NULL), as on the general path.
            outerKeys.append([])
            states.append(outputs.map { _ in AggregateState(distinct: false) })
        }
        return outerKeys.indices.map { o in
            outerKeys[o]
                + zip(outputs, states[o]).map { output, state in
                    if case .count = output { state.result(.countStar) } else { state.result(.sum) }
                }
        }
    }
}
