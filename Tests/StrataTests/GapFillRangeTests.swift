import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Gap filling over intervals and bucket widths from users: "all time" and widths near `Int64.max`
/// are clear answers or `limit` errors, never an arithmetic trap.
@Suite("Gap filling at the edges of time")
struct GapFillRangeTests {
    static func query(_ key: GroupKey, intervals: [Range<Int64>]) -> Query {
        Query(
            table: "events", intervals: intervals, groupBy: [key], aggregations: [Aggregation("n", .count)],
            gapFill: GapFill())
    }

    @Test("an all-time interval in days is too many buckets: a limit error")
    func allTimeDays() {
        let error = #expect(throws: StrataError.self) {
            try SQLTestTable.database.execute(Self.query(.timeBucket(.day), intervals: [Int64.min..<Int64.max]))
        }
        #expect(error?.code == .limit)
        #expect(error?.message.contains("1,000,000 buckets") == true)
    }

    @Test("an all-time interval in years fills the years 0001 to 9999")
    func allTimeYears() throws {
        let result = try SQLTestTable.database.execute(
            Self.query(.timeBucket(.year), intervals: [Int64.min..<Int64.max]))
        #expect(result.rows.count == 9999)
    }

    @Test("a bucket as wide as Int64.max: filling all time would start before year 1, an error")
    func widestBucket() throws {
        let all = Self.query(.fixedBucket(milliseconds: .max), intervals: [Int64.min..<Int64.max])
        let error = #expect(throws: StrataError.self) { try SQLTestTable.database.execute(all) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("before the year 0001") == true, "\(String(describing: error))")
        // Without gap filling, data from 2026 is in the bucket starting at the epoch.
        var plain = all
        plain.gapFill = nil
        plain.intervals = []
        #expect(try SQLTestTable.database.execute(plain).rows == [[.timestamp(0), .int64(200)]])
    }

    @Test("1000-year buckets filled from the year 1000: ten of them, the first starting in 970")
    func wideBucket() throws {
        let width: Int64 = 1000 * 365 * Timestamp.millisecondsPerDay
        let start = try Timestamp.parse("1000-01-01").get()
        let filled = try SQLTestTable.database.execute(
            Self.query(.fixedBucket(milliseconds: width), intervals: [start..<Int64.max]))
        #expect(filled.rows.count == 10)
        let starts = filled.rows.compactMap { row -> Int64? in if case .timestamp(let t) = row[0] { t } else { nil } }
        #expect(starts.min() == -width)
    }
}
