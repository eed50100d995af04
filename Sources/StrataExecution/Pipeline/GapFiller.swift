package import StrataCore

/// Gap filling for time series, after an aggregation: every combination of the other group keys gets a
/// row for every time bucket in the query's intervals; a bucket with no row gets the fill values.
///
/// Rows pass through in their order; the missing rows follow, combination by combination (in the order
/// the combinations first appear), bucket by bucket.
package struct GapFiller: Sendable {
    /// How the time key buckets timestamps.
    package enum Buckets: Sendable, Hashable {
        /// Calendar buckets (`date_trunc`).
        case calendar(TimeUnit)
        /// Fixed-width buckets counted from the Unix epoch.
        case fixed(milliseconds: Int64)
    }

    /// Position of the time-bucket key among the row's keys.
    package var timeKey: Int
    package var keyCount: Int
    package var buckets: Buckets
    /// Half-open intervals of epoch milliseconds whose buckets are filled.
    package var intervals: [Range<Int64>]
    /// The values after the keys of a filled row.
    package var fills: [Value]

    /// More buckets than this is a `limit` error: an interval of all time in milliseconds must fail, not
    /// fill memory.
    package static let maximumBuckets = 1_000_000

    package init(timeKey: Int, keyCount: Int, buckets: Buckets, intervals: [Range<Int64>], fills: [Value]) {
        self.timeKey = timeKey
        self.keyCount = keyCount
        self.buckets = buckets
        self.intervals = intervals
        self.fills = fills
    }

    /// The error for a fixed-width bucket that starts before the first timestamp Strata shows.
    package static func bucketStartError(width: Int64, start: Int64) -> StrataError {
        StrataError(
            .invalidArgument,
            "a \(width) ms time bucket starts at \(start) ms, before the year 0001; use a narrower bucket")
    }

    /// The starts of the buckets the intervals touch, ascending and unique.
    package func bucketStarts() throws(StrataError) -> [Int64] {
        var starts: [Int64] = []
        for interval in intervals.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            // Intervals come from users and may be "all time" (`Int64.min..<Int64.max`): only the
            // timestamps a table can hold have buckets, and calendar arithmetic past them would overflow.
            let lower = max(interval.lowerBound, Timestamp.minimum)
            let upper = min(interval.upperBound, Timestamp.maximum + 1)
            guard lower < upper else { continue }
            var t: Int64
            let step: (Int64) -> Int64?
            switch buckets {
            case .calendar(let unit):
                t = unit.truncate(lower)
                step = { $0 < Timestamp.maximum ? unit.next(after: $0) : nil }
            case .fixed(let width):
                t = Timestamp.floorDiv(lower, width) * width
                // The bucket holding 0001-01-01 may start before it.
                guard t >= Timestamp.minimum else { throw Self.bucketStartError(width: width, start: t) }
                step = { t in
                    let (next, overflow) = t.addingReportingOverflow(width)
                    return overflow ? nil : next
                }
            }
            while t < upper {
                if starts.last.map({ $0 < t }) ?? true { starts.append(t) }
                // Checked per bucket, before the next one is made.
                guard starts.count <= Self.maximumBuckets else {
                    throw StrataError(.limit, "gap filling would add more than 1,000,000 buckets")
                }
                guard let next = step(t) else { break }
                t = next
            }
        }
        return starts
    }

    /// The input rows, then the missing ones. The added rows stay accounted in `context` (the input's
    /// already are), as every operator's output.
    package func fill(_ rows: [[Value]], context: QueryContext) throws(StrataError) -> [[Value]] {
        let starts = try bucketStarts()
        var present = Set<ArraySlice<Value>>()
        var combinations: [[Value]] = []
        var seen = Set<[Value]>()
        for row in rows {
            present.insert(row[0..<keyCount])
            var other = Array(row[0..<keyCount])
            other.remove(at: timeKey)
            if seen.insert(other).inserted { combinations.append(other) }
        }
        // No rows at all: one series of NULL keys (none when the time is the only key).
        if combinations.isEmpty { combinations = [Array(repeating: .null, count: keyCount - 1)] }
        var out = rows
        var held = 0
        for combination in combinations {
            try context.account(&held, to: RowMemory.bytes(rows: out.count - rows.count, columns: keyCount + fills.count))
            for start in starts {
                var key = combination
                key.insert(.timestamp(start), at: timeKey)
                if !present.contains(key[...]) { out.append(key + fills) }
            }
        }
        try context.account(&held, to: RowMemory.bytes(rows: out.count - rows.count, columns: keyCount + fills.count))
        return out
    }
}
