package import StrataCore

/// A `strftime`/`strptime` format with DuckDB's specifiers, parsed once by the binder.
///
/// Supported: `%Y` `%y` `%m` `%-m` `%d` `%-d` `%H` `%-H` `%I` `%-I` `%M` `%-M` `%S` `%-S` `%g` (milliseconds)
/// `%f` (microseconds) `%p` `%j` `%-j` `%a` `%A` `%b` `%h` `%B` `%w` `%u` `%U` `%W` `%V` `%G` `%z` `%Z` `%%`.
/// Timestamps are UTC (`%z` prints `+00`); DuckDB's locale forms `%c` `%x` `%X` are refused.
package struct DateFormat: Hashable, Sendable, CustomStringConvertible {
    enum Piece: Hashable, Sendable {
        case literal([UInt8])
        /// A specifier letter; `padded` is false for the `%-x` forms.
        case field(UInt8, padded: Bool)
    }

    package let text: String
    let pieces: [Piece]

    private static let letters = Set("YymdHIMSgfpjaAbhBwuUWVGzZ".utf8)
    private static let unpaddable = Set("mdHIMSjy".utf8)
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// Parses `text`.
    /// - Throws: `invalidArgument` naming an unknown or unsupported specifier.
    package init(_ text: String) throws(StrataError) {
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "%") else {
                literal.append(bytes[i])
                i += 1
                continue
            }
            var j = i + 1
            let padded = !(j < bytes.count && bytes[j] == UInt8(ascii: "-"))
            if !padded { j += 1 }
            guard j < bytes.count else {
                throw StrataError(
                    .invalidArgument, "the format '\(text)' ends with a lone '%'; write '%%' for a percent sign")
            }
            let letter = bytes[j]
            if letter == UInt8(ascii: "%"), padded {
                literal.append(letter)
            } else {
                guard Self.letters.contains(letter), padded || Self.unpaddable.contains(letter) else {
                    let spec = String(decoding: bytes[i...j], as: UTF8.self)
                    throw StrataError(.invalidArgument, "unsupported format specifier \(spec) in '\(text)'")
                }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = []
                pieces.append(.field(letter, padded: padded))
            }
            i = j + 1
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.text = text
        self.pieces = pieces
    }

    package var description: String { "'\(text)'" }

    // MARK: strftime

    /// `ms` written with the format.
    func format(_ ms: Int64) -> String {
        let day = Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay)
        let timeOfDay = ms - day * Timestamp.millisecondsPerDay
        let (y, m, d) = CivilDate.date(days: Int(day))
        let hour = Int(timeOfDay / Timestamp.millisecondsPerHour)
        let weekday = CivilDate.weekday(days: Int(day))  // Monday 1 … Sunday 7
        let yearDay = Int(day) - CivilDate.days(year: y, month: 1, day: 1)  // from 0
        var out: [UInt8] = []
        func number(_ value: Int, _ width: Int, _ padded: Bool) {
            var digits = Array(String(Swift.abs(value)).utf8)
            if padded, digits.count < width {
                digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count), at: 0)
            }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out += digits
        }
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out += bytes
            case .field(let letter, let padded):
                switch UnicodeScalar(letter) {
                case "Y": number(y, 4, padded)
                case "y": number(y % 100, 2, padded)
                case "m": number(m, 2, padded)
                case "d": number(d, 2, padded)
                case "H": number(hour, 2, padded)
                case "I": number(hour % 12 == 0 ? 12 : hour % 12, 2, padded)
                case "M": number(Int(timeOfDay / Timestamp.millisecondsPerMinute % 60), 2, padded)
                case "S": number(Int(timeOfDay / 1000 % 60), 2, padded)
                case "g": number(Int(timeOfDay % 1000), 3, true)
                case "f": number(Int(timeOfDay % 1000) * 1000, 6, true)
                case "p": out += (hour < 12 ? "AM" : "PM").utf8
                case "j": number(yearDay + 1, 3, padded)
                case "a": out += Self.dayNames[weekday - 1].prefix(3).utf8
                case "A": out += Self.dayNames[weekday - 1].utf8
                case "b", "h": out += Self.monthNames[m - 1].prefix(3).utf8
                case "B": out += Self.monthNames[m - 1].utf8
                case "w": number(weekday % 7, 1, true)
                case "u": number(weekday, 1, true)
                // Weeks starting on Sunday (%U) or Monday (%W); days before the first such day are week 0.
                case "U": number((yearDay + 7 - weekday % 7) / 7, 2, true)
                case "W": number((yearDay + 7 - (weekday - 1)) / 7, 2, true)
                case "V":
                    guard case .int64(let week) = SQLEvaluation.datePart(.week, ms) else { break }
                    number(Int(week), 2, true)
                case "G":
                    // The ISO year: the year of this week's Thursday.
                    number(CivilDate.date(days: Int(day) - weekday + 4).year, 4, true)
                case "z": out += "+00".utf8
                default: break  // %Z: no zone name for a TIMESTAMP
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: strptime

    /// The timestamp `text` holds in this format, or why it does not hold one.
    func parse(_ text: String) -> Result<Int64, StrataError> {
        let bytes = Array(text.utf8)
        var i = 0
        var (year, month, day, hour, minute, second, millisecond) = (1900, 1, 1, 0, 0, 0, 0)
        var yearDay: Int?
        var pm: Bool?
        var offsetMinutes = 0
        func fail(_ why: String) -> Result<Int64, StrataError> {
            .failure(StrataError(.invalidArgument, "could not parse '\(text)' with the format '\(self.text)': \(why)"))
        }
        /// Up to `width` digits (at least one), with an optional sign for years.
        func digits(_ width: Int, signed: Bool = false) -> Int? {
            var negative = false
            if signed, i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                negative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var count = 0
            while count < width, i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
                value = value * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                i += 1
                count += 1
            }
            return count == 0 ? nil : negative ? -value : value
        }
        func name(_ names: [String]) -> Int? {
            for (k, full) in names.enumerated() {
                for candidate in [full, String(full.prefix(3))] {
                    let c = Array(candidate.lowercased().utf8)
                    if i + c.count <= bytes.count, bytes[i..<(i + c.count)].map({ $0 | 0x20 }) == c {
                        i += c.count
                        return k
                    }
                }
            }
            return nil
        }
        // DuckDB's whitespace rules: skipped at the start and the end of the text, and a space (or tab…) of the
        // format matches one or more of them.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        func skipSpaces() { while i < bytes.count, isSpace(bytes[i]) { i += 1 } }
        skipSpaces()
        for piece in pieces {
            switch piece {
            case .literal(let literal):
                for byte in literal {
                    if isSpace(byte) {
                        guard i < bytes.count, isSpace(bytes[i]) else { return fail("expected a space") }
                        skipSpaces()
                        continue
                    }
                    guard i < bytes.count, bytes[i] == byte else { return fail("expected '\(UnicodeScalar(byte))'") }
                    i += 1
                }
            case .field(let letter, _):
                let spec = UnicodeScalar(letter)
                switch spec {
                case "Y", "G":
                    guard let v = digits(4, signed: true) else { return fail("expected a year") }
                    year = v
                case "y":
                    guard let v = digits(2) else { return fail("expected a two-digit year") }
                    year = v < 69 ? 2000 + v : 1900 + v
                case "m":
                    guard let v = digits(2) else { return fail("expected a month") }
                    month = v
                case "d":
                    guard let v = digits(2) else { return fail("expected a day") }
                    day = v
                case "H", "I":
                    guard let v = digits(2) else { return fail("expected an hour") }
                    hour = v
                    if spec == "I", !(1...12).contains(v) { return fail("hour \(v) is not between 1 and 12") }
                case "M":
                    guard let v = digits(2) else { return fail("expected minutes") }
                    minute = v
                case "S":
                    guard let v = digits(2) else { return fail("expected seconds") }
                    second = v
                case "g", "f":
                    let start = i
                    guard let v = digits(spec == "g" ? 3 : 6) else { return fail("expected a fraction of a second") }
                    // Digits after the first three are below a millisecond, which a TIMESTAMP here does not hold.
                    var scaled = v
                    for _ in Swift.min(3, i - start)..<3 { scaled *= 10 }
                    for _ in 3..<Swift.max(3, i - start) { scaled /= 10 }
                    millisecond = scaled
                case "p":
                    guard let k = name(["AM", "PM"]) else { return fail("expected AM or PM") }
                    pm = k == 1
                case "j":
                    guard let v = digits(3) else { return fail("expected a day of the year") }
                    yearDay = v
                case "a", "A":
                    guard name(Self.dayNames) != nil else { return fail("expected a weekday name") }
                case "b", "h", "B":
                    guard let k = name(Self.monthNames) else { return fail("expected a month name") }
                    month = k + 1
                case "w", "u":
                    guard digits(1) != nil else { return fail("expected a weekday number") }
                case "U", "W", "V":
                    guard digits(2) != nil else { return fail("expected a week number") }
                case "z":
                    if i < bytes.count, bytes[i] == UInt8(ascii: "Z") {
                        i += 1
                        break
                    }
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else {
                        return fail("expected a UTC offset")
                    }
                    let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let h = digits(2) else { return fail("expected a UTC offset") }
                    if i < bytes.count, bytes[i] == UInt8(ascii: ":") { i += 1 }
                    let m = digits(2) ?? 0
                    offsetMinutes = sign * (h * 60 + m)
                default:
                    // %Z: a zone name, skipped.
                    while i < bytes.count, bytes[i] != UInt8(ascii: " ") { i += 1 }
                }
            }
        }
        skipSpaces()
        guard i == bytes.count else { return fail("unexpected text after the format") }
        if let pm {
            guard (1...12).contains(hour) else { return fail("hour \(hour) is not between 1 and 12") }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard (1...12).contains(month) else { return fail("month \(month) is not between 1 and 12") }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            return fail("the time \(hour):\(minute):\(second) is out of range")
        }
        guard (1...9999).contains(year) else { return fail("year \(year) is out of range") }
        var days: Int
        if let yearDay {
            let length = CivilDate.isLeapYear(year) ? 366 : 365
            guard (1...length).contains(yearDay) else { return fail("day of the year \(yearDay) is out of range") }
            days = CivilDate.days(year: year, month: 1, day: 1) + yearDay - 1
        } else {
            guard (1...CivilDate.daysInMonth(year: year, month: month)).contains(day) else {
                return fail("day \(day) is out of range for \(year)-\(month)")
            }
            days = CivilDate.days(year: year, month: month, day: day)
        }
        let ms =
            Int64(days) * Timestamp.millisecondsPerDay + Int64(hour) * Timestamp.millisecondsPerHour
            + Int64(minute - offsetMinutes) * Timestamp.millisecondsPerMinute + Int64(second) * 1000
            + Int64(millisecond)
        guard ms >= Timestamp.minimum, ms <= Timestamp.maximum else { return fail("the timestamp is out of range") }
        return .success(ms)
    }
}
