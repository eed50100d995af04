import Foundation
@testable import StrataExecution
import Testing

/// `LIKE` matching against a regular-expression oracle: random patterns of literals, `%` and `_` over a small
/// alphabet with a two-byte letter, so that the UTF-8 search path (no `_`) and the scalar path both meet
/// overlaps, repeats, anchors and empty pieces.
@Suite("LIKE patterns")
struct LikePatternTests {
    static let alphabet: [Character] = ["a", "b", "é", "%", "_"]

    /// The pattern as an anchored regular expression: `%` is `.*`, `_` is `.`.
    static func regex(_ pattern: String) throws -> NSRegularExpression {
        var source = "^"
        for c in pattern {
            switch c {
            case "%": source += ".*"
            case "_": source += "."
            default: source += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        return try NSRegularExpression(pattern: source + "$", options: [.dotMatchesLineSeparators])
    }

    @Test("random patterns and texts match as the regular expression does")
    func matchesRegex() throws {
        var seed: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for _ in 0..<3000 {
            let pattern = String((0..<next(7)).map { _ in Self.alphabet[next(Self.alphabet.count)] })
            let text = String((0..<next(9)).map { _ in Self.alphabet[next(3)] })
            let expected = try Self.regex(pattern).firstMatch(
                in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(LikePattern(pattern).matches(text) == expected, "'\(text)' LIKE '\(pattern)'")
        }
    }

    @Test func anchorsAndOverlaps() {
        #expect(LikePattern("%special%requests%").matches("xx special yy requests"))
        #expect(!LikePattern("%special%requests%").matches("requests special"))
        #expect(LikePattern("aba%aba").matches("ababa") == false)
        #expect(LikePattern("ab%ba").matches("aba") == false)
        #expect(LikePattern("ab%ba").matches("abba"))
        #expect(LikePattern("%").matches(""))
        #expect(LikePattern("").matches(""))
        #expect(!LikePattern("").matches("a"))
        #expect(LikePattern("%BRASS").matches("LARGE BRASS"))
        #expect(!LikePattern("%BRASS").matches("BRASS LARGE"))
    }
}
