package import StrataCore

/// DuckDB's date and time functions beyond `date_trunc`, `time_bucket` and `date_part` (whose shorthands
/// `year(ts)`, `month(ts)`, … the binder turns into `date_part`). Timestamps are UTC, in milliseconds.
package enum CalendarFunction: Hashable, Sendable {
    case dayName, monthName
    /// The last day of the month, as a DATE.
    case lastDay
    /// `date_diff(part, a, b)`: the number of `part` boundaries from `a` to `b` (calendar months, days, …).
    case dateDiff(TimeUnit)
    /// `date_sub(part, a, b)`: the number of whole `part`s from `a` to `b`.
    case dateSub(TimeUnit)
    case strftime(DateFormat)
    /// `strptime(text, format)`: an error when `text` does not match, or NULL (`try_strptime`).
    case strptime(DateFormat, nullOnFailure: Bool)
    /// `make_date(year, month, day)`.
    case makeDate
    /// `make_timestamp(year, month, day, hour, minute, seconds)`, or of one BIGINT of epoch microseconds.
    case makeTimestamp
    /// `to_timestamp(seconds)`: DOUBLE seconds since the epoch.
    case toTimestamp

    package var resultType: SQLValueType {
        switch self {
        case .dayName, .monthName, .strftime: .varchar
        case .lastDay, .makeDate: .date
        case .dateDiff, .dateSub: .bigint
        case .strptime, .makeTimestamp, .toTimestamp: .timestamp
        }
    }

    /// Whether some input raises an error (an invalid date, text that does not parse, out of range).
    var canFail: Bool {
        switch self {
        case .strptime(_, let nullOnFailure): !nullOnFailure
        case .makeDate, .makeTimestamp, .toTimestamp: true
        default: false
        }
    }

    var name: String {
        switch self {
        case .dayName: "dayname"
        case .monthName: "monthname"
        case .lastDay: "last_day"
        case .dateDiff(let unit): "date_diff('\(unit.rawValue)')"
        case .dateSub(let unit): "date_sub('\(unit.rawValue)')"
        case .strftime(let format): "strftime(\(format))"
        case .strptime(let format, let nullOnFailure): "\(nullOnFailure ? "try_" : "")strptime(\(format))"
        case .makeDate: "make_date"
        case .makeTimestamp: "make_timestamp"
        case .toTimestamp: "to_timestamp"
        }
    }

    // MARK: The rules for one value

    static func dayName(_ ms: Int64) -> String {
        DateFormat.dayNames[CivilDate.weekday(days: Int(Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay))) - 1]
    }

    static func monthName(_ ms: Int64) -> String {
        DateFormat.monthNames[CivilDate.date(days: Int(Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay))).month - 1]
    }

    static func lastDay(_ ms: Int64) -> Int64 {
        let (y, m, _) = CivilDate.date(days: Int(Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay)))
        return Int64(CivilDate.days(year: y, month: m, day: CivilDate.daysInMonth(year: y, month: m)))
            * Timestamp.millisecondsPerDay
    }

    /// Calendar months since year 0 of the instant, and its day and time within the month.
    private static func monthPosition(_ ms: Int64) -> (months: Int64, day: Int, timeOfDay: Int64, monthLength: Int) {
        let day = Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay)
        let (y, m, d) = CivilDate.date(days: Int(day))
        return (
            Int64(y) * 12 + Int64(m - 1), d, ms - day * Timestamp.millisecondsPerDay,
            CivilDate.daysInMonth(year: y, month: m)
        )
    }

    /// The milliseconds of a fixed-length unit.
    private static func width(_ unit: TimeUnit) -> Int64 {
        switch unit {
        case .millisecond: 1
        case .second: Timestamp.millisecondsPerSecond
        case .minute: Timestamp.millisecondsPerMinute
        case .hour: Timestamp.millisecondsPerHour
        case .day: Timestamp.millisecondsPerDay
        default: 7 * Timestamp.millisecondsPerDay
        }
    }

    /// DuckDB's `date_diff`: months, quarters and years by calendar field, days by date, weeks as whole
    /// weeks of those days, and the time units by the boundaries crossed since the epoch.
    static func dateDiff(_ unit: TimeUnit, _ a: Int64, _ b: Int64) -> Int64 {
        switch unit {
        case .year, .quarter, .month:
            let (x, y) = (monthPosition(a).months, monthPosition(b).months)
            switch unit {
            case .year: return Timestamp.floorDiv(y, 12) - Timestamp.floorDiv(x, 12)
            case .quarter: return Timestamp.floorDiv(y, 3) - Timestamp.floorDiv(x, 3)
            default: return y - x
            }
        case .day, .week:
            let days =
                Timestamp.floorDiv(b, Timestamp.millisecondsPerDay)
                - Timestamp.floorDiv(a, Timestamp.millisecondsPerDay)
            return unit == .day ? days : days / 7
        default:
            // The unit boundaries between the two instants (before the epoch too).
            let w = width(unit)
            return Timestamp.floorDiv(b, w) - Timestamp.floorDiv(a, w)
        }
    }

    /// DuckDB's `date_sub`: whole months (a month ends at the same day and time of a later month, or at the
    /// end of a shorter one), quarters and years of them; fixed units as whole multiples of their length.
    static func dateSub(_ unit: TimeUnit, _ a: Int64, _ b: Int64) -> Int64 {
        switch unit {
        case .year, .quarter, .month:
            let negative = a > b
            let (start, end) = negative ? (monthPosition(b), monthPosition(a)) : (monthPosition(a), monthPosition(b))
            var months = end.months - start.months
            let endIsMonthEnd = end.day == end.monthLength
            if start.day > end.day, !endIsMonthEnd {
                months -= 1
            } else if start.day >= end.day, end.timeOfDay < start.timeOfDay {
                months -= 1
            }
            let whole = unit == .year ? months / 12 : unit == .quarter ? months / 3 : months
            return negative ? -whole : whole
        default:
            return (b - a) / width(unit)
        }
    }

    static func makeDate(_ year: Int64, _ month: Int64, _ day: Int64) throws(StrataError) -> Int64 {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Int64(CivilDate.daysInMonth(year: Int(year), month: Int(month)))).contains(day)
        else {
            throw StrataError(.invalidArgument, "make_date(\(year), \(month), \(day)) is not a date Strata holds")
        }
        return Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day))) * Timestamp.millisecondsPerDay
    }

    static func makeTimestamp(_ fields: [Int64], seconds: Double) throws(StrataError) -> Int64 {
        let date = try makeDate(fields[0], fields[1], fields[2])
        let (hour, minute) = (fields[3], fields[4])
        guard (0...23).contains(hour), (0...59).contains(minute), seconds >= 0, seconds < 60 else {
            throw StrataError(
                .invalidArgument, "make_timestamp: \(hour):\(minute):\(seconds) is not a time of day")
        }
        return date + hour * Timestamp.millisecondsPerHour + minute * Timestamp.millisecondsPerMinute
            + Int64((seconds * 1000).rounded(.down))
    }

    static func toTimestamp(_ seconds: Double) throws(StrataError) -> Int64 {
        let ms = (seconds * 1000).rounded(.down)
        guard ms.isFinite, ms >= Double(Timestamp.minimum), ms <= Double(Timestamp.maximum) else {
            throw StrataError(
                .invalidArgument, "to_timestamp(\(seconds)) is out of the timestamp range (years 1 to 9999)")
        }
        return Int64(ms)
    }
}
