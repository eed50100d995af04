import PropertyBased
import StrataCore
import Testing

@Suite("Timestamps")
struct TimestampTests {
    static let oct1 = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay

    static let accepted: [(String, Int64)] = [
        ("2026-10-01 12:34:56.789", oct1 + 45_296_789),
        ("2026-10-01T12:34:56.789Z", oct1 + 45_296_789),
        ("2026-10-01T14:34:56.789+02:00", oct1 + 45_296_789),
        ("2026-10-01T07:34:56.789-0500", oct1 + 45_296_789),
        ("2026-10-01 12:34:56.789123", oct1 + 45_296_789),
        ("2026-10-01 12:34:56.7", oct1 + 45_296_700),
        ("2026-10-01 12:34:56", oct1 + 45_296_000),
        ("2026-10-01 12:34", oct1 + 45_240_000),
        ("2026-10-01", oct1),
        ("1790858096789", 1_790_858_096_789),
        ("-1000", -1000),
    ]

    @Test("accepted text forms parse to the same instant")
    func parses() {
        for (text, expected) in Self.accepted {
            #expect(Timestamp.parse(text) == .success(expected), "\(text)")
        }
    }

    @Test(
        "malformed and out-of-range texts are rejected",
        arguments: [
            "", "2026-13-01", "2026-02-29", "2026-10-01 25:00:00", "2026-10-01X", "2026-10-01 12:34:56.",
            "abc", "2026-10-01T12:00:00+", "12:00", "2026-1-01", "99999999999999999999", "12345-abc",
        ])
    func rejects(text: String) {
        if case .success(let v) = Timestamp.parse(text) { Issue.record("'\(text)' parsed as \(v)") }
    }

    @Test("years past 9999 and year 0 are out of range, not malformed")
    func outOfRange() {
        for text in ["10000-01-01", "294247-01-10 04:00:54", "0000-06-01", "0001-01-01 00:00:00+01:00"] {
            #expect(Timestamp.parse(text) == .failure(.outOfRange), "\(text)")
        }
        #expect(Timestamp.parse("12345-abc") == .failure(.malformed))
    }

    @Test("formatting and parsing round-trip any instant between years 1 and 9999")
    func roundTrip() async {
        await propertyCheck(count: 500, input: Gen.int(in: Int(Timestamp.minimum)...Int(Timestamp.maximum))) { ms in
            let text = Timestamp.format(milliseconds: Int64(ms))
            #expect(Timestamp.parse(text) == .success(Int64(ms)), "\(text)")
        }
    }

    @Test("civil dates round-trip and weekdays match the calendar")
    func civil() async {
        await propertyCheck(count: 500, input: Gen.int(in: -719_162...2_932_896)) { days in
            let (y, m, d) = CivilDate.date(days: days)
            #expect(CivilDate.days(year: y, month: m, day: d) == days)
        }
        #expect(CivilDate.weekday(days: CivilDate.days(year: 2026, month: 10, day: 1)) == 4)  // Thursday
        #expect(CivilDate.weekday(days: 0) == 4)
    }

    @Test("truncation to calendar units (weeks start Monday)")
    func truncation() {
        let t = Self.oct1 + 45_296_789  // Thursday 2026-10-01 12:34:56.789
        #expect(TimeUnit.second.truncate(t) == Self.oct1 + 45_296_000)
        #expect(TimeUnit.hour.truncate(t) == Self.oct1 + 12 * 3_600_000)
        #expect(TimeUnit.day.truncate(t) == Self.oct1)
        #expect(TimeUnit.week.truncate(t) == Self.oct1 - 3 * Timestamp.millisecondsPerDay)
        #expect(TimeUnit.month.truncate(t + 20 * Timestamp.millisecondsPerDay) == Self.oct1)
        #expect(TimeUnit.quarter.truncate(t) == Self.oct1)
        #expect(Timestamp.format(milliseconds: TimeUnit.year.truncate(t)) == "2026-01-01 00:00:00")
        #expect(TimeUnit.month.next(after: t) == Int64(CivilDate.days(year: 2026, month: 11, day: 1)) * 86_400_000)
        #expect(TimeUnit.day.truncate(-1) == -86_400_000)
        #expect(SegmentGranularity.day.chunk(containing: t) == Self.oct1..<(Self.oct1 + 86_400_000))
    }
}
