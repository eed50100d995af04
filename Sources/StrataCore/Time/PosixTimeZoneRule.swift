/// The POSIX TZ rule at the end of a TZif file (`CET-1CEST,M3.5.0,M10.5.0/3`): standard and daylight
/// offsets, and when in each year daylight time starts and ends. It gives the offsets after the file's
/// last transition.
struct PosixTimeZoneRule: Sendable, Hashable {
    /// Seconds east of UTC in standard time (POSIX writes the opposite sign: `CET-1` is UTC+1).
    let standardOffset: Int64
    /// Daylight time: its offset and the yearly start and end, in local time; nil for a zone without DST.
    let daylight: (offset: Int64, start: Transition, end: Transition)?

    /// A day of the year and a time of that day.
    struct Transition: Sendable, Hashable {
        enum Day: Sendable, Hashable {
            /// `Jn`: day 1…365, never counting February 29.
            case julian(Int)
            /// `n`: day 0…365, counting February 29.
            case zeroBased(Int)
            /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1…5, 5 = the last) of month `m`.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }
        var day: Day
        /// Seconds after local midnight (may be negative or past 24 hours, RFC 8536 §3.3.1).
        var time: Int64 = 7_200

        /// The day, in days since the Unix epoch, in `year`.
        func days(in year: Int) -> Int {
            let january1 = CivilDate.days(year: year, month: 1, day: 1)
            switch day {
            case .julian(let n):
                return january1 + n - 1 + (CivilDate.isLeapYear(year) && n >= 60 ? 1 : 0)
            case .zeroBased(let n):
                return january1 + n
            case .monthWeekDay(let month, let week, let weekday):
                let first = CivilDate.days(year: year, month: month, day: 1)
                let firstWeekday = CivilDate.weekday(days: first) % 7  // ISO Sunday 7 → 0
                var day = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
                while day > CivilDate.daysInMonth(year: year, month: month) { day -= 7 }
                return first + day - 1
            }
        }
    }

    static func == (lhs: PosixTimeZoneRule, rhs: PosixTimeZoneRule) -> Bool {
        lhs.standardOffset == rhs.standardOffset && lhs.daylight?.offset == rhs.daylight?.offset
            && lhs.daylight?.start == rhs.daylight?.start && lhs.daylight?.end == rhs.daylight?.end
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(standardOffset)
        hasher.combine(daylight?.offset)
        hasher.combine(daylight?.start)
        hasher.combine(daylight?.end)
    }

    /// The offset at the UTC instant `seconds`.
    func offset(atUTC seconds: Int64) -> Int64 {
        guard let daylight else { return standardOffset }
        let localDays = Int((seconds + standardOffset).floorDivided(by: 86_400))
        let year = CivilDate.date(days: localDays).year
        // Daylight time starts at a standard-time wall clock and ends at a daylight-time one.
        let start = Int64(daylight.start.days(in: year)) * 86_400 + daylight.start.time - standardOffset
        let end = Int64(daylight.end.days(in: year)) * 86_400 + daylight.end.time - daylight.offset
        let inDaylight = start < end ? seconds >= start && seconds < end : seconds >= start || seconds < end
        return inDaylight ? daylight.offset : standardOffset
    }

    /// Parses a rule; nil when it is malformed.
    init?(_ text: String) {
        var scanner = PosixRuleScanner(Array(text.utf8))
        guard scanner.name(), let standard = scanner.offset() else { return nil }
        standardOffset = -standard
        guard !scanner.atEnd else {
            daylight = nil
            return
        }
        guard scanner.name() else { return nil }
        var daylightOffset = standardOffset + 3_600
        if !scanner.at(",") {
            guard let written = scanner.offset() else { return nil }
            daylightOffset = -written
        }
        guard scanner.consume(","), let start = scanner.transition(), scanner.consume(","),
            let end = scanner.transition(), scanner.atEnd
        else { return nil }
        daylight = (daylightOffset, start, end)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}

/// Reads the parts of a POSIX TZ string.
private struct PosixRuleScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    func at(_ character: Character) -> Bool {
        position < bytes.count && bytes[position] == character.asciiValue
    }

    mutating func consume(_ character: Character) -> Bool {
        guard at(character) else { return false }
        position += 1
        return true
    }

    /// A zone abbreviation: three or more letters, or anything between `<` and `>` (`<+03>`).
    mutating func name() -> Bool {
        if consume("<") {
            while position < bytes.count, bytes[position] != UInt8(ascii: ">") { position += 1 }
            return consume(">")
        }
        let start = position
        while position < bytes.count, (bytes[position] | 0x20) >= UInt8(ascii: "a"),
            (bytes[position] | 0x20) <= UInt8(ascii: "z")
        {
            position += 1
        }
        return position - start >= 3
    }

    mutating func number() -> Int64? {
        let start = position
        var value: Int64 = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9"),
            position - start < 6
        {
            value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        return position > start ? value : nil
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, with its sign as written.
    mutating func offset() -> Int64? {
        let negative = consume("-")
        if !negative { _ = consume("+") }
        guard let hours = number() else { return nil }
        var seconds = hours * 3_600
        if consume(":") {
            guard let minutes = number() else { return nil }
            seconds += minutes * 60
            if consume(":") {
                guard let s = number() else { return nil }
                seconds += s
            }
        }
        return negative ? -seconds : seconds
    }

    /// `Jn`, `n` or `Mm.w.d`, then an optional `/time`.
    mutating func transition() -> PosixTimeZoneRule.Transition? {
        var day: PosixTimeZoneRule.Transition.Day
        if consume("M") {
            guard let month = number(), consume("."), let week = number(), consume("."), let weekday = number(),
                (1...12).contains(month), (1...5).contains(week), (0...6).contains(weekday)
            else { return nil }
            day = .monthWeekDay(month: Int(month), week: Int(week), weekday: Int(weekday))
        } else if consume("J") {
            guard let n = number(), (1...365).contains(n) else { return nil }
            day = .julian(Int(n))
        } else {
            guard let n = number(), (0...365).contains(n) else { return nil }
            day = .zeroBased(Int(n))
        }
        var transition = PosixTimeZoneRule.Transition(day: day)
        if consume("/") {
            guard let time = offset() else { return nil }
            transition.time = time
        }
        return transition
    }
}
