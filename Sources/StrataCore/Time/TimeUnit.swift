/// Calendar units for truncating timestamps (`date_trunc`), bucketing and partitioning, UTC.
public enum TimeUnit: String, Sendable, Hashable, Codable, CaseIterable {
    case millisecond, second, minute, hour, day, week, month, quarter, year

    /// Truncates an instant to the start of its unit (weeks start on Monday, as in DuckDB and ISO-8601).
    @inlinable
    public func truncate(_ ms: Int64) -> Int64 {
        switch self {
        case .millisecond: return ms
        case .second: return Timestamp.floorDiv(ms, 1000) * 1000
        case .minute: return Timestamp.floorDiv(ms, 60_000) * 60_000
        case .hour: return Timestamp.floorDiv(ms, 3_600_000) * 3_600_000
        case .day: return Timestamp.floorDiv(ms, 86_400_000) * 86_400_000
        case .week:
            let days = Int(Timestamp.floorDiv(ms, 86_400_000))
            return Int64(days - (CivilDate.weekday(days: days) - 1)) * 86_400_000
        case .month, .quarter, .year:
            let days = Int(Timestamp.floorDiv(ms, 86_400_000))
            let (y, m, _) = CivilDate.date(days: days)
            let month = self == .month ? m : (self == .quarter ? (m - 1) / 3 * 3 + 1 : 1)
            return Int64(CivilDate.days(year: y, month: month, day: 1)) * 86_400_000
        }
    }

    /// The start of the unit after the one holding `ms`.
    public func next(after ms: Int64) -> Int64 {
        let start = truncate(ms)
        switch self {
        case .millisecond: return start + 1
        case .second: return start + 1000
        case .minute: return start + 60_000
        case .hour: return start + 3_600_000
        case .day: return start + 86_400_000
        case .week: return start + 7 * 86_400_000
        case .month, .quarter, .year:
            let (y, m, _) = CivilDate.date(days: Int(start / 86_400_000))
            let step = self == .month ? 1 : (self == .quarter ? 3 : 12)
            let total = y * 12 + (m - 1) + step
            return Int64(CivilDate.days(year: total / 12, month: total % 12 + 1, day: 1)) * 86_400_000
        }
    }
}

/// How a table's time axis is cut into chunks; every segment belongs to exactly one chunk.
public enum SegmentGranularity: String, Sendable, Hashable, Codable, CaseIterable {
    case hour, day, week, month

    public var unit: TimeUnit {
        switch self {
        case .hour: .hour
        case .day: .day
        case .week: .week
        case .month: .month
        }
    }

    /// The chunk `[start, end)` that holds an instant.
    public func chunk(containing ms: Int64) -> Range<Int64> {
        let start = unit.truncate(ms)
        return start..<unit.next(after: start)
    }
}

/// The time precision kept by a rolled-up table.
public enum QueryGranularity: String, Sendable, Hashable, Codable, CaseIterable {
    case none, second, minute, hour, day

    /// Truncates an instant to this granularity (`none` keeps milliseconds).
    @inlinable
    public func truncate(_ ms: Int64) -> Int64 {
        switch self {
        case .none: ms
        case .second: TimeUnit.second.truncate(ms)
        case .minute: TimeUnit.minute.truncate(ms)
        case .hour: TimeUnit.hour.truncate(ms)
        case .day: TimeUnit.day.truncate(ms)
        }
    }
}
