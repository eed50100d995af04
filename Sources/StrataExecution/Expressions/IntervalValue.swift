package import StrataCore

/// A constant `INTERVAL`: months, days and milliseconds kept apart, as DuckDB does, because a month
/// or a day is not a fixed number of milliseconds once added to a date.
package struct IntervalValue: Hashable, Sendable, CustomStringConvertible {
    package var months: Int64 = 0
    package var days: Int64 = 0
    package var milliseconds: Int64 = 0

    package init(months: Int64 = 0, days: Int64 = 0, milliseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.milliseconds = milliseconds
    }

    /// The largest magnitude of the milliseconds part: DuckDB keeps it as 64-bit microseconds.
    package static let maximumMilliseconds = Int64.max / 1000

    package var negated: IntervalValue { IntervalValue(months: -months, days: -days, milliseconds: -milliseconds) }

    /// The width in milliseconds when the interval has no months (a day counts 24 hours, UTC).
    package var fixedMilliseconds: Int64? {
        months == 0 ? days * Timestamp.millisecondsPerDay + milliseconds : nil
    }

    /// `ms` moved by this interval: months first (clamping the day to the month's length, as
    /// DuckDB does: Jan 31 + 1 month = Feb 28), then days, then milliseconds.
    ///
    /// - Throws: `invalidArgument` when the result is not a timestamp Strata holds (years 0001-9999).
    package func added(to ms: Int64) throws(StrataError) -> Int64 {
        var result = ms
        if months != 0 {
            // Months and days are 32-bit (``add(_:_:)``), so the calendar arithmetic stays far inside Int.
            let day = Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay)
            let timeOfDay = ms - day * Timestamp.millisecondsPerDay
            let (y, m, d) = CivilDate.date(days: Int(day))
            let total = Int64(y) * 12 + Int64(m - 1) + months
            let year = Int(Timestamp.floorDiv(total, 12))
            let month = Int(total - Int64(year) * 12) + 1
            let clamped = Swift.min(d, CivilDate.daysInMonth(year: year, month: month))
            let start = SQLEvaluation.product(
                Int64(CivilDate.days(year: year, month: month, day: clamped)), Timestamp.millisecondsPerDay)
            // Not range-checked yet: the days and milliseconds may bring it back (`'1 month -40 days'`).
            guard let moved = start.flatMap({ SQLEvaluation.sum($0, timeOfDay) }) else {
                throw SQLEvaluation.timestampRangeError()
            }
            result = moved
        }
        let moved = SQLEvaluation.product(days, Timestamp.millisecondsPerDay)
            .flatMap { SQLEvaluation.sum(result, $0) }.flatMap { SQLEvaluation.sum($0, milliseconds) }
        return try SQLEvaluation.checkedTimestamp(moved)
    }

    package var description: String {
        var parts: [String] = []
        if months != 0 { parts.append("\(months) month\(abs(months) == 1 ? "" : "s")") }
        if days != 0 { parts.append("\(days) day\(abs(days) == 1 ? "" : "s")") }
        if milliseconds != 0 || parts.isEmpty { parts.append("\(milliseconds) ms") }
        return parts.joined(separator: " ")
    }
}
