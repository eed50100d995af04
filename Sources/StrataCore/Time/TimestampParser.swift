extension Timestamp {
    /// Why a timestamp text was rejected.
    public enum ParseFailure: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed
        case outOfRange

        public var description: String {
            switch self {
            case .malformed:
                "not a timestamp (expected YYYY-MM-DD[ HH:MM:SS[.fff]], ISO-8601 with T and Z/offset, "
                    + "or epoch milliseconds)"
            case .outOfRange: "timestamp out of range (years 0001-9999)"
            }
        }
    }

    /// Parses a timestamp from text.
    ///
    /// Accepts `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.f…]]`, the same with `T` and an optional `Z` or
    /// `±HH[:MM]` offset, and epoch milliseconds (an optional `-` and digits). Fractions beyond
    /// milliseconds are truncated.
    public static func parse(_ text: String) -> Result<Int64, ParseFailure> {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses a timestamp from UTF-8 bytes (see ``parse(_:)-(String)``); allocation free.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<Int64, ParseFailure> {
        let n = bytes.count
        guard n > 0 else { return .failure(.malformed) }
        // A date with a year past 9999 (`10000-01-01`, which DuckDB accepts): out of range, not malformed.
        var leadingDigits = 0
        while leadingDigits < n, bytes[leadingDigits] &- 48 < 10 { leadingDigits += 1 }
        if leadingDigits > 4, leadingDigits + 6 <= n {
            let k = leadingDigits
            let dash = UInt8(ascii: "-")
            let shaped =
                bytes[k] == dash && bytes[k + 3] == dash && bytes[k + 1] &- 48 < 10 && bytes[k + 2] &- 48 < 10
                && bytes[k + 4] &- 48 < 10 && bytes[k + 5] &- 48 < 10
            if shaped { return .failure(.outOfRange) }
        }
        // Epoch milliseconds: all digits (optionally signed), and not shaped like a date.
        if n < 5 || bytes[4] != UInt8(ascii: "-") {
            return parseEpochMilliseconds(bytes)
        }
        var i = 0
        @inline(__always) func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let c = bytes[i + k] &- 48
                guard c < 10 else { return nil }
                v = v * 10 + Int(c)
            }
            i += count
            return v
        }
        @inline(__always) func expect(_ c: UInt8) -> Bool {
            guard i < n, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
            let day = digits(2)
        else { return .failure(.malformed) }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return .failure(year == 0 ? .outOfRange : .malformed) }
        var ms = Int64(CivilDate.days(year: year, month: month, day: day)) * millisecondsPerDay
        if i == n { return .success(ms) }
        guard bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "T") else { return .failure(.malformed) }
        i += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), hour < 24, minute < 60 else {
            return .failure(.malformed)
        }
        var second = 0
        var millis = 0
        if expect(UInt8(ascii: ":")) {
            guard let s = digits(2), s < 60 else { return .failure(.malformed) }
            second = s
            if expect(UInt8(ascii: ".")) {
                var count = 0
                while i < n, bytes[i] &- 48 < 10 {
                    if count < 3 { millis = millis * 10 + Int(bytes[i] &- 48) }
                    count += 1
                    i += 1
                }
                guard count > 0 else { return .failure(.malformed) }
                for _ in count..<max(count, 3) { millis *= 10 }
            }
        }
        ms += Int64(hour) * millisecondsPerHour + Int64(minute) * millisecondsPerMinute
        ms += Int64(second) * millisecondsPerSecond + Int64(millis)
        if i < n {
            // Time zone: Z, +HH, +HHMM, +HH:MM (with an optional space before, as DuckDB prints).
            if bytes[i] == UInt8(ascii: " ") { i += 1 }
            guard i < n else { return .failure(.malformed) }
            if bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "z") {
                i += 1
            } else if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                let sign: Int64 = bytes[i] == UInt8(ascii: "+") ? 1 : -1
                i += 1
                guard let oh = digits(2), oh < 24 else { return .failure(.malformed) }
                var om = 0
                if i < n {
                    _ = expect(UInt8(ascii: ":"))
                    guard let m = digits(2), m < 60 else { return .failure(.malformed) }
                    om = m
                }
                ms -= sign * (Int64(oh) * millisecondsPerHour + Int64(om) * millisecondsPerMinute)
            } else {
                return .failure(.malformed)
            }
            guard i == n else { return .failure(.malformed) }
        }
        guard ms >= minimum, ms <= maximum else { return .failure(.outOfRange) }
        return .success(ms)
    }

    static func parseEpochMilliseconds(_ bytes: UnsafeRawBufferPointer) -> Result<Int64, ParseFailure> {
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        guard i < bytes.count else { return .failure(.malformed) }
        var v: Int64 = 0
        while i < bytes.count {
            let c = bytes[i] &- 48
            guard c < 10 else { return .failure(.malformed) }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c))
            guard !o1, !o2 else { return .failure(.outOfRange) }
            v = a
            i += 1
        }
        if negative { v = -v }
        guard v >= minimum, v <= maximum else { return .failure(.outOfRange) }
        return .success(v)
    }
}
