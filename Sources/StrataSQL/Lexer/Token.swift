/// One lexical unit of a query text, with where it was written.
struct Token: Sendable, Equatable {
    /// What a token is.
    enum Kind: Sendable, Equatable {
        /// A bare word: an identifier or a keyword (see ``Token/keyword``). `text` is the spelling as written.
        case word
        /// A double-quoted identifier. `text` is the name with `""` unescaped.
        case quotedIdentifier
        /// A single-quoted string literal. `text` is the value with `''` unescaped.
        case string
        /// A numeric literal. `text` is the literal as written.
        case number
        /// A placeholder: `?` (`text` empty), `$1` (`text` the digits) or `$name` (`text` the name).
        case parameter
        /// An operator or punctuation.
        case symbol(Symbol)
        /// The end of the query text.
        case end
    }

    /// Operators and punctuation.
    enum Symbol: String, Sendable, Equatable {
        case leftParen = "("
        case rightParen = ")"
        case comma = ","
        case semicolon = ";"
        case dot = "."
        case star = "*"
        case plus = "+"
        case minus = "-"
        case slash = "/"
        case percent = "%"
        case concat = "||"
        case doubleSlash = "//"
        /// `~`: DuckDB's regular-expression match; `!~` its negation.
        case tilde = "~"
        case bangTilde = "!~"
        case equal = "="
        case notEqual = "<>"
        case bangEqual = "!="
        case less = "<"
        case lessEqual = "<="
        case greater = ">"
        case greaterEqual = ">="
        case doubleColon = "::"
    }

    var kind: Kind
    /// See ``Kind``: the spelling, the unescaped value, or empty for symbols and the end.
    var text: String
    /// The keyword a ``Kind/word`` spells, if any.
    var keyword: Keyword?
    var range: SourceRange

    /// Whether this is the word spelling `keyword`.
    func `is`(_ keyword: Keyword) -> Bool {
        kind == .word && self.keyword == keyword
    }

    /// Whether this is `symbol`.
    func `is`(_ symbol: Symbol) -> Bool {
        kind == .symbol(symbol)
    }

    /// Whether this token can be an identifier: a quoted name, or a word that is not a reserved keyword.
    var isIdentifier: Bool {
        switch kind {
        case .quotedIdentifier: true
        case .word: keyword.map { !$0.isReserved } ?? true
        default: false
        }
    }

    /// How the token is named in an error message: `'FORM'`, `string 'abc'`, `end of query`.
    var displayName: String {
        switch kind {
        case .word, .number: "'\(Token.shortened(text))'"
        case .quotedIdentifier: "'\"\(Token.shortened(text))\"'"
        case .string: "string '\(Token.shortened(text))'"
        case .symbol(let symbol): "'\(symbol.rawValue)'"
        case .parameter: text.isEmpty ? "'?'" : "'$\(Token.shortened(text))'"
        case .end: "end of query"
        }
    }

    private static func shortened(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(37)) + "..."
    }
}
