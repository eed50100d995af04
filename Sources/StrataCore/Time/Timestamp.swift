/// Timestamps are `Int64` milliseconds since the Unix epoch, UTC. This namespace parses, formats
/// and truncates them.
public enum Timestamp {
    public static let millisecondsPerSecond: Int64 = 1000
    public static let millisecondsPerMinute: Int64 = 60_000
    public static let millisecondsPerHour: Int64 = 3_600_000
    public static let millisecondsPerDay: Int64 = 86_400_000

    /// Smallest and largest accepted instants: years 0001 through 9999.
    public static let minimum: Int64 = Int64(CivilDate.days(year: 1, month: 1, day: 1)) * millisecondsPerDay
    public static let maximum: Int64 = Int64(CivilDate.days(year: 10000, month: 1, day: 1)) * millisecondsPerDay - 1

    /// Formats as `YYYY-MM-DD HH:MM:SS.mmm` (the dataset's and DuckDB's text form), dropping a zero
    /// millisecond part.
    public static func format(milliseconds ms: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        append(milliseconds: ms, to: &bytes, alwaysMilliseconds: false)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text form to a byte buffer (no intermediate `String`).
    public static func append(milliseconds ms: Int64, to out: inout [UInt8], alwaysMilliseconds: Bool) {
        let days = Int(floorDiv(ms, millisecondsPerDay))
        let rem = Int(ms - Int64(days) * millisecondsPerDay)
        let (y, m, d) = CivilDate.date(days: days)
        appendDigits(y, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(m, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(d, width: 2, to: &out)
        out.append(UInt8(ascii: " "))
        appendDigits(rem / 3_600_000, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(rem / 60_000 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(rem / 1000 % 60, width: 2, to: &out)
        let millis = rem % 1000
        if alwaysMilliseconds || millis != 0 {
            out.append(UInt8(ascii: "."))
            appendDigits(millis, width: 3, to: &out)
        }
    }

    /// Formats a day number as `YYYY-MM-DD`.
    public static func formatDate(days: Int) -> String {
        var out: [UInt8] = []
        let (y, m, d) = CivilDate.date(days: days)
        appendDigits(y, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(m, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(d, width: 2, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable
    static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        var v = value
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0 && n < 6
            while n < width {
                buf[n] = 48
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
    }

    /// Floor division (rounds toward negative infinity), for truncating pre-1970 instants.
    @inlinable
    /// The midnight (UTC) of the day holding `ms`, a DATE's value. An instant outside the years 0001-9999 comes
    /// back as it is, for the caller's range check to refuse: cutting `Int64.min` to its day would overflow.
    public static func dayStart(_ ms: Int64) -> Int64 {
        ms >= minimum && ms <= maximum ? TimeUnit.day.truncate(ms) : ms
    }

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
