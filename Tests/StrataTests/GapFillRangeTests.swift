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

    @Test("a bucket as wide as Int64.max over all time: two buckets, no overflow")
    func widestBucket() throws {
        let result = try SQLTestTable.database.execute(
            Self.query(.fixedBucket(milliseconds: .max), intervals: [Int64.min..<Int64.max]))
        #expect(result.rows.count == 2)
        let total = result.rows.reduce(Int64(0)) { s, row in if case .int64(let n) = row[1] { s + n } else { s } }
        #expect(total == 200)
    }
}
