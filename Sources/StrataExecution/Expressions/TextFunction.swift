package import StrataCore

/// DuckDB's string functions beyond case mapping, `length` and `substring`: the name a query calls each by,
/// its result type, and its rule for one value (which the batch kernel runs over typed buffers).
///
/// Positions and counts are in code points, as DuckDB counts them (`left('héllo', 2)` is `hé`); searches
/// compare bytes, so `contains` and `strpos` find exactly the UTF-8 sequence asked for.
package enum TextFunction: String, Hashable, Sendable, CaseIterable {
    case left, right, concat
    /// `a || b`: like `concat`, but NULL when either operand is.
    case concatenate = "||"
    case concatWithSeparator = "concat_ws"
    case splitPart = "split_part"
    case replace, trim, ltrim, rtrim, lpad, rpad, strpos
    case startsWith = "starts_with"
    case endsWith = "ends_with"
    case contains, reverse, `repeat`, md5, ascii, chr, strlen, translate, unicode
    case bitLength = "bit_length"

    /// The longest string `repeat`, `lpad` and `rpad` build, in bytes: a query asking for more is an error
    /// rather than an allocation that takes the machine down.
    package static let maximumResultBytes = 1 << 28

    package var resultType: SQLValueType {
        switch self {
        case .strpos, .ascii, .strlen, .unicode, .bitLength: .bigint
        case .startsWith, .endsWith, .contains: .boolean
        default: .varchar
        }
    }

    /// Whether some input raises an error (too long a result, no padding, an invalid code point).
    var canFail: Bool { self == .lpad || self == .rpad || self == .repeat || self == .chr }

    /// Whether any NULL argument makes the result NULL; `concat` and `concat_ws` skip NULL arguments.
    var propagatesNull: Bool { self != .concat && self != .concatWithSeparator }

    // MARK: The rules for one value

    /// `left(s, n)`: the first `n` code points; a negative `n` drops that many from the end.
    static func left(_ s: String, _ n: Int64) -> String {
        if n >= 0 { return SQLEvaluation.substring(s, start: 1, length: n) }
        let count = Int64(s.unicodeScalars.count)
        return SQLEvaluation.substring(s, start: 1, length: Swift.max(0, count + Swift.max(n, -count)))
    }

    /// `right(s, n)`: the last `n` code points; a negative `n` drops that many from the start.
    static func right(_ s: String, _ n: Int64) -> String {
        let count = Int64(s.unicodeScalars.count)
        if n >= 0 { return n == 0 ? "" : SQLEvaluation.substring(s, start: -Swift.min(n, count + 1), length: nil) }
        return SQLEvaluation.substring(s, start: Swift.min(-Swift.max(n, -count), count) + 1, length: nil)
    }

    /// `split_part(s, separator, k)`: the `k`-th field (from 1; negative counts from the end), `''` past the
    /// last field or for `k = 0`. An empty separator splits into code points.
    static func splitPart(_ s: String, _ separator: String, _ k: Int64) -> String {
        guard k != 0 else { return "" }
        var fields: [String] = []
        if separator.isEmpty {
            fields = s.unicodeScalars.map { String($0) }
        } else {
            var start = 0
            for match in UTF8Search.ranges(of: separator, in: s) {
                fields.append(UTF8Search.slice(s, start..<match.lowerBound))
                start = match.upperBound
            }
            fields.append(UTF8Search.slice(s, start..<s.utf8.count))
        }
        let index = k > 0 ? k - 1 : Int64(fields.count) + k
        guard index >= 0, index < fields.count else { return "" }
        return fields[Int(index)]
    }

    /// `replace(s, from, to)`: every occurrence of `from`, left to right without overlaps; an empty `from`
    /// changes nothing.
    static func replace(_ s: String, _ from: String, _ to: String) -> String {
        guard !from.isEmpty else { return s }
        let matches = UTF8Search.ranges(of: from, in: s)
        guard !matches.isEmpty else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + matches.count * Swift.max(0, to.utf8.count - from.utf8.count))
        let bytes = Array(s.utf8)
        var start = 0
        for match in matches {
            out += bytes[start..<match.lowerBound]
            out += to.utf8
            start = match.upperBound
        }
        out += bytes[start...]
        return String(decoding: out, as: UTF8.self)
    }

    /// `trim`, `ltrim`, `rtrim`: the code points of `characters` (by default the space, and only it) removed
    /// from the start, the end, or both.
    static func trim(_ s: String, _ characters: String?, leading: Bool, trailing: Bool) -> String {
        let set = Set((characters ?? " ").unicodeScalars)
        let scalars = s.unicodeScalars
        var lower = scalars.startIndex
        var upper = scalars.endIndex
        if leading {
            while lower < upper, set.contains(scalars[lower]) { lower = scalars.index(after: lower) }
        }
        if trailing {
            while upper > lower, set.contains(scalars[scalars.index(before: upper)]) {
                upper = scalars.index(before: upper)
            }
        }
        return String(String.UnicodeScalarView(scalars[lower..<upper]))
    }

    /// `lpad`/`rpad(s, n, fill)`: `s` cut or padded to `n` code points, the padding `fill` repeated.
    static func pad(_ s: String, _ n: Int64, _ fill: String, left: Bool) throws(StrataError) -> String {
        let count = Int64(s.unicodeScalars.count)
        guard n > 0 else { return "" }
        if count >= n { return SQLEvaluation.substring(s, start: 1, length: n) }
        let fillScalars = Array(fill.unicodeScalars)
        let name = left ? "lpad" : "rpad"
        guard !fillScalars.isEmpty else {
            throw StrataError(.invalidArgument, "\(name)() cannot pad '\(s)' to \(n) characters with an empty fill")
        }
        // Up to 4 bytes a code point.
        guard n <= Int64(maximumResultBytes / 4) else {
            throw StrataError(.limit, "\(name)() to \(n) characters exceeds the longest string Strata builds")
        }
        var padding = String.UnicodeScalarView()
        for i in 0..<Int(n - count) { padding.append(fillScalars[i % fillScalars.count]) }
        return left ? String(padding) + s : s + String(padding)
    }

    /// `strpos(s, part)`: the code-point position (from 1) of the first occurrence, 0 when there is none.
    static func strpos(_ s: String, _ part: String) -> Int64 {
        guard !part.isEmpty else { return 1 }
        guard let match = UTF8Search.ranges(of: part, in: s, limit: 1).first else { return 0 }
        // Code points before the match: the bytes that do not continue a sequence.
        return Int64(s.utf8.prefix(match.lowerBound).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }) + 1
    }

    static func startsWith(_ s: String, _ prefix: String) -> Bool { s.utf8.starts(with: prefix.utf8) }

    static func endsWith(_ s: String, _ suffix: String) -> Bool {
        let (a, b) = (s.utf8, suffix.utf8)
        return a.count >= b.count && a.suffix(b.count).elementsEqual(b)
    }

    static func contains(_ s: String, _ part: String) -> Bool {
        part.isEmpty || !UTF8Search.ranges(of: part, in: s, limit: 1).isEmpty
    }

    /// `reverse(s)`: by user-perceived character, as DuckDB reverses (a flag or an accent stays whole).
    static func reverse(_ s: String) -> String { String(s.reversed()) }

    static func repeated(_ s: String, _ n: Int64) throws(StrataError) -> String {
        guard n > 0, !s.isEmpty else { return "" }
        guard n <= Int64(maximumResultBytes / s.utf8.count) else {
            throw StrataError(
                .limit, "repeat() of \(s.utf8.count) bytes \(n) times exceeds the longest string Strata builds")
        }
        return String(repeating: s, count: Int(n))
    }

    /// `ascii(s)`: the first code point's number (0 for the empty string).
    static func ascii(_ s: String) -> Int64 { Int64(s.unicodeScalars.first?.value ?? 0) }

    /// `unicode(s)`: the first code point's number, -1 for the empty string.
    static func unicode(_ s: String) -> Int64 { s.unicodeScalars.first.map { Int64($0.value) } ?? -1 }

    /// `translate(s, from, to)`: each code point of `from` in `s` replaced by the one at its position in `to`
    /// (its first position, when it repeats), or removed when `to` is shorter.
    static func translate(_ s: String, _ from: String, _ to: String) -> String {
        let targets = Array(to.unicodeScalars)
        var map: [Unicode.Scalar: Unicode.Scalar?] = [:]
        for (k, c) in from.unicodeScalars.enumerated() where map[c] == nil {
            map[c] = .some(k < targets.count ? targets[k] : nil)
        }
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            if let mapped = map[c] {
                if let replacement = mapped { out.append(replacement) }
            } else {
                out.append(c)
            }
        }
        return String(out)
    }

    /// `chr(n)`: the code point `n` as a string.
    static func chr(_ n: Int64) throws(StrataError) -> String {
        guard let value = UInt32(exactly: n), let scalar = Unicode.Scalar(value) else {
            throw StrataError(.invalidArgument, "chr(): \(n) is not a Unicode code point")
        }
        return String(Character(scalar))
    }
}

/// Byte-wise substring search over UTF-8, as DuckDB searches (no Unicode normalization).
enum UTF8Search {
    /// The byte ranges of the non-overlapping occurrences of `needle` in `haystack`, left to right (at most
    /// `limit`).
    static func ranges(of needle: String, in haystack: String, limit: Int = .max) -> [Range<Int>] {
        var needle = needle
        var haystack = haystack
        return needle.withUTF8 { n in
            haystack.withUTF8 { h in
                var found: [Range<Int>] = []
                guard let first = n.first, n.count <= h.count else { return found }
                var i = 0
                let last = h.count - n.count
                while i <= last, found.count < limit {
                    if h[i] == first, (1..<n.count).allSatisfy({ h[i + $0] == n[$0] }) {
                        found.append(i..<(i + n.count))
                        i += n.count
                    } else {
                        i += 1
                    }
                }
                return found
            }
        }
    }

    /// The bytes `range` of `s` (whole code points: a match of a valid UTF-8 needle starts and ends on them).
    static func slice(_ s: String, _ range: Range<Int>) -> String {
        let bytes = s.utf8
        let from = bytes.index(bytes.startIndex, offsetBy: range.lowerBound)
        let to = bytes.index(from, offsetBy: range.count)
        return String(Substring(bytes[from..<to]))
    }
}
