import StrataCore

/// Merges adjacent rows with equal keys (already sorted) into one row of merged aggregate states.
enum RollupMerger {
    static func merge(columns: [StoredColumn], data: [ColumnData], keyColumns: [Int]) -> [ColumnData] {
        let rowCount = data[0].count
        // Run starts: a row starts a run when any key differs from the previous row.
        var starts: [Int] = [0]
        for i in 1..<max(rowCount, 1)
        where keyColumns.contains(where: { SegmentBuilder.compare(data[$0], i - 1, i) != 0 }) {
            starts.append(i)
        }
        let ends = Array(starts.dropFirst()) + [rowCount]
        if starts.count == rowCount { return data }
        return zip(columns, data).map { column, values in
            switch column.role {
            case .time, .dimension, .metric:
                return values.permuted(starts.map { Int32($0) })
            case .aggregate(let kind, _):
                return mergeStates(values, kind: kind, starts: starts, ends: ends)
            }
        }
    }

    private static func mergeStates(_ values: ColumnData, kind: AggregatorKind, starts: [Int], ends: [Int])
        -> ColumnData
    {
        switch values {
        case .int64(let v, let validity):
            var out = [Int64](repeating: 0, count: starts.count)
            var outValidity = Bitset(count: starts.count, value: true)
            for (k, (s, e)) in zip(starts, ends).enumerated() {
                var acc: Int64?
                for i in s..<e where validity?[i] ?? true {
                    let x = v[i]
                    acc =
                        acc.map { a in
                            switch kind {
                            case .min: Swift.min(a, x)
                            case .max: Swift.max(a, x)
                            default: a &+ x
                            }
                        } ?? x
                }
                if let acc { out[k] = acc } else { outValidity[k] = false }
            }
            return .int64(out, validity: outValidity.isAllSet ? nil : outValidity)
        case .double(let v, let validity):
            var out = [Double](repeating: 0, count: starts.count)
            var outValidity = Bitset(count: starts.count, value: true)
            for (k, (s, e)) in zip(starts, ends).enumerated() {
                var acc: Double?
                for i in s..<e where validity?[i] ?? true {
                    let x = v[i]
                    acc =
                        acc.map { a in
                            switch kind {
                            case .min: Swift.min(a, x)
                            case .max: Swift.max(a, x)
                            default: a + x
                            }
                        } ?? x
                }
                if let acc { out[k] = acc } else { outValidity[k] = false }
            }
            return .double(out, validity: outValidity.isAllSet ? nil : outValidity)
        case .sketch:
            return SketchStates.merge(values, kind: kind, starts: starts, ends: ends)
        case .bool, .string:
            return values.permuted(starts.map { Int32($0) })
        }
    }
}
