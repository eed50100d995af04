internal import StrataCore

/// Splits a query text into tokens, working directly on its UTF-8 bytes.
///
/// Whitespace, `--` line comments and `/* */` block comments (which nest, as in PostgreSQL and DuckDB)
/// are skipped. Bytes of non-ASCII characters are identifier characters, so `SELECT größe FROM t` works.
/// Strings are only built for the tokens that carry text (words, literals, quoted names).
struct Lexer {
    private let bytes: [UInt8]
    private let source: SQLSourceText
    private var position = 0

    init(_ source: SQLSourceText) {
        self.source = source
        self.bytes = Array(source.sql.utf8)
    }

    /// All the tokens of the text, ending with one ``Token/Kind/end`` token.
    ///
    /// The end token sits just past the last real token (trailing blanks and comments are not part of
    /// the query), so "found end of query" errors point where the query visibly stops.
    /// - Throws: A syntax error for an unterminated string, quoted identifier or comment, a malformed
    ///   number, or a character that cannot start a token.
    mutating func tokenize() throws(StrataError) -> [Token] {
        var tokens: [Token] = []
        while true {
            try skipBlanksAndComments()
            guard position < bytes.count else { break }
            tokens.append(try nextToken())
        }
        let end = tokens.last?.range.end ?? 0
        tokens.append(Token(kind: .end, text: "", keyword: nil, range: SourceRange(offset: end, length: 0)))
        return tokens
    }

    private func peek(_ ahead: Int = 0) -> UInt8 {
        let index = position + ahead
        return index < bytes.count ? bytes[index] : 0
    }

    private mutating func skipBlanksAndComments() throws(StrataError) {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                position += 1
            } else if byte == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                try skipBlockComment()
            } else {
                return
            }
        }
    }

    private mutating func skipBlockComment() throws(StrataError) {
        let start = position
        var depth = 0
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                depth += 1
                position += 2
            } else if bytes[position] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                depth -= 1
                position += 2
                if depth == 0 { return }
            } else {
                position += 1
            }
        }
        throw source.error(.syntax, "unterminated comment: '/*' has no matching '*/'", at: start)
    }

    private mutating func nextToken() throws(StrataError) -> Token {
        let start = position
        let byte = bytes[position]
        if Lexer.isIdentifierStart(byte) {
            return word(from: start)
        }
        if Lexer.isDigit(byte) || (byte == UInt8(ascii: ".") && Lexer.isDigit(peek(1))) {
            return try number(from: start)
        }
        if byte == UInt8(ascii: "'") {
            let text = try quoted(by: byte, from: start, what: "string literal")
            return Token(kind: .string, text: text, keyword: nil, range: range(from: start))
        }
        if byte == UInt8(ascii: "\"") {
            let text = try quoted(by: byte, from: start, what: "quoted identifier")
            if text.isEmpty {
                throw source.error(.syntax, "a quoted identifier cannot be empty", at: start)
            }
            return Token(kind: .quotedIdentifier, text: text, keyword: nil, range: range(from: start))
        }
        if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "$") {
            return try parameter(from: start)
        }
        guard let symbol = symbol() else {
            throw source.error(.syntax, "unexpected character \(characterDescription(at: start))", at: start)
        }
        return Token(kind: .symbol(symbol), text: "", keyword: nil, range: range(from: start))
    }

    private func range(from start: Int) -> SourceRange {
        SourceRange(offset: start, length: position - start)
    }

    private mutating func word(from start: Int) -> Token {
        position += 1
        while position < bytes.count, Lexer.isIdentifierPart(bytes[position]) { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        var keyword: Keyword?
        if position - start <= 10, bytes[start..<position].allSatisfy({ $0 < 0x80 }) {
            keyword = Keyword.lookup(text.lowercased())
        }
        return Token(kind: .word, text: text, keyword: keyword, range: range(from: start))
    }

    private mutating func number(from start: Int) throws(StrataError) -> Token {
        while Lexer.isDigit(peek()) { position += 1 }
        if peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: ".") {
            position += 1
            while Lexer.isDigit(peek()) { position += 1 }
        }
        if peek() | 0x20 == UInt8(ascii: "e") {
            let signed = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
            if Lexer.isDigit(peek(signed ? 2 : 1)) {
                position += signed ? 2 : 1
                while Lexer.isDigit(peek()) { position += 1 }
            }
        }
        if position < bytes.count, Lexer.isIdentifierPart(bytes[position]) || bytes[position] == UInt8(ascii: ".") {
            while position < bytes.count, Lexer.isIdentifierPart(bytes[position]) { position += 1 }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            throw source.error(.syntax, "invalid number '\(text)'", at: start)
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return Token(kind: .number, text: text, keyword: nil, range: range(from: start))
    }

    /// `?`, `$1` or `$name`: a placeholder for a bound value.
    private mutating func parameter(from start: Int) throws(StrataError) -> Token {
        position += 1
        guard bytes[start] == UInt8(ascii: "$") else {
            return Token(kind: .parameter, text: "", keyword: nil, range: range(from: start))
        }
        guard Lexer.isIdentifierPart(peek()), peek() != UInt8(ascii: "$") else {
            throw source.error(
                .syntax, "'$' must be followed by a parameter number or name, as in $1 or $name", at: start)
        }
        let numbered = Lexer.isDigit(peek())
        while position < bytes.count, Lexer.isIdentifierPart(bytes[position]), bytes[position] != UInt8(ascii: "$") {
            position += 1
        }
        let text = String(decoding: bytes[(start + 1)..<position], as: UTF8.self)
        if numbered, Int(text).map({ $0 < 1 }) ?? true {
            throw source.error(.syntax, "invalid parameter '$\(text)': numbers start at $1", at: start)
        }
        return Token(kind: .parameter, text: text, keyword: nil, range: range(from: start))
    }

    /// Reads a literal enclosed in `quote`, where a doubled quote stands for one quote character.
    private mutating func quoted(by quote: UInt8, from start: Int, what: String) throws(StrataError) -> String {
        position += 1
        var value: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == quote {
                guard peek() == quote else {
                    return String(decoding: value, as: UTF8.self)
                }
                position += 1
            }
            value.append(byte)
        }
        let mark = quote == UInt8(ascii: "'") ? "'" : "\""
        throw source.error(.syntax, "unterminated \(what): the \(mark) here is never closed", at: start)
    }

    private mutating func symbol() -> Token.Symbol? {
        let first = bytes[position]
        let second = peek(1)
        let twoBytes: Token.Symbol? =
            switch (first, second) {
            case (UInt8(ascii: "|"), UInt8(ascii: "|")): .concat
            case (UInt8(ascii: "/"), UInt8(ascii: "/")): .doubleSlash
            case (UInt8(ascii: "<"), UInt8(ascii: ">")): .notEqual
            case (UInt8(ascii: "!"), UInt8(ascii: "=")): .bangEqual
            case (UInt8(ascii: "!"), UInt8(ascii: "~")): .bangTilde
            case (UInt8(ascii: "<"), UInt8(ascii: "=")): .lessEqual
            case (UInt8(ascii: ">"), UInt8(ascii: "=")): .greaterEqual
            case (UInt8(ascii: ":"), UInt8(ascii: ":")): .doubleColon
            case (UInt8(ascii: "="), UInt8(ascii: "=")): .equal
            default: nil
            }
        if let twoBytes {
            position += 2
            return twoBytes
        }
        guard first < 0x80, let symbol = Token.Symbol(rawValue: String(UnicodeScalar(first))) else { return nil }
        position += 1
        return symbol
    }

    private func characterDescription(at offset: Int) -> String {
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'" + String(decoding: bytes[offset..<end], as: UTF8.self) + "'"
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
            || byte >= 0x80
    }

    private static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
    }
}
