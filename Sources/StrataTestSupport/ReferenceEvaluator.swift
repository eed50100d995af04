public import Strata
import StrataCore

/// Answers native queries the slow, obvious way, from the rows a test appended (``ReferenceTable``),
/// never from Strata's storage: row at a time, each group's input values collected in arrays and
/// every aggregate computed from them directly. Approximate aggregates are computed exactly and
/// answered as the interval their documented bound allows. Differential tests hold the engine
/// against it.
public enum ReferenceEvaluator {
    /// Five standard errors of ``HyperLogLog`` (0.81 % each): a deterministic sketch either passes
    /// every run or fails every run, and a failure beyond 4 % would be a bug, not bad luck.
    public static let distinctCountBound = 5 * HyperLogLog.standardError
    /// ``QuantileSketch``'s guarantee: within 1 % of the exact `quantile_cont` value.
    public static let quantileBound = QuantileSketch.relativeAccuracy

    public static func evaluate(_ query: Query, on table: ReferenceTable) throws -> ReferenceAnswer {
        let types = table.spec.inputColumns.map(\.type)
        func lookup(_ row: [Value]) -> (String) -> Value {
            { name in table.index(of: name).map { row[$0] } ?? .null }
        }
        func coerce(_ f: Filter) -> Filter {
            // Text compared with a timestamp column means a timestamp; an integer too.
            func literal(_ column: String, _ v: Value) -> Value {
                guard let i = table.index(of: column), types[i] == .timestamp else { return v }
                switch v {
                case .string(let s): if case .success(let ms) = Timestamp.parse(s) { return .timestamp(ms) }
                case .int64(let x): return .timestamp(x)
                default: break
                }
                return v
            }
            switch f {
            case .compare(let c, let op, let v): return .compare(c, op, literal(c, v))
            case .in(let c, let vs): return .in(c, vs.map { literal(c, $0) })
            case .and(let fs): return .and(fs.map(coerce))
            case .or(let fs): return .or(fs.map(coerce))
            case .not(let x): return .not(coerce(x))
            default: return f
            }
        }
        let filter = query.filter.map(coerce)
        let aggregateFilters = query.aggregations.map { $0.filter.map(coerce) }
        var groupIndex: [[Value]: Int] = [:]
        var groupKeys: [[Value]] = []
        var inputs: [[[Value]]] = []  // group → aggregation → values fed
        var rowCounts: [[Int]] = []  // group → aggregation → rows fed (count(*))
        let hasTime = table.spec.hasTime
        if !hasTime, query.groupBy.contains(where: { if case .column = $0 { false } else { true } }) {
            throw StrataError(.binding, "table '\(table.spec.name)' has no time column to bucket by")
        }
        for row in table.rows {
            // A table without time has every row at the epoch, and intervals do not apply to it.
            var t: Int64 = 0
            if hasTime {
                guard case .timestamp(let time) = row[0] else { continue }
                t = time
                if !query.intervals.isEmpty,
                    !query.intervals.contains(where: { $0.lowerBound <= t && t < $0.upperBound })
                {
                    continue
                }
            }
            let value = lookup(row)
            if let filter, ReferenceFilter.evaluate(filter, value) != true { continue }
            let key: [Value] = query.groupBy.map { k in
                switch k {
                case .column(let c): value(c)
                case .timeBucket(let unit): .timestamp(ReferenceCalendar.truncate(t, to: unit))
                case .fixedBucket(let w): .timestamp(ReferenceCalendar.floorDiv(t, w) * w)
                }
            }
            let g: Int
            if let existing = groupIndex[key] {
                g = existing
            } else {
                g = groupKeys.count
                groupIndex[key] = g
                groupKeys.append(key)
                inputs.append(Array(repeating: [], count: query.aggregations.count))
                rowCounts.append(Array(repeating: 0, count: query.aggregations.count))
            }
            for (a, agg) in query.aggregations.enumerated() {
                if let f = aggregateFilters[a], ReferenceFilter.evaluate(f, value) != true { continue }
                rowCounts[g][a] += 1
                if let c = agg.column {
                    let v = value(c)
                    if !v.isNull { inputs[g][a].append(v) }
                }
            }
        }
        if query.groupBy.isEmpty, groupKeys.isEmpty, !query.aggregations.isEmpty {
            groupKeys.append([])
            inputs.append(Array(repeating: [], count: query.aggregations.count))
            rowCounts.append(Array(repeating: 0, count: query.aggregations.count))
        }
        var rows: [[ReferenceAnswer.Cell]] = []
        for (g, key) in groupKeys.enumerated() {
            var row = key.map { ReferenceAnswer.Cell.exact($0) }
            for (a, agg) in query.aggregations.enumerated() {
                row.append(
                    aggregate(agg, values: inputs[g][a], rows: rowCounts[g][a], fromMoments: table.spec.rollup != nil))
            }
            rows.append(row)
        }
        let names = query.groupBy.map(\.name) + query.aggregations.map(\.name)
        if let having = query.having {
            let out = names.map { $0.lowercased() }
            rows = rows.filter { r in
                ReferenceFilter.evaluate(having) { n in out.firstIndex(of: n.lowercased()).map { r[$0].value } ?? .null
                }
                    == true
            }
        }
        return ReferenceAnswer(columnNames: names, rows: rows)
    }

    /// - Parameter fromMoments: whether the engine answers variances from stored (n, Σx, Σx²), as a
    ///   rolled-up table does: Σx² − (Σx)²/n cancels, so its error is a few ulps of Σx², not of the
    ///   variance; the answer is held to that bound instead of to the two-pass value's digits.
    static func aggregate(_ agg: Aggregation, values: [Value], rows: Int, fromMoments: Bool = false)
        -> ReferenceAnswer.Cell
    {
        let numbers = values.compactMap(\.doubleValue)
        switch agg.function {
        case .count:
            return .exact(.int64(Int64(agg.column == nil ? rows : values.count)))
        case .countDistinct:
            return .exact(.int64(Int64(Set(values).count)))
        case .approxCountDistinct:
            let exact = Double(Set(values).count)
            let slack = exact * distinctCountBound + 2
            return .approximately(.int64(Int64(exact)), (exact - slack)...(exact + slack))
        case .quantile(let q):
            return .exact(quantile(numbers, q).map(Value.double) ?? .null)
        case .approxQuantile(let q):
            guard let (exact, lo, hi) = quantileWithNeighbours(numbers, q) else { return .exact(.null) }
            // QuantileSketch's bound: α·|c|, or α·max(|lo|, |hi|) when the neighbours straddle zero.
            // Integer inputs may be answered rounded to their type, as DuckDB does: half a unit more.
            let scale = (lo < 0) != (hi < 0) ? max(abs(lo), abs(hi)) : abs(exact)
            let slack = quantileBound * scale + (values.first?.dataType == .int64 ? 0.5 : 0) + 1e-9 * scale
            return .approximately(.double(exact), (exact - slack)...(exact + slack))
        case .sum:
            guard let first = values.first else { return .exact(.null) }
            if case .double = first { return .exact(.double(numbers.reduce(0, +))) }
            let total = values.reduce(Int128(0)) { s, v in if case .int64(let x) = v { s + Int128(x) } else { s } }
            // Exact: int64 while it fits, else a 128-bit integer (as the engine answers).
            return .exact(Int64(exactly: total).map { .int64($0) } ?? .hugeint(total))
        case .avg:
            guard !values.isEmpty else { return .exact(.null) }
            if case .int64 = values[0] {
                let total = values.reduce(Int128(0)) { s, v in if case .int64(let x) = v { s + Int128(x) } else { s } }
                return .exact(.double(Double(total) / Double(values.count)))
            }
            return .exact(.double(numbers.reduce(0, +) / Double(numbers.count)))
        case .min, .max:
            guard var best = values.first else { return .exact(.null) }
            for v in values.dropFirst() {
                let c = ReferenceFilter.compare(v, best) ?? 0
                if agg.function == .min ? c < 0 : c > 0 { best = v }
            }
            return .exact(best)
        case .varianceSample, .standardDeviationSample:
            guard numbers.count > 1 else { return .exact(.null) }
            let mean = numbers.reduce(0, +) / Double(numbers.count)
            let variance = numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(numbers.count - 1)
            let exact = agg.function == .varianceSample ? variance : variance.squareRoot()
            guard fromMoments else { return .exact(.double(exact)) }
            let squares = numbers.reduce(0) { $0 + $1 * $1 } / Double(numbers.count - 1)
            let varianceSlack = 1e-12 * squares + 1e-9 * variance
            let slack = agg.function == .varianceSample ? varianceSlack : varianceSlack.squareRoot()
            return .approximately(.double(exact), (exact - slack)...(exact + slack))
        }
    }

    /// DuckDB's `quantile_cont`: with r = q · (n − 1) over the sorted values, lo · (1 − d) + hi · d
    /// (the product of lo fused into the sum, as DuckDB's build computes it); NaN sorts last.
    static func quantile(_ numbers: [Double], _ q: Double) -> Double? {
        quantileWithNeighbours(numbers, q)?.value
    }

    /// The quantile and the two order statistics it interpolates between.
    static func quantileWithNeighbours(_ numbers: [Double], _ q: Double) -> (value: Double, lo: Double, hi: Double)? {
        guard !numbers.isEmpty else { return nil }
        let sorted = numbers.sorted { a, b in a < b || (!a.isNaN && b.isNaN) }
        let r = Double(sorted.count - 1) * q
        let lo = sorted[Int(r.rounded(.down))]
        let hi = sorted[Int(r.rounded(.up))]
        let d = r - r.rounded(.down)
        let x = d == 0 ? lo : (hi * d).addingProduct(lo, 1 - d)
        return (x == 0 ? 0 : x, lo, hi)
    }

    /// Whether two results hold the same rows (in any order unless `ordered`), doubles within a
    /// relative tolerance. For comparing two engine answers (say a raw and a rolled-up table); an
    /// answer is held against the reference with ``ReferenceAnswer/matches(_:tolerance:)``.
    public static func same(_ a: QueryResult, _ b: QueryResult, ordered: Bool = false, tolerance: Double = 1e-9) -> Bool
    {
        guard a.rows.count == b.rows.count, a.columnNames == b.columnNames else { return false }
        let x = ordered ? a.rows : a.rows.sorted { ReferenceAnswer.key($0) < ReferenceAnswer.key($1) }
        let y = ordered ? b.rows : b.rows.sorted { ReferenceAnswer.key($0) < ReferenceAnswer.key($1) }
        return zip(x, y).allSatisfy { r, s in zip(r, s).allSatisfy { ReferenceAnswer.close($0, $1, tolerance) } }
    }
}
