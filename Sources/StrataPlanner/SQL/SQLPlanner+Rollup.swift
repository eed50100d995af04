import StrataCore
import StrataExecution
import StrataStorage

extension SQLPlanner {
    /// The aggregates of `bound` over a rolled-up table, rewritten to merge the stored aggregator states
    /// (one call for one, so the grouped row, HAVING, the select list and ORDER BY are unchanged), with
    /// these rules and errors: `count(*)` sums the rollup's `count` column, `sum(x)` sums
    /// `x`'s `sum` column (else its moments' `#sum`), `min`/`max` take the extremes of the stored extremes,
    /// `count(x)`, `avg`, `var_samp` and `stddev_samp` merge `x`'s moments, `approx_count_distinct` merges
    /// HyperLogLog sketches and `approx_quantile` quantile sketches. Aggregates of stored columns stay as
    /// they are; a stored sketch column is read only by the one aggregate that merges it.
    static func rollupAggregates(_ bound: BoundSelect, snapshot: TableSnapshot) throws(StrataError)
        -> [AggregateCall]
    {
        let spec = snapshot.spec
        guard let rollup = spec.rollup else { return bound.aggregates }
        let stored = spec.storedColumns
        let queryable = spec.queryableColumns
        func column(_ position: Int) -> BoundExpression {
            .column(position, SQLValueType(stored[position].type), name: stored[position].name)
        }
        func storedPosition(_ name: String) -> Int? {
            stored.firstIndex { $0.name.lowercased() == name.lowercased() }
        }
        func aggregate(_ kind: AggregatorKind, of metric: String) -> AggregateSpec? {
            rollup.aggregates.first { $0.type == kind && $0.column?.lowercased() == metric.lowercased() }
        }
        /// Sketch columns hold states, not values: a WHERE, key or FILTER that reads one is an error.
        func requireNoSketch(_ expression: BoundExpression?) throws(StrataError) {
            guard let expression else { return }
            if let p = expression.columns.sorted().first(where: { $0 < stored.count && stored[$0].isSketch }) {
                throw stored[p].sketchMisuse
            }
        }
        try requireNoSketch(bound.filter)
        for key in bound.keys { try requireNoSketch(key) }
        var out: [AggregateCall] = []
        for call in bound.aggregates {
            try requireNoSketch(call.filter)
            if !call.moreArguments.isEmpty {
                throw StrataError(
                    .unsupported,
                    "\(call.function.rawValue)() reads two values of each input row, which the rolled-up table "
                        + "'\(spec.name)' does not keep")
            }
            var merged = call
            merged.isDistinct = false
            guard let argument = call.argument else {
                // count(*): the sum of the stored counts.
                guard let count = rollup.aggregates.first(where: { $0.type == .count }),
                    let p = storedPosition(count.name)
                else {
                    throw StrataError(
                        .unsupported, "count of rows needs a count aggregate in the rollup of '\(spec.name)'")
                }
                merged.function = .sum
                merged.argument = column(p)
                merged.merge = .count
                out.append(merged)
                continue
            }
            guard case .column(let position, _, _) = argument else {
                // An expression: over stored rows, only an extreme means what it means over the input rows
                // (a sum or count would miss each stored row's multiplicity).
                try requireNoSketch(argument)
                guard call.function == .min || call.function == .max else {
                    throw StrataError(
                        .unsupported,
                        "this aggregation over the rolled-up table '\(spec.name)' needs the general "
                            + "(row-at-a-time) path, which does not merge rollup states yet; aggregate the "
                            + "stored columns with the native forms (count, sum, min, max, avg of bare columns)")
                }
                out.append(call)
                continue
            }
            if position < stored.count {
                let storedColumn = stored[position]
                guard storedColumn.isSketch else {
                    out.append(call)
                    continue
                }
                switch (storedColumn.role, call.function) {
                case (.aggregate(.hll, _), .approxCountDistinct): merged.merge = .distinctSketch
                case (.aggregate(.quantile, _), .approxQuantile) where !call.isDistinct:
                    merged.merge = .quantileSketch(integer: false)
                default: throw storedColumn.sketchMisuse
                }
                out.append(merged)
                continue
            }
            let metricName = queryable[position].name
            guard let metric = spec.metrics.first(where: { $0.name.lowercased() == metricName.lowercased() }) else {
                throw StrataError(.binding, "no column '\(metricName)' in table '\(spec.name)'")
            }
            let moments = aggregate(.moments, of: metric.name)
            func missing() -> StrataError {
                let function = call.isDistinct ? "\(call.function.rawValue)(DISTINCT)" : call.function.rawValue
                return StrataError(
                    .unsupported,
                    "\(function) of '\(metric.name)' is not available after rollup: "
                        + "the rollup keeps no aggregator state it can be computed from")
            }
            func part(_ name: String) throws(StrataError) -> Int {
                guard let p = storedPosition(name) else {
                    throw StrataError(.internal, "rolled-up table '\(spec.name)' lacks stored column '\(name)'")
                }
                return p
            }
            let distinctMatters = call.function != .min && call.function != .max
                && call.function != .approxCountDistinct
            if call.isDistinct, distinctMatters { throw missing() }
            switch call.function {
            case .sum:
                if let s = aggregate(.sum, of: metric.name) {
                    merged.argument = column(try part(s.name))
                } else if let moments {
                    merged.argument = column(try part(moments.name + "#sum"))
                } else {
                    throw missing()
                }
            case .min, .max:
                guard let m = aggregate(call.function == .min ? .min : .max, of: metric.name) else { throw missing() }
                merged.argument = column(try part(m.name))
            case .count:
                guard let moments else { throw missing() }
                merged.function = .sum
                merged.argument = column(try part(moments.name + "#n"))
                merged.merge = .count
            case .avg, .varianceSample, .standardDeviationSample:
                guard let moments else { throw missing() }
                merged.argument = column(try part(moments.name + "#n"))
                // A mean needs no Σx², unless a variance of the same metric (same FILTER) shares the state.
                let needsSquares = bound.aggregates.contains { other in
                    (other.function == .varianceSample || other.function == .standardDeviationSample)
                        && other.argument == call.argument && other.filter == call.filter && !other.isDistinct
                }
                merged.merge = .moments(
                    sum: column(try part(moments.name + "#sum")),
                    squares: call.function != .avg || needsSquares ? column(try part(moments.name + "#sumsq")) : nil)
            case .approxCountDistinct:
                guard let hll = aggregate(.hll, of: metric.name) else { throw missing() }
                merged.argument = column(try part(hll.name))
                merged.merge = .distinctSketch
            case .approxQuantile:
                guard let sketch = aggregate(.quantile, of: metric.name) else { throw missing() }
                merged.argument = column(try part(sketch.name))
                merged.merge = .quantileSketch(integer: metric.type == .int64)
            default:
                throw missing()
            }
            out.append(merged)
        }
        return out
    }
}
