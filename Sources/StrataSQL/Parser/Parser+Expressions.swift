internal import StrataCore

/// Operators by precedence climbing, PostgreSQL's order from loosest to tightest:
/// `OR` < `AND` < `NOT` < `IS [NOT] NULL` < comparisons < `[NOT] BETWEEN/IN/LIKE/ILIKE` < `||` < `+ -`
/// < `* / %` < unary minus < `::`. Binary operators are left-associative.
extension Parser {
    /// Parses an expression whose operators all bind tighter than `minimum`.
    mutating func expression(above minimum: Precedence = .lowest) throws(StrataError) -> SQLExpression {
        try enterNesting()
        defer { depth -= 1 }
        let start = current
        var left = try prefixExpression()
        try checkTreeDepth(of: left, at: start)
        var previous: Precedence?
        while let precedence = infixPrecedence(), precedence > minimum {
            if precedence == previous, precedence == .comparison || precedence == .predicate {
                throw chainError(precedence)
            }
            let op = current
            left = try infixExpression(after: left, precedence: precedence)
            try checkTreeDepth(of: left, at: op)
            previous = precedence
        }
        return left
    }

    /// Bounds the depth of the tree, not only of the recursion that parses it: this loop turns a flat chain
    /// such as `a OR a OR …` or `1 + 1 + …` into a left-deep tree without nesting, and the binder,
    /// evaluator, constant folding and printer then recurse once per level, so ~2,350 terms overflowed the
    /// stack. Every node is built by `prefixExpression` or `infixExpression`, so checking both covers
    /// IN lists, CASE, casts and function arguments too.
    private func checkTreeDepth(of expression: SQLExpression, at token: Token) throws(StrataError) {
        guard expression.depth > Parser.maximumExpressionDepth else { return }
        throw source.error(
            .limit,
            "the expression is too deep (more than \(Parser.maximumExpressionDepth) levels); "
                + "write a = 1 OR a = 2 OR … as a IN (1, 2, …), or group a long chain in balanced parentheses: "
                + "(a OR b) OR (c OR d)",
            at: token.range)
    }

    /// Comparisons and `BETWEEN`/`IN`/`LIKE` do not associate (PostgreSQL, DuckDB): `a < b = c` is an error.
    private func chainError(_ precedence: Precedence) -> StrataError {
        let message =
            precedence == .comparison
            ? "comparisons cannot be chained: combine them with AND, or add parentheses"
            : "BETWEEN, IN, LIKE and ILIKE cannot be chained: add parentheses"
        return source.error(.syntax, message + ", found \(current.displayName)", at: current.range)
    }

    /// The precedence of the operator at the current token, or nil when it does not continue an expression.
    private func infixPrecedence() -> Precedence? {
        let token = current
        switch token.kind {
        case .symbol(let symbol):
            return switch symbol {
            case .equal, .notEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual: .comparison
            case .concat: .concat
            case .plus, .minus: .additive
            case .star, .slash, .doubleSlash, .percent: .multiplicative
            case .doubleColon: .postfix
            case .tilde, .bangTilde: .predicate
            default: nil
            }
        case .word:
            switch token.keyword {
            case .or: return .or
            case .and: return .and
            case .is: return .isNull
            case .between, .in, .like, .ilike: return .predicate
            case .not:
                let next = peek(1)
                let similar = next.kind == .word && next.text.lowercased() == "similar"
                let predicate = next.is(.between) || next.is(.in) || next.is(.like) || next.is(.ilike) || similar
                return predicate ? .predicate : nil
            default:
                // `x SIMILAR TO pattern`.
                let similarTo = atWord("similar") && peek(1).kind == .word && peek(1).text.lowercased() == "to"
                return similarTo ? .predicate : nil
            }
        default:
            return nil
        }
    }

    private mutating func infixExpression(
        after left: SQLExpression, precedence: Precedence
    ) throws(StrataError) -> SQLExpression {
        let token = advance()
        if case .symbol(let symbol) = token.kind {
            if symbol == .doubleColon {
                let type = try typeName()
                return SQLExpression(.cast(left, type), range: left.range.union(previousRange))
            }
            if symbol == .tilde || symbol == .bangTilde {
                // `s ~ p` is `regexp_matches(s, p)`, `s !~ p` its negation.
                let right = try expression(above: precedence)
                return call("regexp_matches", [left, right], negated: symbol == .bangTilde, at: token.range)
            }
            let right = try expression(above: precedence)
            return SQLExpression(
                .binary(Parser.binaryOperator(symbol), left, right), range: left.range.union(right.range))
        }
        switch token.keyword {
        case .or, .and:
            let right = try expression(above: precedence)
            let op: BinaryOperator = token.is(.or) ? .or : .and
            return SQLExpression(.binary(op, left, right), range: left.range.union(right.range))
        case .is:
            let negated = consume(.not) != nil
            if let truth = consume(.true) ?? consume(.false) {
                // `x IS [NOT] TRUE|FALSE`: never NULL. Written as the CASE it means.
                let range = left.range.union(previousRange)
                let tested = truth.is(.true) ? left : SQLExpression(.unary(.not, left), range: left.range)
                func literal(_ b: Bool) -> SQLExpression { SQLExpression(.literal(.boolean(b)), range: range) }
                let holds = SQLExpression(
                    .caseWhen(CaseExpression(branches: [.init(when: tested, then: literal(!negated))], elseResult: literal(negated))),
                    range: range)
                return holds
            }
            if consume(.distinct) != nil {
                // `a IS [NOT] DISTINCT FROM b`: `<>` (`=`) with NULL a value like any other.
                try expect(.from)
                let right = try expression(above: .isNull)
                let range = left.range.union(right.range)
                func literal(_ b: Bool) -> SQLExpression { SQLExpression(.literal(.boolean(b)), range: range) }
                func isNull(_ e: SQLExpression) -> SQLExpression { SQLExpression(.isNull(e, negated: false), range: range) }
                let bothNull = SQLExpression(.binary(.and, isNull(left), isNull(right)), range: range)
                let oneNull = SQLExpression(.binary(.or, isNull(left), isNull(right)), range: range)
                let differ = SQLExpression(.binary(negated ? .equal : .notEqual, left, right), range: range)
                return SQLExpression(
                    .caseWhen(
                        CaseExpression(
                            branches: [.init(when: bothNull, then: literal(negated)), .init(when: oneNull, then: literal(!negated))],
                            elseResult: differ)),
                    range: range)
            }
            try expect(.null)
            return SQLExpression(.isNull(left, negated: negated), range: left.range.union(previousRange))
        default:
            let negated = token.is(.not)
            return try predicate(after: left, negated: negated)
        }
    }

    /// The rest of `x [NOT] BETWEEN …`, `x [NOT] IN (…)`, `x [NOT] LIKE …` or `x [NOT] ILIKE …`.
    private mutating func predicate(after left: SQLExpression, negated: Bool) throws(StrataError) -> SQLExpression {
        let keyword = negated ? advance() : tokens[index - 1]
        let kind: SQLExpression.Kind
        switch keyword.keyword {
        case .between:
            let low = try expression(above: .predicate)
            try expect(.and)
            let high = try expression(above: .predicate)
            kind = .between(left, low: low, high: high, negated: negated)
        case .in:
            try expect(.leftParen)
            if current.is(.select) || current.is(.with) {
                let query = try self.query()
                try expectEnd(.closingParenthesis)
                advance()
                return SQLExpression(.inSubquery(left, query, negated: negated), range: left.range.union(previousRange))
            }
            // DuckDB accepts an empty list: `x IN ()` is false, `x NOT IN ()` true.
            let list = current.is(.rightParen) ? [] : try expressionList()
            try expect(.rightParen)
            kind = .inList(left, list, negated: negated)
        case .like, .ilike:
            let pattern = try expression(above: .predicate)
            if consume(.escape) != nil {
                // DuckDB's `like_escape(s, pattern, escape)` (`ilike_escape`).
                let escape = try expression(above: .predicate)
                let name = keyword.is(.ilike) ? "ilike_escape" : "like_escape"
                return call(name, [left, pattern, escape], negated: negated, at: keyword.range)
            }
            kind = .like(left, pattern: pattern, negated: negated, caseInsensitive: keyword.is(.ilike))
        default:
            // `[NOT] SIMILAR TO pattern`: the pattern must match the whole string.
            advance()
            let pattern = try expression(above: .predicate)
            return call("regexp_full_match", [left, pattern], negated: negated, at: keyword.range)
        }
        return SQLExpression(kind, range: left.range.union(previousRange))
    }

    /// A call of the function `name` standing for an operator (`~`, `SIMILAR TO`, `LIKE … ESCAPE`), under NOT
    /// when `negated`.
    private func call(_ name: String, _ arguments: [SQLExpression], negated: Bool, at range: SourceRange)
        -> SQLExpression
    {
        let whole = arguments.dropFirst().reduce(arguments[0].range) { $0.union($1.range) }
        let function = SQLExpression(
            .function(FunctionCall(name: Identifier(name, range: range), arguments: arguments)), range: whole)
        return negated ? SQLExpression(.unary(.not, function), range: whole) : function
    }

    private static func binaryOperator(_ symbol: Token.Symbol) -> BinaryOperator {
        switch symbol {
        case .equal: .equal
        case .notEqual, .bangEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessOrEqual
        case .greater: .greater
        case .greaterEqual: .greaterOrEqual
        case .concat: .concat
        case .plus: .add
        case .minus: .subtract
        case .star: .multiply
        case .slash: .divide
        case .doubleSlash: .integerDivide
        default: .modulo
        }
    }

    /// A type name after `AS` in `CAST` or after `::`.
    mutating func typeName() throws(StrataError) -> SQLType {
        let names = SQLType.allCases.map { $0.baseName }.sorted().joined(separator: ", ")
        guard current.kind == .word, let type = SQLType(word: current.text) else {
            if current.kind == .word, Parser.otherDuckDBTypes.contains(current.text.lowercased()) {
                throw unsupported(
                    "type \(current.text.uppercased()) is not supported; use one of \(names)", at: current.range)
            }
            throw unexpected(expected: "a type name (\(names))")
        }
        advance()
        if case .decimal = type, current.is(.leftParen) { return try decimalWidth() }
        return type
    }

    /// `(precision)` or `(precision, scale)` after DECIMAL or NUMERIC.
    private mutating func decimalWidth() throws(StrataError) -> SQLType {
        let start = advance().range
        func number(_ what: String) throws(StrataError) -> Int {
            guard current.kind == .number, let value = Int(current.text) else { throw unexpected(expected: what) }
            advance()
            return value
        }
        let precision = try number("the DECIMAL precision")
        let scale = consume(.comma) != nil ? try number("the DECIMAL scale") : 0
        try expect(.rightParen)
        guard (1...38).contains(precision), (0...precision).contains(scale) else {
            throw source.error(
                .syntax, "DECIMAL(\(precision),\(scale)): the width must be 1...38 and the scale 0...width",
                at: start.union(previousRange))
        }
        return .decimal(precision: precision, scale: scale)
    }

    /// DuckDB types Strata does not compute with: valid SQL, so `.unsupported` rather than a syntax error.
    private static let otherDuckDBTypes: Set<String> = [
        "real", "float", "float4", "smallint", "int2", "tinyint", "int1", "uhugeint",
        "utinyint", "usmallint", "uinteger", "ubigint", "uuid", "blob", "bytea", "time", "timestamptz", "interval",
        "json", "bit", "varint", "bignum",
    ]
}
