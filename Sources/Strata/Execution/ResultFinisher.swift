import StrataCore

/// Steps after aggregation that work on result rows: gap filling and post-aggregations.
enum ResultFinisher {
    /// Adds the missing (other keys × time bucket) rows of a time series.
    static func fillGaps(_ rows: [[Value]], query: Query, columns: [QueryResult.Column]) throws(StrataError)
        -> [[Value]]
    {
        guard let gapFill = query.gapFill else { return rows }
        guard let p = query.groupBy.firstIndex(where: { if case .column = $0 { false } else { true } }) else {
            throw StrataError(.invalidArgument, "gap filling needs a time-bucket group key")
        }
        guard !query.intervals.isEmpty else {
            throw StrataError(.invalidArgument, "gap filling needs query intervals to know which buckets to fill")
        }
        var buckets: [Int64] = []
        for interval in query.intervals.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            // Intervals come from users and may be "all time" (`Int64.min..<Int64.max`): only the
            // timestamps a table can hold have buckets, and calendar arithmetic past them would overflow.
            let lower = max(interval.lowerBound, Timestamp.minimum)
            let upper = min(interval.upperBound, Timestamp.maximum + 1)
            guard lower < upper else { continue }
            var t: Int64
            let step: (Int64) -> Int64?
            switch query.groupBy[p] {
            case .timeBucket(let unit):
                t = unit.truncate(lower)
                step = { $0 < Timestamp.maximum ? unit.next(after: $0) : nil }
            case .fixedBucket(let width):
                t = Timestamp.floorDiv(lower, width) * width
                // The bucket holding 0001-01-01 may start before it (see ResultShaper.checkBucketStarts).
                guard t >= Timestamp.minimum else { throw ResultShaper.bucketStartError(width: width, start: t) }
                step = { t in
                    let (next, overflow) = t.addingReportingOverflow(width)
                    return overflow ? nil : next
                }
            case .column:
                continue
            }
            while t < upper {
                if buckets.last.map({ $0 < t }) ?? true { buckets.append(t) }
                // Checked per bucket: an interval of all time in milliseconds must fail here, not fill memory.
                guard buckets.count <= 1_000_000 else {
                    throw StrataError(.limit, "gap filling would add more than 1,000,000 buckets")
                }
                guard let next = step(t) else { break }
                t = next
            }
        }
        let keyCount = query.groupBy.count
        var present = Set<[Value]>()
        var combos: [[Value]] = []
        var seenCombos = Set<[Value]>()
        for row in rows {
            present.insert(Array(row[0..<keyCount]))
            var other = Array(row[0..<keyCount])
            other.remove(at: p)
            if seenCombos.insert(other).inserted { combos.append(other) }
        }
        if combos.isEmpty { combos = [Array(repeating: .null, count: keyCount - 1)] }
        if keyCount == 1 { combos = [[]] }
        let fills: [Value] = query.aggregations.map { a in
            if let v = gapFill.values[a.name] { return v }
            switch a.function {
            case .count, .countDistinct, .approxCountDistinct: return .int64(0)
            default: return .null
            }
        }
        var out = rows
        for combo in combos {
            for bucket in buckets {
                var key = combo
                key.insert(.timestamp(bucket), at: p)
                if !present.contains(key) { out.append(key + fills) }
            }
        }
        return out
    }

    /// Appends each post-aggregation's value to every row.
    static func postAggregate(_ rows: [[Value]], query: Query, columns: [QueryResult.Column]) throws(StrataError)
        -> ([[Value]], [QueryResult.Column])
    {
        guard !query.postAggregations.isEmpty else { return (rows, columns) }
        var names = columns.map { $0.name.lowercased() }
        var outColumns = columns
        for post in query.postAggregations {
            for c in post.expression.columns where !names.contains(c.lowercased()) {
                throw StrataError(.binding, "post-aggregation '\(post.name)' uses unknown output column '\(c)'")
            }
            names.append(post.name.lowercased())
            outColumns.append(.init(name: post.name, type: .double))
        }
        let out = rows.map { row in
            var row = row
            for post in query.postAggregations {
                let current = row
                let value = post.expression.evaluate { name in
                    names.firstIndex(of: name.lowercased()).map { current[$0] }
                }
                row.append(value)
            }
            return row
        }
        return (out, outColumns)
    }
}
