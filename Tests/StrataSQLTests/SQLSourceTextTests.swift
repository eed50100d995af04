import StrataCore
import StrataSQL
import Testing

@Suite("Positions and caret snippets")
struct SQLSourceTextTests {
    @Test(
        "line and column are 1-based; columns count characters, not bytes",
        arguments: [
            ("abc", 0, 1, 1), ("abc", 2, 1, 3), ("a\nbc", 2, 2, 1), ("a\nbc", 3, 2, 2), ("ü x", 3, 1, 3),
            ("abc", 99, 1, 4), ("", 0, 1, 1),
        ])
    func location(sql: String, offset: Int, line: Int, column: Int) {
        let location = SQLSourceText(sql).location(at: offset)
        #expect(location.line == line)
        #expect(location.column == column)
        #expect(location.offset == min(offset, sql.utf8.count))
    }

    @Test("the caret snippet shows only the offending line")
    func snippet() {
        let sql = "SELECT a\nFROM t\nWHERE b = = 1"
        #expect(caretSnippet(sql: sql, offset: 26) == "WHERE b = = 1\n          ^")
        #expect(caretSnippet(sql: "x\r\ny", offset: 0) == "x\n^")
    }

    @Test("the binder can build its own errors with the same shape")
    func binderStyleError() {
        let source = SQLSourceText("SELECT nope FROM events")
        let error = source.error(.binding, "unknown column 'nope'", at: SourceRange(offset: 7, length: 4))
        #expect(error.code == .binding)
        #expect(error.location == StrataError.Location(line: 1, column: 8, offset: 7))
        #expect(error.detail == "SELECT nope FROM events\n       ^")
    }
}

@Suite("Caret snippets of long lines")
struct LongLineSnippetTests {
    @Test("a long line is cut to a window around the caret")
    func window() {
        let sql = "SELECT " + (0..<60).map { "c\($0)" }.joined(separator: ", ") + " FORM t"
        let offset = sql.utf8.count - 6
        let snippet = caretSnippet(sql: sql, offset: offset)
        let lines = snippet.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("..."))
        #expect(lines[0].hasSuffix("FORM t"))
        #expect(lines[0].count <= SQLSourceText.maximumSnippetWidth + 6)
        let caretColumn = lines[1].count - 1
        #expect(Array(lines[0])[caretColumn] == "F")
    }

    @Test("a caret near the start of a long line cuts only the end")
    func windowAtStart() {
        let sql = "SELEC " + String(repeating: "x, ", count: 80)
        let lines = caretSnippet(sql: sql, offset: 0).split(separator: "\n")
        #expect(lines[0].hasPrefix("SELEC"))
        #expect(lines[0].hasSuffix("..."))
        #expect(lines[1] == "^")
    }

    @Test("a caret at the very end of a long line stays visible")
    func windowAtEnd() {
        let sql = String(repeating: "a + ", count: 60) + "("
        let lines = caretSnippet(sql: sql, offset: sql.utf8.count).split(separator: "\n")
        #expect(lines[0].hasSuffix("("))
        #expect(lines[1].count == lines[0].count + 1)
    }
}
