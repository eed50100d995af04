import StrataCore

/// How an aggregate over a rolled-up table merges stored aggregator states instead of reading values
/// (set by the planner's rollup rewrite; the call's `argument` is then the first stored column it reads).
package enum RollupMerge: Hashable, Sendable {
    /// The sum of stored counts (`count(*)` from the `count` column, `count(x)` from `x`'s moments `#n`):
    /// BIGINT, 0 — not NULL — for a group without rows.
    case count
    /// `avg`, `var_samp` or `stddev_samp` from moments: `argument` is `#n`, with `#sum` and `#sumsq` (which
    /// an `avg` alone does not read).
    case moments(sum: BoundExpression, squares: BoundExpression?)
    /// `approx_count_distinct` from stored HyperLogLog sketches.
    case distinctSketch
    /// `approx_quantile` from stored quantile sketches; an integer metric's estimate is rounded back.
    case quantileSketch(integer: Bool)

    /// The stored columns read besides the call's argument.
    package var extraArguments: [BoundExpression] {
        if case .moments(let sum, let squares) = self { return [sum] + (squares.map { [$0] } ?? []) }
        return []
    }

    /// The same merge over renumbered columns.
    package func remapped(_ map: (Int) -> Int) -> RollupMerge {
        if case .moments(let sum, let squares) = self {
            return .moments(sum: sum.remapped(map), squares: squares?.remapped(map))
        }
        return self
    }
}

extension AggregateCall {
    /// The stored columns a rollup merge reads besides the call's argument.
    package var mergeColumns: Set<Int> {
        var out: Set<Int> = []
        for e in merge?.extraArguments ?? [] { out.formUnion(e.columns) }
        return out
    }
}
