public import Strata
public import StrataCore

/// Answers native queries the slow, obvious way: row at a time over a full scan, collecting each
/// group's input values in arrays and computing aggregates from them directly. Differential tests
/// hold the vectorized engine against it.
public enum ReferenceEvaluator {
    public static func evaluate(_ query: Query, table: Table) throws -> QueryResult {
        let scan = try table.scan()
        let names = scan.columns.map { $0.lowercased() }
        let types = table.spec.storedColumns.map(\.type)
        func lookup(_ row: [Value]) -> (String) -> Value? {
            { name in names.firstIndex(of: name.lowercased()).map { row[$0] } }
        }
        func coerce(_ f: Filter) -> Filter {
            // Text compared with a timestamp column means a timestamp; an integer with a double means a double.
            func lit(_ column: String, _ v: Value) -> Value {
                guard let i = names.firstIndex(of: column.lowercased()) else { return v }
                switch (types[i], v) {
                case (.timestamp, .string(let s)):
                    if case .success(let ms) = Timestamp.parse(s) { return .timestamp(ms) }
                case (.timestamp, .int64(let x)): return .timestamp(x)
                default: break
                }
                return v
            }
            switch f {
            case .compare(let c, let op, let v): return .compare(c, op, lit(c, v))
            case .in(let c, let vs): return .in(c, vs.map { lit(c, $0) })
            case .and(let fs): return .and(fs.map(coerce))
            case .or(let fs): return .or(fs.map(coerce))
            case .not(let x): return .not(coerce(x))
            default: return f
            }
        }
        let filter = query.filter.map(coerce)
        var groupIndex: [[Value]: Int] = [:]
        var groupKeys: [[Value]] = []
        var inputs: [[[Value]]] = []  // group → aggregation → values fed
        var rowCounts: [[Int]] = []  // group → aggregation → rows fed (count(*))
        let timeIndex = 0
        for row in scan.rows {
            guard case .timestamp(let t) = row[timeIndex] else { continue }
            if !query.intervals.isEmpty, !query.intervals.contains(where: { $0.contains(t) }) { continue }
            if let filter, filter.evaluate(lookup(row)) != true { continue }
            let key: [Value] = query.groupBy.map { k in
                switch k {
                case .column(let c): lookup(row)(c) ?? .null
                case .timeBucket(let unit): .timestamp(unit.truncate(t))
                case .fixedBucket(let w): .timestamp(Timestamp.floorDiv(t, w) * w)
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
                if let f = agg.filter.map(coerce), f.evaluate(lookup(row)) != true { continue }
                rowCounts[g][a] += 1
                if let c = agg.column, let v = lookup(row)(c), !v.isNull { inputs[g][a].append(v) }
            }
        }
        if query.groupBy.isEmpty, groupKeys.isEmpty, !query.aggregations.isEmpty {
            groupKeys.append([])
            inputs.append(Array(repeating: [], count: query.aggregations.count))
            rowCounts.append(Array(repeating: 0, count: query.aggregations.count))
        }
        var rows: [[Value]] = []
        for (g, key) in groupKeys.enumerated() {
            var row = key
            for (a, agg) in query.aggregations.enumerated() {
                row.append(aggregate(agg, values: inputs[g][a], rows: rowCounts[g][a]))
            }
            rows.append(row)
        }
        var columns = query.groupBy.map { QueryResult.Column(name: $0.name, type: nil) }
        columns += query.aggregations.map { QueryResult.Column(name: $0.name, type: nil) }
        var result = QueryResult(columns: columns, rows: rows)
        if let having = query.having {
            let out = result.columnNames.map { $0.lowercased() }
            result.rows = result.rows.filter { r in
                having.evaluate { n in out.firstIndex(of: n.lowercased()).map { r[$0] } } == true
            }
        }
        return result
    }

    static func aggregate(_ agg: Aggregation, values: [Value], rows: Int) -> Value {
        let numbers = values.compactMap(\.doubleValue)
        switch agg.function {
        case .count:
            return .int64(Int64(agg.column == nil ? rows : values.count))
        case .countDistinct:
            return .int64(Int64(Set(values).count))
        case .approxCountDistinct:
            // The sketch's error bound is tested on its own; here the point is that the engine feeds
            // every group exactly its values (a HyperLogLog's state depends only on the set of hashes).
            var sketch = HyperLogLog()
            for v in values {
                switch v {
                case .string(let s): sketch.insert(s)
                case .int64(let x), .timestamp(let x): sketch.insert(x)
                case .double(let x): sketch.insert(x)
                case .bool(let b): sketch.insert(Int64(b ? 1 : 0))
                case .decimal(let d): sketch.insert(Int64(truncatingIfNeeded: d.unscaled))
                case .hugeint: sketch.insert(v.description)
                case .null: break
                }
            }
            return .int64(sketch.estimate)
        case .quantile(let q):
            guard !numbers.isEmpty,
                let x = try? ExactQuantile.continuous(sorted: numbers.sorted(by: ExactQuantile.precedes), q: q)
            else { return .null }
            return .double(x)
        case .approxQuantile(let q):
            var sketch = QuantileSketch()
            for x in numbers { sketch.insert(x) }
            guard let x = (try? sketch.quantile(q)) ?? nil else { return .null }
            return .double(x)
        case .sum:
            guard !values.isEmpty else { return .null }
            if case .double = values[0] { return .double(numbers.reduce(0, +)) }
            let total = values.reduce(Int128(0)) { s, v in if case .int64(let x) = v { s + Int128(x) } else { s } }
            // Exact: int64 while it fits, else a 128-bit integer (as the engine answers).
            return Int64(exactly: total).map { .int64($0) } ?? .hugeint(total)
        case .avg:
            guard !values.isEmpty else { return .null }
            if case .int64 = values[0] {
                let total = values.reduce(Int128(0)) { s, v in if case .int64(let x) = v { s + Int128(x) } else { s } }
                return .double(Double(total) / Double(values.count))
            }
            return .double(numbers.reduce(0, +) / Double(numbers.count))
        case .min, .max:
            guard var best = values.first else { return .null }
            for v in values.dropFirst() {
                let c = ValueOrder.compare(v, best) ?? 0
                if agg.function == .min ? c < 0 : c > 0 { best = v }
            }
            return best
        case .varianceSample, .standardDeviationSample:
            guard numbers.count > 1 else { return .null }
            let mean = numbers.reduce(0, +) / Double(numbers.count)
            let variance = numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(numbers.count - 1)
            return .double(agg.function == .varianceSample ? variance : variance.squareRoot())
        }
    }

    /// Whether two results hold the same rows (in any order unless `ordered`), doubles within a
    /// relative tolerance.
    public static func same(_ a: QueryResult, _ b: QueryResult, ordered: Bool = false, tolerance: Double = 1e-9) -> Bool
    {
        guard a.rows.count == b.rows.count, a.columnNames == b.columnNames else { return false }
        func key(_ r: [Value]) -> String {
            r.map { v in if case .double(let d) = v { String(format3(d)) } else { v.description } }.joined(
                separator: "|")
        }
        let x = ordered ? a.rows : a.rows.sorted { key($0) < key($1) }
        let y = ordered ? b.rows : b.rows.sorted { key($0) < key($1) }
        return zip(x, y).allSatisfy { r, s in zip(r, s).allSatisfy { close($0, $1, tolerance) } }
    }

    static func format3(_ d: Double) -> String { String((d * 1000).rounded() / 1000) }

    static func close(_ a: Value, _ b: Value, _ tolerance: Double) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)):
            return x == y || abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-300) || (x.isNaN && y.isNaN)
        case (.int64(let x), .hugeint(let y)), (.hugeint(let y), .int64(let x)):
            // SQL types integer sums HUGEINT; the native API keeps int64 while they fit.
            return Int128(x) == y
        default:
            return a == b
        }
    }
}
