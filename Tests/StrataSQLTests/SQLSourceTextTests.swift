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
