/// Proleptic Gregorian calendar arithmetic on integers (Howard Hinnant's days-from-civil), so
/// the generators format dates without Foundation's `Calendar` or `DateFormatter`.
enum DatasetCalendar {
    static let millisPerDay: Int64 = 86_400_000

    /// Days since 1970-01-01 of a civil date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a count of days since 1970-01-01.
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Day of the week of a count of days since 1970-01-01: 0 = Sunday … 6 = Saturday.
    static func weekday(days: Int) -> Int {
        let w = (days + 4) % 7
        return w < 0 ? w + 7 : w
    }

    /// `YYYY-MM-DD` of a count of days since 1970-01-01 (years 0…9999).
    static func dateText(days: Int) -> String {
        let (y, m, d) = civilFromDays(days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendDigits(y, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(m, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(d, count: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm` of milliseconds since the Unix epoch (UTC).
    static func timestampText(millis: Int64) -> String {
        var days = millis / millisPerDay
        var rest = millis % millisPerDay
        if rest < 0 {
            rest += millisPerDay
            days -= 1
        }
        var bytes = Array(dateText(days: Int(days)).utf8)
        bytes.append(UInt8(ascii: " "))
        let r = Int(rest)
        appendDigits(r / 3_600_000, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(r / 60_000 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(r / 1000 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(r % 1000, count: 3, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var v = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }
}
