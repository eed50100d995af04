import StrataCore
import StrataSQL

/// A constant `INTERVAL`: months, days and milliseconds kept apart, as DuckDB does, because a month
/// or a day is not a fixed number of milliseconds once added to a date.
struct IntervalValue: Hashable, Sendable, CustomStringConvertible {
    var months: Int64 = 0
    var days: Int64 = 0
    var milliseconds: Int64 = 0

    /// Parses the text of an `INTERVAL` literal: `'5 minutes'`, `'1 day 2 hours'`, or `'5'` with a
    /// separate unit.
    ///
    /// - Returns: nil when the text is not an interval.
    /// - Throws: `invalidArgument` when a part is beyond DuckDB's interval range (see ``add(_:_:)``).
    static func parse(_ text: String, unit: IntervalUnit?) throws(StrataError) -> IntervalValue? {
        var result = IntervalValue()
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let unit {
            guard words.count == 1, let count = Int64(words[0]) else { return nil }
            try result.add(count, unit)
            return result
        }
        var index = 0
        guard !words.isEmpty else { return nil }
        while index < words.count {
            var word = words[index]
            var unitWord: String
            if let count = Int64(word) {
                guard index + 1 < words.count else { return nil }
                unitWord = words[index + 1]
                index += 2
                guard let unit = IntervalUnit(word: unitWord) else { return nil }
                try result.add(count, unit)
            } else {
                // `5minutes`: digits glued to the unit.
                let digits = word.prefix { $0.isNumber || $0 == "-" }
                guard !digits.isEmpty, let count = Int64(digits) else { return nil }
                word.removeFirst(digits.count)
                unitWord = word
                guard let unit = IntervalUnit(word: unitWord) else { return nil }
                try result.add(count, unit)
                index += 1
            }
        }
        return result
    }

    /// The largest magnitude of the milliseconds part: DuckDB keeps it as 64-bit microseconds.
    static let maximumMilliseconds = Int64.max / 1000

    /// Adds `count` units, within DuckDB's interval range: months and days are 32-bit, the time part
    /// 64-bit microseconds (about 292,000 years).
    ///
    /// - Throws: `invalidArgument` past that range (`INTERVAL 9223372036854775807 MINUTE`).
    mutating func add(_ count: Int64, _ unit: IntervalUnit) throws(StrataError) {
        func total(_ current: Int64, _ factor: Int64, within range: ClosedRange<Int64>) throws(StrataError) -> Int64 {
            guard let sum = SQLEvaluation.product(count, factor).flatMap({ SQLEvaluation.sum(current, $0) }),
                range.contains(sum)
            else { throw StrataError(.invalidArgument, "interval value is out of range: \(count) \(unit)") }
            return sum
        }
        let int32 = Int64(Int32.min)...Int64(Int32.max)
        let time = -Self.maximumMilliseconds...Self.maximumMilliseconds
        switch unit {
        case .millisecond: milliseconds = try total(milliseconds, 1, within: time)
        case .second: milliseconds = try total(milliseconds, Timestamp.millisecondsPerSecond, within: time)
        case .minute: milliseconds = try total(milliseconds, Timestamp.millisecondsPerMinute, within: time)
        case .hour: milliseconds = try total(milliseconds, Timestamp.millisecondsPerHour, within: time)
        case .day: days = try total(days, 1, within: int32)
        case .week: days = try total(days, 7, within: int32)
        case .month: months = try total(months, 1, within: int32)
        case .quarter: months = try total(months, 3, within: int32)
        case .year: months = try total(months, 12, within: int32)
        }
    }

    var negated: IntervalValue { IntervalValue(months: -months, days: -days, milliseconds: -milliseconds) }

    /// The width in milliseconds when the interval has no months (a day counts 24 hours, UTC).
    var fixedMilliseconds: Int64? {
        months == 0 ? days * Timestamp.millisecondsPerDay + milliseconds : nil
    }

    /// `ms` moved by this interval: months first (clamping the day to the month's length, as
    /// DuckDB does: Jan 31 + 1 month = Feb 28), then days, then milliseconds.
    ///
    /// - Throws: `invalidArgument` when the result is not a timestamp Strata holds (years 0001-9999).
    func added(to ms: Int64) throws(StrataError) -> Int64 {
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

    var description: String {
        var parts: [String] = []
        if months != 0 { parts.append("\(months) month\(abs(months) == 1 ? "" : "s")") }
        if days != 0 { parts.append("\(days) day\(abs(days) == 1 ? "" : "s")") }
        if milliseconds != 0 || parts.isEmpty { parts.append("\(milliseconds) ms") }
        return parts.joined(separator: " ")
    }
}
