import StrataCore
import Testing

@testable import StrataSQL

@Suite("Lexer")
struct LexerTests {
    private func tokens(_ sql: String) throws(StrataError) -> [Token] {
        var lexer = Lexer(SQLSourceText(sql))
        return try lexer.tokenize()
    }

    private func lexError(_ sql: String) -> StrataError? {
        do {
            _ = try tokens(sql)
            return nil
        } catch {
            return error
        }
    }

    @Test("splits words, numbers, strings, quoted names and symbols, with byte ranges")
    func basicTokens() throws {
        let result = try tokens("SELECT a1, 'it''s', \"Big \"\"Name\"\"\", 4.5e-3 FROM t;")
        #expect(
            result.map(\.kind) == [
                .word, .word, .symbol(.comma), .string, .symbol(.comma), .quotedIdentifier, .symbol(.comma), .number,
                .word, .word, .symbol(.semicolon), .end,
            ])
        #expect(result[0].keyword == .select)
        #expect(result[1].keyword == nil)
        #expect(result[3].text == "it's")
        #expect(result[5].text == "Big \"Name\"")
        #expect(result[7].text == "4.5e-3")
        #expect(result[1].range == SourceRange(offset: 7, length: 2))
        #expect(result[3].range == SourceRange(offset: 11, length: 7))
    }

    @Test(
        "recognises every operator",
        arguments: [
            ("||", Token.Symbol.concat), ("<>", .notEqual), ("!=", .bangEqual), ("<=", .lessEqual),
            (">=", .greaterEqual), ("::", .doubleColon), ("==", .equal), ("=", .equal), ("<", .less), (">", .greater),
            ("%", .percent), ("/", .slash), ("*", .star), ("-", .minus), ("+", .plus), (".", .dot),
        ])
    func operators(text: String, symbol: Token.Symbol) throws {
        let result = try tokens(text)
        #expect(result.map(\.kind) == [.symbol(symbol), .end])
    }

    @Test("keywords are case-insensitive and keep their spelling")
    func keywordCase() throws {
        let result = try tokens("SeLeCt select SELECT")
        #expect(result.dropLast().allSatisfy { $0.keyword == .select })
        #expect(result.map(\.text).dropLast() == ["SeLeCt", "select", "SELECT"])
    }

    @Test("skips line comments and nested block comments")
    func comments() throws {
        let result = try tokens("a -- comment\n/* one /* two */ still */ b /**/c--end")
        #expect(result.map(\.text) == ["a", "b", "c", ""])
    }

    @Test("the end token sits just after the last real token, not after trailing blanks")
    func endPosition() throws {
        let result = try tokens("SELECT a   \n  -- trailing\n")
        #expect(result.last?.range == SourceRange(offset: 8, length: 0))
        #expect(try tokens("").map(\.kind) == [.end])
    }

    @Test("numbers: integers, decimals, leading dot, exponents")
    func numbers() throws {
        let result = try tokens("42 3.14 .5 1e6 2E+3 7.")
        #expect(result.dropLast().map(\.text) == ["42", "3.14", ".5", "1e6", "2E+3", "7."])
        #expect(result.dropLast().allSatisfy { $0.kind == .number })
    }

    @Test("non-ASCII letters are identifier characters, and ranges count bytes")
    func unicode() throws {
        let result = try tokens("größe = 'ü'")
        #expect(result[0].text == "größe")
        #expect(result[0].range == SourceRange(offset: 0, length: 7))
        #expect(result[2].text == "ü")
    }

    @Test("an unterminated string names its opening quote")
    func unterminatedString() throws {
        let error = try #require(lexError("SELECT 'abc"))
        #expect(error.code == .syntax)
        #expect(error.message == "unterminated string literal: the ' here is never closed")
        #expect(error.location == StrataError.Location(line: 1, column: 8, offset: 7))
        #expect(error.detail == "SELECT 'abc\n       ^")
    }

    @Test("an unterminated quoted identifier names its opening quote")
    func unterminatedIdentifier() throws {
        let error = try #require(lexError("SELECT\n  \"abc FROM t"))
        #expect(error.message.hasPrefix("unterminated quoted identifier"))
        #expect(error.location == StrataError.Location(line: 2, column: 3, offset: 9))
        #expect(error.detail == "  \"abc FROM t\n  ^")
    }

    @Test("an unterminated block comment names where it starts")
    func unterminatedComment() throws {
        let error = try #require(lexError("SELECT a /* not /* closed */ FROM t"))
        #expect(error.message == "unterminated comment: '/*' has no matching '*/'")
        #expect(error.location?.column == 10)
    }

    @Test(
        "a character that starts no token is named",
        arguments: [
            ("SELECT a # b", "'#'", 10), ("SELECT a ` b", "'`'", 10), ("SELECT ! a", "'!'", 8),
            ("SELECT a | b", "'|'", 10), ("x : y", "':'", 3), ("SELECT {a}", "'{'", 8),
        ])
    func badCharacter(sql: String, shown: String, column: Int) throws {
        let error = try #require(lexError(sql))
        #expect(error.message == "unexpected character \(shown)")
        #expect(error.location?.column == column)
    }

    @Test("an empty quoted identifier is an error")
    func emptyQuotedIdentifier() throws {
        let error = try #require(lexError("SELECT \"\" FROM t"))
        #expect(error.message == "a quoted identifier cannot be empty")
    }

    @Test("a number running into letters is an invalid number", arguments: ["1abc", "12e", "1.2.3"])
    func invalidNumber(text: String) throws {
        let error = try #require(lexError("SELECT \(text)"))
        #expect(error.message.hasPrefix("invalid number '"))
        #expect(error.location?.column == 8)
    }
}
