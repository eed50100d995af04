internal import StrataCore

/// Atoms and prefix operators: literals, names, function calls, `CASE`, `CAST`, typed literals,
/// parenthesised expressions, `NOT` and unary minus.
extension Parser {
    mutating func prefixExpression() throws(StrataError) -> SQLExpression {
        let token = current
        switch token.kind {
        case .number:
            advance()
            return SQLExpression(.literal(Parser.number(token.text)), range: token.range)
        case .string:
            advance()
            return SQLExpression(.literal(.string(token.text)), range: token.range)
        case .symbol(.minus):
            advance()
            if current.kind == .number {
                // A minus directly before a number is part of the literal, so -9223372036854775808 fits.
                let number = advance()
                return SQLExpression(.literal(Parser.number("-" + number.text)), range: token.range.union(number.range))
            }
            let operand = try expression(above: .negate)
            return SQLExpression(.unary(.negate, operand), range: token.range.union(operand.range))
        case .symbol(.plus):
            advance()
            var operand = try expression(above: .negate)
            operand.range = token.range.union(operand.range)
            return operand
        case .symbol(.leftParen):
            return try parenthesized()
        case .word, .quotedIdentifier:
            return try wordExpression()
        case .parameter:
            return try parameter()
        default:
            throw unexpected(expected: "an expression")
        }
    }

    /// `?`, `$n` or `$name`, recorded in ``parameters``; a statement may not mix styles.
    private mutating func parameter() throws(StrataError) -> SQLExpression {
        let token = advance()
        let style: StatementParameters.Style
        let parameter: SQLParameter
        if token.text.isEmpty {
            style = .question
            parameter = .next(parameters.count + 1)
        } else if let n = Int(token.text) {
            style = .numbered
            parameter = .numbered(n)
        } else {
            style = .named
            parameter = .named(token.text)
        }
        if let existing = parameters.style, existing != style {
            throw source.error(
                .syntax,
                "cannot mix \(Self.styleName(existing)) and \(Self.styleName(style)) parameters in one statement",
                at: token.range)
        }
        parameters.style = style
        switch parameter {
        case .next(let n), .numbered(let n): parameters.count = max(parameters.count, n)
        case .named(let name):
            if !parameters.names.contains(name.lowercased()) { parameters.names.append(name.lowercased()) }
        }
        let key = StatementParameters.key(parameter)
        if parameters.firstRanges[key] == nil { parameters.firstRanges[key] = token.range }
        return SQLExpression(.parameter(parameter), range: token.range)
    }

    private static func styleName(_ style: StatementParameters.Style) -> String {
        switch style {
        case .question: "'?'"
        case .numbered: "numbered ('$1')"
        case .named: "named ('$name')"
        }
    }

    private static func number(_ text: String) -> Literal {
        Int64(text).map { .integer($0) } ?? .decimal(text)
    }

    private mutating func parenthesized() throws(StrataError) -> SQLExpression {
        let open = advance()
        if current.is(.select) || current.is(.with) {
            let query = try self.query()
            try expectEnd(.closingParenthesis)
            let close = advance()
            return SQLExpression(.subquery(query), range: open.range.union(close.range))
        }
        var inner = try expression()
        if current.is(.comma) {
            // DuckDB's row constructor `(a, b)`, as the function `row(a, b)` (the binder takes it in
            // `count(DISTINCT (a, b))` only).
            var fields = [inner]
            while consume(.comma) != nil { fields.append(try expression()) }
            let close = try expect(.rightParen)
            let range = open.range.union(close.range)
            let call = FunctionCall(name: Identifier("row", range: open.range), arguments: fields)
            return SQLExpression(.function(call), range: range)
        }
        let close = try expect(.rightParen)
        inner.range = open.range.union(close.range)
        return inner
    }

    private mutating func wordExpression() throws(StrataError) -> SQLExpression {
        let token = current
        let next = peek(1)
        if token.is(.date) || token.is(.timestamp), next.kind == .string {
            advance()
            advance()
            let type: SQLType = token.is(.date) ? .date : .timestamp
            return SQLExpression(.literal(.typed(type, next.text)), range: token.range.union(next.range))
        }
        if token.is(.interval), next.kind == .string || next.kind == .number {
            return try intervalLiteral()
        }
        if token.is(.left) || token.is(.right), next.is(.leftParen) {
            return try functionCall()  // DuckDB's left(s, n) and right(s, n)
        }
        switch token.kind == .word ? token.keyword : nil {
        case .not:
            advance()
            let operand = try expression(above: .not)
            return SQLExpression(.unary(.not, operand), range: token.range.union(operand.range))
        case .null:
            advance()
            return SQLExpression(.literal(.null), range: token.range)
        case .true, .false:
            advance()
            return SQLExpression(.literal(.boolean(token.is(.true))), range: token.range)
        case .case:
            return try caseExpression()
        case .cast:
            return try castExpression()
        case .exists:
            advance()
            try expect(.leftParen)
            guard current.is(.select) || current.is(.with) else { throw unexpected(expected: "SELECT") }
            let query = try self.query()
            try expectEnd(.closingParenthesis)
            advance()
            return SQLExpression(.exists(query), range: token.range.union(previousRange))
        default:
            guard token.isIdentifier else { throw unexpected(expected: "an expression") }
            if next.is(.leftParen) { return try functionCall() }
            // SQL's `current_date` and `current_timestamp` are calls without parentheses.
            if token.kind == .word, !next.is(.dot),
                ["current_date", "current_timestamp"].contains(token.text.lowercased())
            {
                advance()
                return SQLExpression(
                    .function(FunctionCall(name: Identifier(token.text, range: token.range))), range: token.range)
            }
            let first = try identifier("a column name")
            guard consume(.dot) != nil else {
                return SQLExpression(.column(ColumnReference(column: first)), range: first.range)
            }
            let column = try identifier("a column name")
            return SQLExpression(
                .column(ColumnReference(table: first, column: column)), range: first.range.union(column.range))
        }
    }

    /// `INTERVAL '5 minutes'`, `INTERVAL '5' MINUTE`, `INTERVAL 5 MINUTES`. (A negative count is written
    /// `INTERVAL '-1' DAY`: with `INTERVAL -1 DAY`, a column named `interval` minus 1 would be ambiguous.)
    private mutating func intervalLiteral() throws(StrataError) -> SQLExpression {
        let start = advance().range
        let value: String
        let needsUnit: Bool
        if current.kind == .string {
            value = advance().text
            needsUnit = false
        } else {
            value = advance().text
            needsUnit = true
        }
        var unit: IntervalUnit?
        if current.kind == .word, let word = IntervalUnit(word: current.text) {
            advance()
            unit = word
        } else if needsUnit {
            let units = IntervalUnit.allCases.map(\.description).joined(separator: ", ")
            throw unexpected(expected: "an interval unit (\(units))")
        }
        return SQLExpression(.literal(.interval(value, unit)), range: start.union(previousRange))
    }

    /// `CASE [operand] WHEN … THEN … […] [ELSE …] END`.
    private mutating func caseExpression() throws(StrataError) -> SQLExpression {
        let start = advance().range
        let operand = current.is(.when) ? nil : try expression()
        var branches: [CaseExpression.Branch] = []
        repeat {
            try expect(.when)
            let condition = try expression()
            try expect(.then)
            branches.append(CaseExpression.Branch(when: condition, then: try expression()))
        } while current.is(.when)
        let elseResult = consume(.else) != nil ? try expression() : nil
        let end = try expect(.end)
        let node = CaseExpression(operand: operand, branches: branches, elseResult: elseResult)
        return SQLExpression(.caseWhen(node), range: start.union(end.range))
    }

    /// `CAST(x AS type)`.
    private mutating func castExpression() throws(StrataError) -> SQLExpression {
        let start = advance().range
        try expect(.leftParen)
        let operand = try expression()
        try expect(.as)
        let type = try typeName()
        let end = try expect(.rightParen)
        return SQLExpression(.cast(operand, type), range: start.union(end.range))
    }

    /// `name(…)`, `name(*)`, `name(DISTINCT …)`, `name(… ORDER BY …)`, each with an optional
    /// `WITHIN GROUP (ORDER BY …)` and `FILTER (WHERE …)`; and
    /// `extract(field FROM x)`, which becomes `date_part('field', x)`; and `substring(x FROM a [FOR b])`, which
    /// becomes `substring(x, a[, b])`; and `position(part IN s)`, which becomes `position(s, part)`.
    private mutating func functionCall() throws(StrataError) -> SQLExpression {
        let nameToken = advance()
        let name = Identifier(nameToken.text, isQuoted: nameToken.kind == .quotedIdentifier, range: nameToken.range)
        try expect(.leftParen)
        var call = FunctionCall(name: name)
        if name.normalized == "extract", !name.isQuoted, current.kind == .word, peek(1).is(.from) {
            let field = advance()
            advance()
            call.name = Identifier("date_part", range: nameToken.range)
            call.arguments = [SQLExpression(.literal(.string(field.text.lowercased())), range: field.range)]
            call.arguments.append(try expression())
        } else if name.normalized == "substring", !name.isQuoted, !current.is(.rightParen) {
            call.arguments = [try expression()]
            if consume(.from) != nil {
                call.arguments.append(try expression())
                if consume(.for) != nil { call.arguments.append(try expression()) }
            } else {
                while consume(.comma) != nil { call.arguments.append(try expression()) }
            }
        } else if name.normalized == "try_cast", !name.isQuoted {
            // `TRY_CAST(x AS type)`: the cast, which the binder makes give NULL instead of failing.
            let operand = try expression()
            try expect(.as)
            let type = try typeName()
            call.arguments = [SQLExpression(.cast(operand, type), range: operand.range.union(previousRange))]
        } else if name.normalized == "position", !name.isQuoted, !current.is(.rightParen) {
            // `position(part IN s)` is `position(s, part)`; the operand stops before IN.
            let part = try expression(above: .predicate)
            if consume(.in) != nil {
                call.arguments = [try expression(), part]
            } else {
                call.arguments = [part]
                while consume(.comma) != nil { call.arguments.append(try expression()) }
            }
        } else if consume(.star) != nil {
            guard current.is(.rightParen) else { throw unexpected(expected: "')' after '*'") }
            call.isStar = true
        } else if !current.is(.rightParen) {
            if consume(.distinct) != nil {
                call.isDistinct = true
            } else {
                consume(.all)
            }
            call.arguments = try expressionList()
            if current.is(.order), peek(1).is(.by) {
                advance()
                advance()
                call.orderBy = try orderItems()
            }
            // DuckDB's `lag(x IGNORE NULLS)`: the null treatment of a window function, inside the parentheses.
            if current.is(.ignore) || current.is(.respect), peek(1).is(.nulls) {
                call.ignoresNulls = advance().is(.ignore)
                advance()
            }
        }
        var end = try expect(.rightParen).range
        if current.kind == .word, current.text.lowercased() == "within", peek(1).is(.group), peek(2).is(.leftParen) {
            advance()
            advance()
            advance()
            try expect(.order)
            try expect(.by)
            call.withinGroup = try orderItems()
            end = try expect(.rightParen).range
        }
        if current.is(.filter), peek(1).is(.leftParen) {
            advance()
            advance()
            consume(.where)  // DuckDB makes WHERE optional: FILTER (x > 0)
            call.filter = try expression()
            end = try expect(.rightParen).range
        }
        if consume(.over) != nil {
            if current.is(.leftParen) {
                call.over = try windowSpecification()
            } else {
                call.over = WindowSpecification(base: try identifier("a window name or '('"))
            }
            end = previousRange
        }
        return SQLExpression(.function(call), range: nameToken.range.union(end))
    }
}
