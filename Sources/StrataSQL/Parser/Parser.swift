internal import StrataCore

/// A recursive-descent parser over the tokens of one query text.
///
/// Clauses are parsed here, expressions in `Parser+Expressions.swift` (precedence climbing) and
/// `Parser+Primary.swift` (atoms). Every error is a `.syntax` ``StrataError`` that names the
/// offending token's line and column, says what was expected and what was found, and carries a caret
/// snippet as its detail.
struct Parser {
    let source: SQLSourceText
    private(set) var tokens: [Token]
    private(set) var index = 0
    /// How deeply expressions and subqueries nest right now; bounded so hostile input cannot overflow the stack.
    var depth = 0
    /// The clause keywords that could still follow the query parsed last; used to suggest a keyword
    /// for a misspelled word such as `FORM`.
    var clauseCandidates: [Keyword] = []
    /// The placeholders read so far (``prefixExpression()`` numbers each `?`).
    var parameters = StatementParameters()

    static let maximumDepth = 200
    /// The most levels an expression tree may have. DuckDB allows 1,000, but a debug build here spends
    /// ~16 KB of stack per level binding and evaluating (`ExpressionBinder.bindNode` alone has a 10 KB
    /// frame): about 500 levels overflowed an 8 MB thread and 250 a 4 MB one (measured), so 128 keeps a
    /// 3× margin on 8 MB.
    static let maximumExpressionDepth = 128

    init(_ sql: String) throws(StrataError) {
        source = SQLSourceText(sql)
        var lexer = Lexer(source)
        tokens = try lexer.tokenize()
    }

    // MARK: Token access

    var current: Token { tokens[index] }

    func peek(_ ahead: Int) -> Token {
        tokens[Swift.min(index + ahead, tokens.count - 1)]
    }

    /// The range of the token consumed last.
    var previousRange: SourceRange {
        index > 0 ? tokens[index - 1].range : SourceRange(offset: 0, length: 0)
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// Consumes the current token if it is `keyword`.
    @discardableResult
    mutating func consume(_ keyword: Keyword) -> Token? {
        current.is(keyword) ? advance() : nil
    }

    /// Consumes the current token if it is `symbol`.
    @discardableResult
    mutating func consume(_ symbol: Token.Symbol) -> Token? {
        current.is(symbol) ? advance() : nil
    }

    @discardableResult
    mutating func expect(_ keyword: Keyword) throws(StrataError) -> Token {
        guard let token = consume(keyword) else { throw unexpected(expected: keyword.sql) }
        return token
    }

    @discardableResult
    mutating func expect(_ symbol: Token.Symbol) throws(StrataError) -> Token {
        guard let token = consume(symbol) else { throw unexpected(expected: "'\(symbol.rawValue)'") }
        return token
    }

    /// Parses a name; `what` says what the name is for the error message ("a table name").
    mutating func identifier(_ what: String) throws(StrataError) -> Identifier {
        guard current.isIdentifier else { throw unexpected(expected: what) }
        let token = advance()
        return Identifier(token.text, isQuoted: token.kind == .quotedIdentifier, range: token.range)
    }

    // MARK: Errors

    /// A syntax error at the current token: `expected <expected>, found <token>`.
    func unexpected(expected: String) -> StrataError {
        source.error(.syntax, "expected \(expected), found \(current.displayName)", at: current.range)
    }

    /// An error for valid SQL that Strata does not support, at `range`.
    func unsupported(_ message: String, at range: SourceRange) -> StrataError {
        source.error(.unsupported, message, at: range)
    }

    // MARK: Statements

    /// `[EXPLAIN [ANALYZE]] query [;…]` and the end of the text.
    mutating func statement() throws(StrataError) -> SQLStatement {
        if let catalog = try catalogStatement() {
            while consume(.semicolon) != nil {}
            try expectEnd(.query)
            return catalog
        }
        if let setting = try settingStatement() {
            while consume(.semicolon) != nil {}
            try expectEnd(.query)
            return setting
        }
        if let definition = try definitionStatement() {
            while consume(.semicolon) != nil {}
            try expectEnd(.query)
            return definition
        }
        var explain: Bool?
        if current.is(.explain) {
            advance()
            explain = consume(.analyze) != nil
        }
        guard current.is(.select) || current.is(.with) || current.is(.leftParen) || atWord("values") else {
            throw unexpected(expected: explain == nil ? "SELECT" : "SELECT after EXPLAIN")
        }
        let query = try self.query()
        while consume(.semicolon) != nil {}
        try expectEnd(.query)
        return explain.map { .explain(query, analyze: $0) } ?? .select(query)
    }

    /// Whether the current token is the bare word `word` (not a keyword of the grammar).
    func atWord(_ word: String) -> Bool {
        current.kind == .word && current.keyword == nil && current.text.lowercased() == word
    }

    /// `SET [SESSION|LOCAL|GLOBAL] name {=|TO} value`, `RESET name|ALL`, `SHOW name`; nil for any other
    /// statement.
    mutating func settingStatement() throws(StrataError) -> SQLStatement? {
        if atWord("set") {
            advance()
            if atWord("session") || atWord("local") || atWord("global"), peek(1).kind == .word {
                advance()
            }
            let name = try identifier("a setting name")
            if atWord("to") {
                advance()
            } else if consume(.equal) == nil {
                throw unexpected(expected: "'=' or TO")
            }
            let start = current.range
            let value: SettingAssignment.Value
            switch current.kind {
            case .string:
                value = .string(advance().text)
            case .number:
                value = .number(advance().text)
            case .symbol(.minus) where peek(1).kind == .number:
                advance()
                value = .number("-" + advance().text)
            case .word, .quotedIdentifier:
                value = .word(advance().text)
            default:
                throw unexpected(expected: "a setting value such as '512MB'")
            }
            let end = previousRange
            let range = SourceRange(offset: start.offset, length: end.offset + end.length - start.offset)
            return .set(SettingAssignment(name: name, value: value, valueRange: range))
        }
        if atWord("reset") {
            advance()
            if consume(.all) != nil { return .reset(nil) }
            return .reset(try identifier("a setting name or ALL"))
        }
        if atWord("show"), peek(1).kind == .word || peek(1).kind == .quotedIdentifier {
            advance()
            return .show(try identifier("a setting name"))
        }
        return nil
    }

    /// The catalog statements BI tools send, as the queries they stand for: `SHOW TABLES`, `DESCRIBE t`,
    /// `SHOW COLUMNS FROM t`, `PRAGMA table_info('t')`, `PRAGMA show_tables`; nil for any other statement.
    mutating func catalogStatement() throws(StrataError) -> SQLStatement? {
        if atWord("show"), peek(1).kind == .word, peek(1).text.lowercased() == "tables" {
            advance()
            advance()
            return .select(try Self.synthesized("SELECT table_name AS name FROM information_schema.tables ORDER BY name"))
        }
        if atWord("show"), peek(1).is(.all), peek(2).kind == .word, peek(2).text.lowercased() == "tables" {
            throw unsupported("SHOW ALL TABLES is not supported (its column lists are arrays); use SHOW TABLES and DESCRIBE", at: current.range)
        }
        if atWord("show"), peek(1).kind == .word, peek(1).text.lowercased() == "columns" {
            advance()
            advance()
            guard consume(.from) != nil || consume(.in) != nil else { throw unexpected(expected: "FROM") }
            return .select(try describe(function: "describe"))
        }
        if atWord("describe") || atWord("desc"), peek(1).isIdentifier {
            advance()
            return .select(try describe(function: "describe"))
        }
        if atWord("pragma") {
            advance()
            let name = try identifier("a pragma name")
            switch name.normalized {
            case "show_tables":
                return .select(try Self.synthesized("SELECT table_name AS name FROM information_schema.tables ORDER BY name"))
            case "table_info":
                try expect(.leftParen)
                let argument = try expression()
                try expect(.rightParen)
                let call = TableFunctionCall(name: Identifier("pragma_table_info", range: name.range), arguments: [argument])
                return .select(SelectStatement(items: [.wildcard(qualifier: nil)], from: TableReference(source: .function(call))))
            default:
                throw unsupported("PRAGMA \(name.name) is not supported; PRAGMA table_info('t') and PRAGMA show_tables are", at: name.range)
            }
        }
        return nil
    }

    /// `SELECT * FROM function('table')` for the table named next (a name or a string).
    private mutating func describe(function: String) throws(StrataError) -> SelectStatement {
        let start = current.range
        var name: String
        if current.kind == .string {
            name = advance().text
        } else {
            name = try identifier("a table name").name
            // `schema.table`: the catalog has one schema.
            while consume(.dot) != nil { name = try identifier("a table name").name }
        }
        let range = start.union(previousRange)
        let argument = SQLExpression(.literal(.string(name)), range: range)
        let call = TableFunctionCall(name: Identifier(function, range: range), arguments: [argument])
        return SelectStatement(items: [.wildcard(qualifier: nil)], from: TableReference(source: .function(call), range: range))
    }

    /// The query `sql`, fixed text written here (its ranges point into it, not into the statement).
    static func synthesized(_ sql: String) throws(StrataError) -> SelectStatement {
        var parser = try Parser(sql)
        return try parser.query()
    }

    /// What ends the text being parsed.
    enum Terminator {
        /// The end of the text, after a statement.
        case query
        /// The end of the text, after a lone expression.
        case expression
        /// The `)` that closes a subquery (not consumed).
        case closingParenthesis
    }

    /// Throws unless the current token is `terminator`; names a likely misspelled clause keyword when the
    /// stray word is close to one.
    func expectEnd(_ terminator: Terminator) throws(StrataError) {
        let expected: String
        switch terminator {
        case .query, .expression:
            if current.kind == .end { return }
            expected = terminator == .query ? "end of query" : "end of expression"
        case .closingParenthesis:
            if current.is(.rightParen) { return }
            expected = "')'"
        }
        if let keyword = suggestion(for: current, among: clauseCandidates) {
            throw unexpected(expected: Parser.clauseName(keyword))
        }
        if clauseCandidates.first == .from, current.isIdentifier {
            throw unexpected(expected: "',' or FROM")
        }
        throw unexpected(expected: expected)
    }

    /// The keywords that begin a clause, as shown in messages: `GROUP BY`, not `GROUP`.
    static func clauseName(_ keyword: Keyword) -> String {
        switch keyword {
        case .group, .order: keyword.sql + " BY"
        default: keyword.sql
        }
    }
}
