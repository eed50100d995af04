public import StrataCore

/// Turns rows of one time chunk into segment order: string dictionaries sorted, rows sorted by
/// (time, sort key), and — for rolled-up tables — rows with equal (truncated time, dimensions)
/// merged into one whose aggregate columns hold the merged states.
///
/// Works on stored columns (``TableSpec/storedColumns``), so that the same code re-rolls-up
/// segments during compaction; ``initialStates(spec:input:)`` turns raw input rows into
/// single-row states first.
public enum SegmentBuilder {
    /// Converts input columns (time, dimensions, metrics, in ``TableSpec/storedInputColumns`` order) into
    /// stored columns: unchanged without rollup; with rollup, each row becomes a one-row aggregate
    /// state and its timestamp is truncated to the rollup granularity.
    public static func initialStates(spec: TableSpec, input: [ColumnData]) -> [ColumnData] {
        guard let rollup = spec.rollup else { return input }
        let rowCount = input[0].count
        var out: [ColumnData] = []
        if case .int64(let times, _) = input[0] {
            out.append(.int64(times.map { rollup.granularity.truncate($0) }, validity: nil))
        }
        out += input[1..<(1 + spec.dimensions.count)]
        func metric(_ name: String?) -> ColumnData? {
            guard let index = spec.metrics.firstIndex(where: { $0.name == name }) else { return nil }
            return input[1 + spec.dimensions.count + index]
        }
        for agg in rollup.aggregates {
            switch agg.type {
            case .count:
                out.append(.int64([Int64](repeating: 1, count: rowCount), validity: nil))
            case .sum, .min, .max:
                if let source = metric(agg.column) { out.append(source) }
            case .moments:
                guard let source = metric(agg.column) else { continue }
                var n = [Int64](repeating: 0, count: rowCount)
                var sum = [Double](repeating: 0, count: rowCount)
                var sumsq = [Double](repeating: 0, count: rowCount)
                for i in 0..<rowCount where !source.isNull(i) {
                    let x: Double
                    switch source {
                    case .int64(let v, _): x = Double(v[i])
                    case .double(let v, _): x = v[i]
                    default: continue
                    }
                    n[i] = 1
                    sum[i] = x
                    sumsq[i] = x * x
                }
                out.append(.int64(n, validity: nil))
                out.append(.double(sum, validity: nil))
                out.append(.double(sumsq, validity: nil))
            case .hll, .quantile:
                guard let source = metric(agg.column) else { continue }
                out.append(SketchStates.initial(agg.type, of: source))
            }
        }
        return out
    }

    /// Sorts (and with rollup, merges) stored-column rows into segment order.
    /// - Parameter data: one ``ColumnData`` per ``TableSpec/storedColumns`` entry.
    public static func build(spec: TableSpec, data: [ColumnData]) -> [ColumnData] {
        let columns = spec.storedColumns
        // Table-wide codes stay as they are; segment dictionaries are sorted so codes follow values.
        var data = zip(columns, data).map { column, values in
            column.tableDictionary ? values : values.sortedDictionary()
        }
        let rowCount = data[0].count
        guard rowCount > 0 else { return data }
        let dimensionIndexes = Array(1..<(1 + spec.dimensions.count))
        let sortKey =
            spec.sortKey ?? spec.dimensions.filter { $0.type == .string && $0.bitmapIndex != false }.map(\.name)
        var keyColumns = sortKey.compactMap { name in columns.firstIndex { $0.name == name } }
        if spec.rollup != nil {
            keyColumns += dimensionIndexes.filter { !keyColumns.contains($0) }
        }
        let granularity = spec.sortTimeGranularity ?? spec.rollup?.granularity ?? QueryGranularity.none
        let permutation =
            packedSortPermutation(data: data, granularity: granularity, keyColumns: keyColumns)
            ?? sortPermutation(data: data, granularity: granularity, keyColumns: keyColumns)
        data = data.map { $0.permuted(permutation) }
        guard spec.rollup != nil else { return data }
        return RollupMerger.merge(columns: columns, data: data, keyColumns: [0] + dimensionIndexes)
    }

    /// Sort by comparator: (truncated time, key columns, time, arrival). The general fallback.
    package static func sortPermutation(data: [ColumnData], granularity: QueryGranularity, keyColumns: [Int]) -> [Int32]
    {
        let rowCount = data[0].count
        var permutation = (0..<Int32(rowCount)).map { $0 }
        guard case .int64(let times, _) = data[0] else { return permutation }
        let truncated = granularity == .none ? times : times.map { granularity.truncate($0) }
        let rest = keyColumns.map { data[$0] }
        permutation.sort { a, b in
            let ta = truncated[Int(a)]
            let tb = truncated[Int(b)]
            if ta != tb { return ta < tb }
            for column in rest {
                let c = compare(column, Int(a), Int(b))
                if c != 0 { return c < 0 }
            }
            if times[Int(a)] != times[Int(b)] { return times[Int(a)] < times[Int(b)] }
            return a < b  // stable: equal keys keep arrival order
        }
        return permutation
    }

    /// The same order from packed integer keys when every key column is a string or boolean and the
    /// codes fit in 64 bits: the time bucket and the codes packed into one word, exact time in another.
    /// Much faster than comparing column by column. `nil` when the keys do not pack.
    package static func packedSortPermutation(data: [ColumnData], granularity: QueryGranularity, keyColumns: [Int])
        -> [Int32]?
    {
        guard case .int64(let times, _) = data[0], let first = times.min(), let last = times.max() else { return nil }
        var widths: [Int] = []
        for c in keyColumns {
            switch data[c] {
            case .string(let dictionary, let codes, _):
                let largest = dictionary.isEmpty ? Int(codes.max() ?? 0) + 1 : dictionary.count
                widths.append(BitPacking.width(for: UInt64(largest)))
            case .bool: widths.append(2)
            default: return nil
            }
        }
        let base = granularity.truncate(first)
        let bucketWidth: Int64 =
            switch granularity {
            case .none: 1
            case .second: 1000
            case .minute: 60_000
            case .hour: 3_600_000
            case .day: 86_400_000
            }
        let bucketBits = BitPacking.width(for: UInt64((granularity.truncate(last) - base) / bucketWidth))
        let codeBits = widths.reduce(0, +)
        let rowCount = times.count
        var keys = [UInt64](repeating: 0, count: rowCount)
        for (c, width) in zip(keyColumns, widths) {
            switch data[c] {
            case .string(_, let codes, let validity):
                // Nulls first: code + 1, 0 for null.
                for i in 0..<rowCount {
                    keys[i] = keys[i] << UInt64(width) | ((validity?[i] ?? true) ? UInt64(codes[i]) + 1 : 0)
                }
            case .bool(let values, let validity):
                for i in 0..<rowCount { keys[i] = keys[i] << 2 | ((validity?[i] ?? true) ? (values[i] ? 2 : 1) : 0) }
            default:
                return nil
            }
        }
        var entries: [(UInt64, UInt64, Int32)]
        if granularity == .none {
            guard codeBits <= 64 else { return nil }
            entries = (0..<rowCount).map { (UInt64(bitPattern: times[$0] &- first), keys[$0], Int32($0)) }
        } else {
            guard bucketBits + codeBits <= 64 else { return nil }
            entries = (0..<rowCount).map { i in
                let bucket = UInt64((granularity.truncate(times[i]) - base) / bucketWidth)
                let primary = codeBits == 64 ? keys[i] : bucket << UInt64(codeBits) | keys[i]
                return (primary, UInt64(bitPattern: times[i] &- first), Int32(i))
            }
        }
        entries.sort { a, b in a.0 != b.0 ? a.0 < b.0 : (a.1 != b.1 ? a.1 < b.1 : a.2 < b.2) }
        return entries.map(\.2)
    }

    /// Orders two rows of one column: nulls first, then values (strings by code, which is value order).
    static func compare(_ column: ColumnData, _ a: Int, _ b: Int) -> Int {
        let na = column.isNull(a)
        let nb = column.isNull(b)
        if na || nb { return na == nb ? 0 : (na ? -1 : 1) }
        switch column {
        case .int64(let v, _): return v[a] == v[b] ? 0 : (v[a] < v[b] ? -1 : 1)
        case .double(let v, _): return v[a] == v[b] ? 0 : (v[a] < v[b] ? -1 : 1)
        case .bool(let v, _): return v[a] == v[b] ? 0 : (!v[a] ? -1 : 1)
        case .string(_, let c, _): return c[a] == c[b] ? 0 : (c[a] < c[b] ? -1 : 1)
        case .sketch: return 0  // states, never keys
        }
    }
}
