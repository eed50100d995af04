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
    static func parse(_ text: String, unit: IntervalUnit?) -> IntervalValue? {
        var result = IntervalValue()
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let unit {
            guard words.count == 1, let count = Int64(words[0]) else { return nil }
            result.add(count, unit)
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
                result.add(count, unit)
            } else {
                // `5minutes`: digits glued to the unit.
                let digits = word.prefix { $0.isNumber || $0 == "-" }
                guard !digits.isEmpty, let count = Int64(digits) else { return nil }
                word.removeFirst(digits.count)
                unitWord = word
                guard let unit = IntervalUnit(word: unitWord) else { return nil }
                result.add(count, unit)
                index += 1
            }
        }
        return result
    }

    mutating func add(_ count: Int64, _ unit: IntervalUnit) {
        switch unit {
        case .millisecond: milliseconds += count
        case .second: milliseconds += count * Timestamp.millisecondsPerSecond
        case .minute: milliseconds += count * Timestamp.millisecondsPerMinute
        case .hour: milliseconds += count * Timestamp.millisecondsPerHour
        case .day: days += count
        case .week: days += 7 * count
        case .month: months += count
        case .quarter: months += 3 * count
        case .year: months += 12 * count
        }
    }

    var negated: IntervalValue { IntervalValue(months: -months, days: -days, milliseconds: -milliseconds) }

    /// The width in milliseconds when the interval has no months (a day counts 24 hours, UTC).
    var fixedMilliseconds: Int64? {
        months == 0 ? days * Timestamp.millisecondsPerDay + milliseconds : nil
    }

    /// `ms` moved by this interval: months first (clamping the day to the month's length, as
    /// DuckDB does: Jan 31 + 1 month = Feb 28), then days, then milliseconds.
    func added(to ms: Int64) -> Int64 {
        var result = ms
        if months != 0 {
            let day = Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay)
            let timeOfDay = ms - day * Timestamp.millisecondsPerDay
            let (y, m, d) = CivilDate.date(days: Int(day))
            let total = Int64(y) * 12 + Int64(m - 1) + months
            let year = Int(Timestamp.floorDiv(total, 12))
            let month = Int(total - Int64(year) * 12) + 1
            let clamped = Swift.min(d, CivilDate.daysInMonth(year: year, month: month))
            result =
                Int64(CivilDate.days(year: year, month: month, day: clamped)) * Timestamp.millisecondsPerDay
                + timeOfDay
        }
        return result + days * Timestamp.millisecondsPerDay + milliseconds
    }

    var description: String {
        var parts: [String] = []
        if months != 0 { parts.append("\(months) month\(abs(months) == 1 ? "" : "s")") }
        if days != 0 { parts.append("\(days) day\(abs(days) == 1 ? "" : "s")") }
        if milliseconds != 0 || parts.isEmpty { parts.append("\(milliseconds) ms") }
        return parts.joined(separator: " ")
    }
}
