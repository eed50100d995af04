public import StrataCore

/// A query text with the tools to report a position in it: line and column, and a caret snippet.
///
/// The parser uses it for syntax errors; the binder reuses it for its own errors (unknown column,
/// type mismatch) so that every error about a query looks the same:
///
/// ```
/// 1:17: syntax error: expected FROM, found 'FORM'
/// SELECT user_id FORM events
///                ^
/// ```
public struct SQLSourceText: Sendable {
    /// The query text.
    public let sql: String

    /// Wraps a query text.
    public init(_ sql: String) {
        self.sql = sql
    }

    /// The 1-based line and column, and the byte offset, of a byte offset in the text.
    ///
    /// Columns count Unicode scalars, so a multi-byte character counts once. An offset past the end
    /// is clamped to the end.
    /// - Complexity: O(offset).
    public func location(at offset: Int) -> StrataError.Location {
        let bytes = sql.utf8
        let target = Swift.max(0, Swift.min(offset, bytes.count))
        var line = 1
        var column = 1
        var index = 0
        for byte in bytes {
            if index == target { break }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return StrataError.Location(line: line, column: column, offset: target)
    }

    /// The line that holds `offset`, and under it a caret `^` at the offset's column.
    ///
    /// Tabs before the offset are repeated in the caret line, so the caret lines up in a terminal. A line
    /// longer than ``maximumSnippetWidth`` characters is cut to a window around the offset, with `...`
    /// marking the cuts.
    /// - Complexity: O(n) in the length of the text.
    public func caretSnippet(at offset: Int) -> String {
        let bytes = Array(sql.utf8)
        let target = Swift.max(0, Swift.min(offset, bytes.count))
        var lineStart = target
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = target
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        let before = Array(
            String(decoding: bytes[lineStart..<Swift.min(target, lineEnd)], as: UTF8.self).unicodeScalars)
        let line = Array(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self).unicodeScalars)
        var window = 0..<line.count
        if line.count > SQLSourceText.maximumSnippetWidth {
            let start = Swift.max(
                0,
                Swift.min(
                    before.count - SQLSourceText.maximumSnippetWidth / 2,
                    line.count - SQLSourceText.maximumSnippetWidth))
            window = start..<Swift.min(line.count, start + SQLSourceText.maximumSnippetWidth)
        }
        let head = window.lowerBound > 0 ? "..." : ""
        let tail = window.upperBound < line.count ? "..." : ""
        var text = head
        text.unicodeScalars.append(contentsOf: line[window])
        text += tail + "\n" + String(repeating: " ", count: head.count)
        for scalar in before[window.lowerBound...] {
            text.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
        }
        return text + "^"
    }

    /// The longest query line a caret snippet shows whole, in characters.
    public static let maximumSnippetWidth = 100

    /// An error that points at `offset` in this text: its location and a caret snippet as detail.
    ///
    /// - Parameters:
    ///   - code: The error code, such as `.syntax` or `.binding`.
    ///   - message: What went wrong, in words a person can act on.
    ///   - offset: The byte offset the error is about.
    public func error(_ code: StrataError.Code, _ message: String, at offset: Int) -> StrataError {
        StrataError(code, message, location: location(at: offset), detail: caretSnippet(at: offset))
    }

    /// An error that points at the start of `range` in this text.
    public func error(_ code: StrataError.Code, _ message: String, at range: SourceRange) -> StrataError {
        error(code, message, at: range.offset)
    }
}

/// The line of `sql` that holds byte `offset`, and under it a caret `^` at the offset's column.
///
/// A shorthand for ``SQLSourceText/caretSnippet(at:)``.
public func caretSnippet(sql: String, offset: Int) -> String {
    SQLSourceText(sql).caretSnippet(at: offset)
}
