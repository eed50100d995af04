import StrataCore
import StrataExecution

/// Lets queries on a rolled-up table name the original metrics: `count` of rows, `sum`, `min`,
/// `max`, `avg`, `count`, `varianceSample`, `standardDeviationSample`, `approxCountDistinct` and
/// `approxQuantile` of an input metric are answered from the stored aggregator states (sums of counts
/// and sums, min of mins, merged moments, merged HyperLogLog and quantile sketches).
///
/// The query is rewritten into hidden aggregations over stored columns; each visible output is then
/// computed from them. Aggregations over stored columns pass through unchanged.
struct RollupRewriter {
    enum Output {
        /// The hidden aggregation at this index, unchanged.
        case passThrough(Int)
        /// A count answered as the sum of stored counts at this index: 0, not NULL, when no row matched.
        case count(Int)
        /// Σsum / Σn.
        case mean(sum: Int, count: Int)
        /// From Σn, Σx, Σx²: (Σx² − (Σx)²/n) / (n − 1), or its square root.
        case variance(count: Int, sum: Int, squares: Int, standardDeviation: Bool)
        /// The stored sketch's quantile of an integer metric, rounded back to an integer (as on the raw table).
        case integerQuantile(Int)
    }

    let inner: Query
    let outputs: [(name: String, output: Output, type: DataType?)]

    /// `nil` when the table has no rollup or the query names only stored columns.
    static func rewrite(_ query: Query, spec: TableSpec) throws(StrataError) -> RollupRewriter? {
        guard let rollup = spec.rollup else { return nil }
        let stored = Set(spec.storedColumns.map { $0.name.lowercased() })
        let needsRewrite = query.aggregations.contains { a in
            a.column.map { !stored.contains($0.lowercased()) } ?? true
        }
        guard needsRewrite else { return nil }
        func aggregate(_ kind: AggregatorKind, of metric: String) -> AggregateSpec? {
            rollup.aggregates.first { $0.type == kind && $0.column?.lowercased() == metric.lowercased() }
        }
        var hidden: [Aggregation] = []
        func add(_ name: String, _ function: AggregateFunction, _ column: String, _ filter: Filter?) -> Int {
            hidden.append(Aggregation("__\(hidden.count)_\(name)", function, column: column, filter: filter))
            return hidden.count - 1
        }
        var outputs: [(String, Output, DataType?)] = []
        for a in query.aggregations {
            guard let column = a.column else {
                guard let count = rollup.aggregates.first(where: { $0.type == .count }) else {
                    throw StrataError(
                        .unsupported, "count of rows needs a count aggregate in the rollup of '\(spec.name)'")
                }
                outputs.append((a.name, .count(add(a.name, .sum, count.name, a.filter)), .int64))
                continue
            }
            if stored.contains(column.lowercased()) {
                outputs.append((a.name, .passThrough(add(a.name, a.function, column, a.filter)), nil))
                continue
            }
            guard let metric = spec.metrics.first(where: { $0.name.lowercased() == column.lowercased() }) else {
                throw StrataError(.binding, "no column '\(column)' in table '\(spec.name)'")
            }
            let moments = aggregate(.moments, of: metric.name)
            func missing() -> StrataError {
                StrataError(
                    .unsupported,
                    "\(a.function) of '\(metric.name)' is not available after rollup: "
                        + "the rollup keeps no aggregator state it can be computed from")
            }
            switch a.function {
            case .sum:
                if let s = aggregate(.sum, of: metric.name) {
                    outputs.append((a.name, .passThrough(add(a.name, .sum, s.name, a.filter)), metric.type))
                } else if let moments {
                    outputs.append((a.name, .passThrough(add(a.name, .sum, moments.name + "#sum", a.filter)), .double))
                } else {
                    throw missing()
                }
            case .min, .max:
                guard let m = aggregate(a.function == .min ? .min : .max, of: metric.name) else { throw missing() }
                outputs.append((a.name, .passThrough(add(a.name, a.function, m.name, a.filter)), metric.type))
            case .count:
                guard let moments else { throw missing() }
                outputs.append((a.name, .count(add(a.name, .sum, moments.name + "#n", a.filter)), .int64))
            case .avg:
                guard let moments else { throw missing() }
                let sum = add(a.name, .sum, moments.name + "#sum", a.filter)
                let count = add(a.name, .sum, moments.name + "#n", a.filter)
                outputs.append((a.name, .mean(sum: sum, count: count), .double))
            case .varianceSample, .standardDeviationSample:
                guard let moments else { throw missing() }
                let count = add(a.name, .sum, moments.name + "#n", a.filter)
                let sum = add(a.name, .sum, moments.name + "#sum", a.filter)
                let squares = add(a.name, .sum, moments.name + "#sumsq", a.filter)
                let output = Output.variance(
                    count: count, sum: sum, squares: squares, standardDeviation: a.function == .standardDeviationSample)
                outputs.append((a.name, output, .double))
            case .approxCountDistinct:
                guard let hll = aggregate(.hll, of: metric.name) else { throw missing() }
                outputs.append((a.name, .passThrough(add(a.name, .approxCountDistinct, hll.name, a.filter)), .int64))
            case .approxQuantile:
                guard let sketch = aggregate(.quantile, of: metric.name) else { throw missing() }
                let hidden = add(a.name, a.function, sketch.name, a.filter)
                outputs.append(
                    metric.type == .int64
                        ? (a.name, .integerQuantile(hidden), .int64) : (a.name, .passThrough(hidden), .double))
            default:
                throw missing()
            }
        }
        var inner = query
        inner.aggregations = hidden
        inner.having = nil
        inner.orderBy = []
        inner.limit = nil
        inner.offset = 0
        inner.postAggregations = []
        inner.gapFill = nil
        return RollupRewriter(inner: inner, outputs: outputs)
    }

    /// The visible result from the hidden one (before post-aggregation, HAVING and ORDER BY).
    func finish(_ hiddenResult: QueryResult, query: Query) throws(StrataError) -> QueryResult {
        let keyCount = query.groupBy.count
        var columns = Array(hiddenResult.columns[0..<keyCount])
        for (name, output, type) in outputs {
            var t = type
            if case .passThrough(let i) = output, t == nil { t = hiddenResult.columns[keyCount + i].type }
            columns.append(.init(name: name, type: t))
        }
        var rows = hiddenResult.rows.map { row -> [Value] in
            var out = Array(row[0..<keyCount])
            for (_, output, _) in outputs {
                func v(_ i: Int) -> Value { row[keyCount + i] }
                switch output {
                case .passThrough(let i):
                    out.append(v(i))
                case .integerQuantile(let i):
                    out.append(v(i).doubleValue.map { .int64(QuantileSketch.integerValue($0)) } ?? .null)
                case .count(let i):
                    out.append(v(i).isNull ? .int64(0) : v(i))
                case .mean(let sum, let count):
                    guard let s = v(sum).doubleValue, let n = v(count).doubleValue, n > 0 else {
                        out.append(.null)
                        continue
                    }
                    out.append(.double(s / n))
                case .variance(let count, let sum, let squares, let sd):
                    guard let n = v(count).doubleValue, n > 1, let s = v(sum).doubleValue,
                        let q = v(squares).doubleValue
                    else {
                        out.append(.null)
                        continue
                    }
                    let variance = max(0, (q - s * s / n) / (n - 1))
                    out.append(.double(sd ? variance.squareRoot() : variance))
                }
            }
            return out
        }
        rows = try ResultFinisher.fillGaps(rows, query: query, columns: columns)
        (rows, columns) = try ResultFinisher.postAggregate(rows, query: query, columns: columns)
        return try ResultShaper.shape(
            QueryResult(columns: columns, rows: rows, stats: hiddenResult.stats), query: query)
    }
}
