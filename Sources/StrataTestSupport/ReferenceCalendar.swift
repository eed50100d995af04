public import StrataCore

/// Calendar arithmetic for the reference evaluator, written apart from StrataCore's (days from
/// civil dates by Howard Hinnant's algorithms) so that a bug in Strata's bucketing cannot hide
/// in both answers.
public enum ReferenceCalendar {
    static let day: Int64 = 86_400_000

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Truncates to a rollup / sort granularity (fixed widths).
    public static func truncate(_ ms: Int64, to granularity: QueryGranularity) -> Int64 {
        let width: Int64 =
            switch granularity {
            case .none: 1
            case .second: 1000
            case .minute: 60_000
            case .hour: 3_600_000
            case .day: day
            }
        return floorDiv(ms, width) * width
    }

    /// Truncates to a calendar unit; weeks start on Monday (1970-01-01 was a Thursday).
    public static func truncate(_ ms: Int64, to unit: TimeUnit) -> Int64 {
        switch unit {
        case .millisecond: return ms
        case .second: return floorDiv(ms, 1000) * 1000
        case .minute: return floorDiv(ms, 60_000) * 60_000
        case .hour: return floorDiv(ms, 3_600_000) * 3_600_000
        case .day: return floorDiv(ms, day) * day
        case .week:
            let days = floorDiv(ms, day)
            let sinceMonday = ((days + 3) % 7 + 7) % 7
            return (days - sinceMonday) * day
        case .month, .quarter, .year:
            let (y, m, _) = civil(floorDiv(ms, day))
            let month: Int64 =
                switch unit {
                case .month: m
                case .quarter: (m - 1) / 3 * 3 + 1
                default: 1
                }
            return daysFromCivil(y, month, 1) * day
        }
    }

    /// (year, month, day) of a day number since 1970-01-01.
    static func civil(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
