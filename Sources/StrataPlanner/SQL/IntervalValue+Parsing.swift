import StrataCore
import StrataExecution
import StrataSQL

/// Reading an `INTERVAL` literal: the parts that know the parser's ``IntervalUnit``.
extension IntervalValue {
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
}
