import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parses typed values straight from the bytes of a text field, allocation free on success.
enum FieldParser {
    /// An optionally signed decimal integer; `nil` if malformed or out of the Int64 range.
    @inline(__always)
    static func int64(_ p: UnsafeRawBufferPointer) -> Int64? {
        let n = p.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
            guard n > 1 else { return nil }
        }
        if n - i <= 18 {
            var v: Int64 = 0
            while i < n {
                let d = p[i] &- 48
                guard d < 10 else { return nil }
                v = v &* 10 &+ Int64(d)
                i += 1
            }
            return negative ? -v : v
        }
        // Long: check for overflow (accumulate negatively so Int64.min is representable).
        var v: Int64 = 0
        while i < n {
            let d = p[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            v = s
            i += 1
        }
        if negative { return v }
        guard v != .min else { return nil }
        return -v
    }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var x = 1.0
        for _ in 0..<k { x *= 10 }
        return x
    }

    /// A decimal or scientific number (also `inf`, `nan`); `nil` if malformed.
    ///
    /// Short decimals (at most 15 significant digits, at most 22 after the point) are computed exactly
    /// as one correctly rounded division; anything else goes through `strtod`.
    @inline(__always)
    static func double(_ p: UnsafeRawBufferPointer) -> Double? {
        let n = p.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        while i < n, p[i] &- 48 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
            digits += 1
            i += 1
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, p[i] &- 48 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
                digits += 1
                fraction += 1
                i += 1
            }
        }
        if i == n, digits > 0, digits <= 15, fraction <= 22 {
            let v = Double(mantissa) / powersOfTen[fraction]
            return negative ? -v : v
        }
        return slowDouble(p)
    }

    private static func slowDouble(_ p: UnsafeRawBufferPointer) -> Double? {
        guard p.count < 512 else { return nil }
        // strtod accepts leading spaces and hex floats; accept only decimal/scientific text and inf/nan words.
        for b in p {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f"),
                UInt8(ascii: "a"), UInt8(ascii: "I"), UInt8(ascii: "N"), UInt8(ascii: "F"), UInt8(ascii: "A"),
                UInt8(ascii: "t"), UInt8(ascii: "y"), UInt8(ascii: "T"), UInt8(ascii: "Y"):
                continue
            default: return nil
            }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: p.count + 1) { buffer -> Double? in
            for (k, b) in p.enumerated() { buffer[k] = CChar(bitPattern: b) }
            buffer[p.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buffer.baseAddress!, &end)
            guard let end, end - buffer.baseAddress! == p.count else { return nil }
            return v
        }
    }

    /// `true`/`false` (any case), `t`/`f`, `1`/`0`; `nil` otherwise.
    @inline(__always)
    static func bool(_ p: UnsafeRawBufferPointer) -> Bool? {
        switch p.count {
        case 1:
            switch p[0] | 0x20 {
            case UInt8(ascii: "1") | 0x20, UInt8(ascii: "t"): return true
            case UInt8(ascii: "0") | 0x20, UInt8(ascii: "f"): return false
            default: return nil
            }
        case 4:
            let w = p.loadUnaligned(as: UInt32.self) | 0x2020_2020
            return w == 0x6575_7274 ? true : nil  // "true" little endian
        case 5:
            let w = p.loadUnaligned(as: UInt32.self) | 0x2020_2020
            return w == 0x736c_6166 && (p[4] | 0x20) == UInt8(ascii: "e") ? false : nil  // "fals" + "e"
        default:
            return nil
        }
    }

    /// A timestamp in the accepted text forms of `format`; the failure says why.
    @inline(__always)
    static func timestamp(_ p: UnsafeRawBufferPointer, format: TimestampFormat) -> Result<Int64, Timestamp.ParseFailure>
    {
        switch format {
        case .auto:
            return Timestamp.parse(p)
        case .iso:
            guard p.count >= 10, p[4] == UInt8(ascii: "-") else { return .failure(.malformed) }
            return Timestamp.parse(p)
        case .millis:
            guard !p.isEmpty else { return .failure(.malformed) }
            for (k, b) in p.enumerated() where !(b &- 48 < 10 || (k == 0 && b == UInt8(ascii: "-"))) {
                return .failure(.malformed)
            }
            return Timestamp.parse(p)
        }
    }

    static func timestampReason(_ failure: Timestamp.ParseFailure, format: TimestampFormat) -> String {
        switch (failure, format) {
        case (.outOfRange, _): "timestamp out of range (years 0001-9999)"
        case (.malformed, .auto): failure.description
        case (.malformed, .iso): "not an ISO timestamp (expected YYYY-MM-DD[ HH:MM:SS[.fff]] or with T and Z/offset)"
        case (.malformed, .millis): "not a timestamp in epoch milliseconds (expected an integer)"
        }
    }

    /// A short, printable rendition of a field for error messages.
    static func quote(_ p: UnsafeRawBufferPointer, limit: Int = 40) -> String {
        let text = String(decoding: p.prefix(limit), as: UTF8.self)
        return "'" + text + (p.count > limit ? "…" : "") + "'"
    }
}
