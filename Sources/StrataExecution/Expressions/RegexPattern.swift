package import StrataCore

/// DuckDB's regular expression functions, over a pattern the binder compiled once.
package enum RegexFunction: Hashable, Sendable {
    /// `regexp_matches(s, p[, options])` and `s ~ p`: whether `p` matches somewhere in `s`.
    case matches
    /// `regexp_full_match(s, p[, options])` and `s SIMILAR TO p`: whether `p` matches all of `s`.
    case fullMatch
    /// `regexp_replace(s, p, replacement[, options])`: the first match (every match with option `g`) replaced.
    case replace
    /// `regexp_extract(s, p[, group])`: the group's text (0: the whole match) in the first match, `''`
    /// without a match.
    case extract(group: Int)

    package var resultType: SQLValueType {
        switch self {
        case .matches, .fullMatch: .boolean
        case .replace, .extract: .varchar
        }
    }
}

/// A pattern in RE2's syntax (DuckDB's engine) compiled to a Swift `Regex` with RE2's matching rules: code
/// point semantics, ASCII-only `\d \w \s`, `.` not matching a newline (option `s` makes it). What RE2 refuses
/// because it needs backtracking (backreferences, lookaround, atomic groups, possessive repetition) is
/// refused here too, with RE2's reason, rather than answered differently from DuckDB.
package struct RegexPattern: Hashable, Sendable, CustomStringConvertible {
    package let text: String
    package let caseInsensitive: Bool
    package let dotMatchesNewline: Bool
    /// `regexp_replace`'s option `g`: replace every match, not just the first.
    package let global: Bool
    /// The number of capture groups.
    package let groupCount: Int

    /// Compiles `text` with DuckDB's option letters (`c` case-sensitive, `i` case-insensitive, `s` `.` matches
    /// a newline, `m`/`n`/`p` newline-sensitive, the default; `g` for `regexp_replace` only).
    package init(_ text: String, options: String = "", allowsGlobal: Bool = false) throws(StrataError) {
        var caseInsensitive = false
        var dotMatchesNewline = false
        var global = false
        for option in options {
            switch option {
            case "c": caseInsensitive = false
            case "i": caseInsensitive = true
            case "s": dotMatchesNewline = true
            case "m", "n", "p": dotMatchesNewline = false
            case "g" where allowsGlobal: global = true
            case "g":
                throw StrataError(.invalidArgument, "option 'g' (global replace) is only valid for regexp_replace")
            default:
                throw StrataError(
                    .invalidArgument, "unrecognized regex option '\(option)' (expected c, i, s, m, n, p or g)")
            }
        }
        try Self.checkRE2Syntax(text)
        self.text = text
        self.caseInsensitive = caseInsensitive
        self.dotMatchesNewline = dotMatchesNewline
        self.global = global
        groupCount = Self.countGroups(text)
        _ = try matcher()  // an invalid pattern fails here, when the query is bound
    }

    package var description: String { "'\(text)'" }

    /// The pattern compiled for one batch. Swift's `Regex` is not `Sendable` (it compiles its program lazily),
    /// so a plan, which workers share, holds the text and each kernel call compiles its own.
    func matcher() throws(StrataError) -> RegexMatcher {
        let compiled: Regex<AnyRegexOutput>
        do {
            compiled = try Regex(text)
        } catch {
            throw StrataError(.invalidArgument, "invalid regular expression '\(text)': \(error)")
        }
        return RegexMatcher(
            regex: compiled.matchingSemantics(.unicodeScalar).ignoresCase(caseInsensitive)
                .dotMatchesNewlines(dotMatchesNewline)
                .asciiOnlyWordCharacters().asciiOnlyDigits().asciiOnlyWhitespace(),
            global: global)
    }
}

/// A compiled ``RegexPattern``, used by one thread.
struct RegexMatcher {
    let regex: Regex<AnyRegexOutput>
    let global: Bool

    func matches(_ s: String) -> Bool { (try? regex.firstMatch(in: s)) != nil }

    func fullyMatches(_ s: String) -> Bool { (try? regex.wholeMatch(in: s)) != nil }

    /// The text of `group` (0: the whole match) in the first match, `''` without one.
    func extract(_ s: String, group: Int) -> String {
        guard let match = try? regex.firstMatch(in: s), group < match.output.count,
            let text = match.output[group].substring
        else { return "" }
        return String(text)
    }

    /// `s` with the first match (every match when `global`) replaced by `rewrite`.
    func replace(_ s: String, with rewrite: RegexPattern.Rewrite) -> String {
        var out = ""
        var rest = s[...]
        while let match = try? regex.firstMatch(in: rest) {
            out += s[rest.startIndex..<match.range.lowerBound]
            for part in rewrite.parts {
                switch part {
                case .literal(let text): out += text
                case .group(let k): out += k < match.output.count ? match.output[k].substring ?? "" : ""
                }
            }
            if match.range.isEmpty {
                // An empty match: keep the next code point and search after it, as RE2's global replace does.
                guard match.range.upperBound < rest.endIndex else {
                    rest = rest[rest.endIndex...]
                    break
                }
                let next = s.unicodeScalars.index(after: match.range.upperBound)
                out += s[match.range.upperBound..<next]
                rest = s[next...]
            } else {
                rest = s[match.range.upperBound...]
            }
            if !global { break }
        }
        return out + rest
    }

}

extension RegexPattern {
    /// A replacement string: text with `\0`–`\9` naming groups and `\\` a backslash.
    package struct Rewrite: Hashable, Sendable {
        enum Part: Hashable, Sendable {
            case literal(String)
            case group(Int)
        }

        let parts: [Part]

        /// Parses `text` for a pattern with `groupCount` groups, refusing what RE2 refuses.
        package init(_ text: String, groupCount: Int) throws(StrataError) {
            var parts: [Part] = []
            var literal = ""
            var escaped = false
            for c in text.unicodeScalars {
                if escaped {
                    escaped = false
                    if c == "\\" {
                        literal.unicodeScalars.append(c)
                        continue
                    }
                    guard let digit = c.properties.numericType == .decimal ? Int(String(c)) : nil, c.isASCII else {
                        throw StrataError(
                            .invalidArgument,
                            "invalid replacement string '\(text)': '\\' must be followed by a digit or '\\'")
                    }
                    guard digit <= groupCount else {
                        throw StrataError(
                            .invalidArgument,
                            "invalid replacement string '\(text)': it refers to group \(digit), but the pattern has "
                                + "only \(groupCount) parenthesized subexpressions")
                    }
                    if !literal.isEmpty { parts.append(.literal(literal)) }
                    literal = ""
                    parts.append(.group(digit))
                } else if c == "\\" {
                    escaped = true
                } else {
                    literal.unicodeScalars.append(c)
                }
            }
            if escaped {
                throw StrataError(
                    .invalidArgument, "invalid replacement string '\(text)': '\\' must be followed by a digit or '\\'")
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            self.parts = parts
        }
    }

    // MARK: RE2's syntax

    /// Refuses the constructs RE2 does not have; Swift's `Regex` would accept them and match differently.
    private static func checkRE2Syntax(_ text: String) throws(StrataError) {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var inClass = false
        while i < scalars.count {
            let c = scalars[i]
            let next = i + 1 < scalars.count ? scalars[i + 1] : nil
            if c == "\\" {
                if let next, !inClass, ("1"..."9").contains(next) {
                    throw StrataError(
                        .invalidArgument,
                        "invalid regular expression '\(text)': backreferences such as \\\(next) "
                            + "are not supported (RE2 syntax)")
                }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
            } else if c == "[" {
                inClass = true
                // A `]` right after `[` or `[^` is a member, not the end.
                if next == "^" { i += 1 }
                if i + 1 < scalars.count, scalars[i + 1] == "]" { i += 1 }
            } else if c == "(", next == "?" {
                let rest = String(String.UnicodeScalarView(scalars[(i + 2)..<Swift.min(scalars.count, i + 4)]))
                if rest.hasPrefix("=") || rest.hasPrefix("!") || rest.hasPrefix("<=") || rest.hasPrefix("<!")
                    || rest.hasPrefix(">")
                {
                    throw StrataError(
                        .invalidArgument,
                        "invalid regular expression '\(text)': lookaround and atomic groups "
                            + "are not supported (RE2 syntax)")
                }
            } else if "*+?}".unicodeScalars.contains(c), next == "+" {
                throw StrataError(
                    .invalidArgument,
                    "invalid regular expression '\(text)': possessive repetition '\(c)+' is not "
                        + "supported (RE2 syntax)")
            }
            i += 1
        }
    }

    /// The capturing groups: `(` not escaped, outside a class, and not `(?:` or another `(?` form except a
    /// named group.
    private static func countGroups(_ text: String) -> Int {
        let scalars = Array(text.unicodeScalars)
        var count = 0
        var i = 0
        var inClass = false
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\" {
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
            } else if c == "[" {
                inClass = true
                if i + 1 < scalars.count, scalars[i + 1] == "^" { i += 1 }
                if i + 1 < scalars.count, scalars[i + 1] == "]" { i += 1 }
            } else if c == "(" {
                let next = i + 1 < scalars.count ? scalars[i + 1] : nil
                let after = i + 2 < scalars.count ? scalars[i + 2] : nil
                if next != "?" || after == "P" || (after == "<" && i + 3 < scalars.count && scalars[i + 3] != "=") {
                    count += 1
                }
            }
            i += 1
        }
        return count
    }
}
