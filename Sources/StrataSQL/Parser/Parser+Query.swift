internal import StrataCore

extension Parser {
    /// `SELECT [DISTINCT] items [FROM …] [WHERE …] [GROUP BY …] [HAVING …]`: one query of a set operation.
    private mutating func selectCore() throws(StrataError) -> SelectStatement {
        let start = current.range
        try expect(.select)
        var query = SelectStatement(items: [])
        if let distinct = consume(.distinct) {
            if current.is(.on) { throw unsupported("DISTINCT ON is not supported", at: distinct.range) }
            query.isDistinct = true
        } else {
            consume(.all)
        }
        query.items = try selectList()
        var candidates: [Keyword] = [.from, .where, .group, .having, .window, .qualify, .order, .limit, .offset]
        if consume(.from) != nil {
            query.from = try fromClause()
            candidates = [.where, .group, .having, .window, .qualify, .order, .limit, .offset]
        }
        if consume(.where) != nil {
            query.whereClause = try expression()
            candidates = [.group, .having, .window, .qualify, .order, .limit, .offset]
        }
        if current.is(.group) {
            advance()
            try expect(.by)
            query.groupBy = consume(.all) != nil ? .all : try groupByList()
            candidates = [.having, .window, .qualify, .order, .limit, .offset]
        }
        if consume(.having) != nil {
            query.having = try expression()
            candidates = [.window, .qualify, .order, .limit, .offset]
        }
        if consume(.window) != nil {
            repeat {
                let name = try identifier("a window name")
                try expect(.as)
                guard current.is(.leftParen) else { throw unexpected(expected: "'(' and a window specification") }
                let specification = try windowSpecification()
                if query.windows.contains(where: { $0.name == name }) {
                    throw source.error(.syntax, "the window '\(name.name)' is defined twice", at: name.range)
                }
                query.windows.append(NamedWindow(name: name, specification: specification))
            } while consume(.comma) != nil
            candidates = [.qualify, .order, .limit, .offset]
        }
        if consume(.qualify) != nil {
            query.qualify = try expression()
            candidates = [.order, .limit, .offset]
        }
        query.range = start.union(previousRange)
        clauseCandidates = candidates + [.union, .intersect, .except]
        return query
    }

    /// One query of a set operation: `SELECT … [HAVING …]`, or a parenthesized query (which keeps its own
    /// ORDER BY and LIMIT: it is read as a subquery).
    private mutating func setTerm() throws(StrataError) -> SelectStatement {
        if atWord("values") { return try valuesList() }
        guard current.is(.leftParen) else { return try selectCore() }
        let open = advance().range
        guard current.is(.select) || current.is(.with) || current.is(.leftParen) || atWord("values") else {
            throw unexpected(expected: "SELECT")
        }
        let inner = try query()
        try expectEnd(.closingParenthesis)
        advance()
        let range = open.union(previousRange)
        clauseCandidates = [.union, .intersect, .except, .order, .limit, .offset]
        return SelectStatement(
            items: [.wildcard(qualifier: nil)], from: TableReference(source: .subquery(inner), range: range), range: range)
    }

    /// `VALUES (a, b), (c, d), …`: DuckDB's columns `col0`, `col1`, …, written as the `UNION ALL` of one
    /// `SELECT` per row (which gives the columns the type every row converts to).
    private mutating func valuesList() throws(StrataError) -> SelectStatement {
        let start = advance().range
        var rows: [SelectStatement] = []
        var width: Int?
        repeat {
            let open = try expect(.leftParen).range
            let values = try expressionList()
            try expect(.rightParen)
            let range = open.union(previousRange)
            if let width, width != values.count {
                throw source.error(
                    .syntax, "every VALUES row needs \(width) values, as the first has; this one has \(values.count)",
                    at: range)
            }
            width = values.count
            let items = values.enumerated().map { k, value in
                SelectItem.expression(value, alias: Identifier("col\(k)", range: value.range))
            }
            rows.append(SelectStatement(items: items, range: range))
        } while consume(.comma) != nil
        var query = rows[0]
        query.setOperations = rows.dropFirst().map { SetOperation(kind: .union, all: true, query: $0, range: $0.range) }
        query.range = start.union(previousRange)
        clauseCandidates = [.union, .intersect, .except, .order, .limit, .offset]
        return query
    }

    /// `[WITH …] SELECT [DISTINCT] items [FROM …] [WHERE …] [GROUP BY …] [HAVING …] [ORDER BY …]
    /// [LIMIT n] [OFFSET m]` (LIMIT and OFFSET in either order).
    mutating func query() throws(StrataError) -> SelectStatement {
        try enterNesting()
        defer { depth -= 1 }
        let start = current.range
        let ctes = try commonTableExpressions()
        var query = try setTerm()
        query.commonTableExpressions = ctes
        var candidates = clauseCandidates
        // UNION / INTERSECT / EXCEPT: each right-hand query is a SELECT … HAVING, or a parenthesized query.
        while let op = [Keyword.union, .intersect, .except].first(where: { current.is($0) }) {
            let opRange = advance().range
            let all = consume(.all) != nil
            if !all { consume(.distinct) }
            guard current.is(.select) || current.is(.leftParen) || atWord("values") else {
                throw unexpected(expected: "SELECT after \(op.sql)")
            }
            let term = try setTerm()
            query.setOperations.append(
                SetOperation(kind: SetOperation.Kind(rawValue: op.rawValue) ?? .union, all: all, query: term, range: opRange))
            candidates = clauseCandidates
        }
        if current.is(.order) {
            advance()
            try expect(.by)
            query.orderBy = try orderItems()
            candidates = [.limit, .offset, .asc, .desc]
        }
        try limitAndOffset(into: &query, candidates: &candidates)
        query.range = start.union(previousRange)
        clauseCandidates = candidates
        return query
    }

    private mutating func limitAndOffset(
        into query: inout SelectStatement, candidates: inout [Keyword]
    ) throws(StrataError) {
        while true {
            if query.limit == nil, consume(.limit) != nil {
                query.limit = try expression()
            } else if query.offset == nil, consume(.offset) != nil {
                query.offset = try expression()
            } else {
                break
            }
            candidates = query.limit == nil ? [.limit] : query.offset == nil ? [.offset] : []
        }
    }

    private mutating func commonTableExpressions() throws(StrataError) -> [CommonTableExpression] {
        guard consume(.with) != nil else { return [] }
        if let recursive = consume(.recursive) {
            throw unsupported("WITH RECURSIVE is not supported", at: recursive.range)
        }
        var result: [CommonTableExpression] = []
        repeat {
            let name = try identifier("a name for the WITH query")
            try expect(.as)
            try expect(.leftParen)
            guard current.is(.select) || current.is(.with) || atWord("values") else {
                throw unexpected(expected: "SELECT")
            }
            let query = try self.query()
            try expectEnd(.closingParenthesis)
            advance()
            result.append(CommonTableExpression(name: name, query: query))
        } while consume(.comma) != nil
        return result
    }

    private mutating func selectList() throws(StrataError) -> [SelectItem] {
        var items: [SelectItem] = []
        repeat {
            // DuckDB accepts a trailing comma before FROM: `SELECT a, b, FROM t`.
            if !items.isEmpty, current.is(.from) { break }
            items.append(try selectItem())
        } while consume(.comma) != nil
        return items
    }

    private mutating func selectItem() throws(StrataError) -> SelectItem {
        var qualifier: Identifier?
        if current.isIdentifier, peek(1).is(.dot), peek(2).is(.star) {
            qualifier = try identifier("a table name")
            advance()
        }
        if qualifier != nil || current.is(.star) {
            advance()
            return try starModifiers(qualifier)
        }
        let expression = try self.expression()
        return .expression(expression, alias: try alias(before: Parser.selectAliasFollowers))
    }

    /// DuckDB's `* EXCLUDE (a, b)` and `* REPLACE (expression AS a, …)` after a star (either may be one item
    /// without parentheses).
    private mutating func starModifiers(_ qualifier: Identifier?) throws(StrataError) -> SelectItem {
        var excluded: [Identifier] = []
        var replacements: [SelectItem.Replacement] = []
        if consume(.exclude) != nil {
            let parenthesized = consume(.leftParen) != nil
            repeat { excluded.append(try identifier("a column name")) } while parenthesized && consume(.comma) != nil
            if parenthesized { try expect(.rightParen) }
        }
        if atWord("replace") {
            advance()
            let parenthesized = consume(.leftParen) != nil
            repeat {
                let expression = try self.expression()
                try expect(.as)
                let column = try identifier("a column name")
                replacements.append(SelectItem.Replacement(expression: expression, column: column))
            } while parenthesized && consume(.comma) != nil
            if parenthesized { try expect(.rightParen) }
        }
        return .wildcard(qualifier: qualifier, excluding: excluded, replacing: replacements)
    }

    /// `AS name`, or a bare name when it reads as an alias: the word after it can follow an alias, or the
    /// name is not a misspelling of a clause keyword (`FORM`, `WHER`) that would make a better error.
    private mutating func alias(before followers: [Keyword]) throws(StrataError) -> Identifier? {
        if consume(.as) != nil { return try identifier("an alias") }
        guard current.isIdentifier else { return nil }
        let next = peek(1)
        let followsAlias =
            next.kind == .end || next.is(.comma) || next.is(.rightParen) || next.is(.semicolon)
            || (next.keyword.map { followers.contains($0) } ?? false)
        if !followsAlias, suggestion(for: current, among: followers) != nil { return nil }
        return try identifier("an alias")
    }

    private static let selectAliasFollowers: [Keyword] = [
        .from, .where, .group, .having, .window, .qualify, .order, .limit, .offset,
    ]
    private static let tableAliasFollowers: [Keyword] = [
        .where, .group, .having, .window, .qualify, .order, .limit, .offset, .join, .inner, .left, .right, .full,
        .cross, .natural, .on, .using,
    ]

    /// The sources of `FROM`: one, or several joined (left to right: `a JOIN b JOIN c` is `(a JOIN b) JOIN c`).
    private mutating func fromClause() throws(StrataError) -> TableReference {
        var left = try tableReference()
        while true {
            let kind: Join.Kind
            let natural = consume(.natural) != nil
            if !natural, consume(.comma) != nil {
                kind = .cross
            } else if consume(.join) != nil {
                kind = .inner
            } else if let written = [Keyword.inner, .left, .right, .full, .cross].first(where: { current.is($0) }),
                !(natural && written == .cross)
            {
                advance()
                if written != .inner, written != .cross { consume(.outer) }
                try expect(.join)
                kind = Join.Kind(rawValue: written.rawValue) ?? .inner
            } else if natural {
                throw unexpected(expected: "JOIN after NATURAL")
            } else {
                return left
            }
            let right = try tableReference()
            var condition: Join.Condition?
            if natural {
                condition = .natural
            } else if kind != .cross {
                if consume(.on) != nil {
                    condition = .on(try expression())
                } else if consume(.using) != nil {
                    try expect(.leftParen)
                    var names: [Identifier] = []
                    repeat { names.append(try identifier("a column name")) } while consume(.comma) != nil
                    try expect(.rightParen)
                    condition = .using(names)
                } else {
                    throw unexpected(expected: "ON or USING")
                }
            }
            left = TableReference(
                source: .join(Join(kind: kind, left: left, right: right, condition: condition)),
                range: left.range.union(previousRange))
        }
    }

    /// `name [[AS] alias]`, `(query) [[AS] alias]` or `function(arguments) [[AS] alias]`.
    private mutating func tableReference() throws(StrataError) -> TableReference {
        let start = current.range
        let source: TableReference.Source
        var schema: [Identifier] = []
        if consume(.leftParen) != nil {
            guard current.is(.select) || current.is(.with) || current.is(.leftParen) || atWord("values") else {
                throw unexpected(expected: "SELECT or VALUES")
            }
            let query = try self.query()
            try expectEnd(.closingParenthesis)
            advance()
            source = .subquery(query)
        } else if current.isIdentifier, peek(1).is(.leftParen) {
            source = .function(try tableFunctionCall())
        } else if current.isIdentifier {
            var name = try identifier("a table name")
            while consume(.dot) != nil {
                schema.append(name)
                name = try identifier("a table name")
            }
            if schema.count > 2 {
                throw self.source.error(.syntax, "a table name has at most a catalog and a schema before it", at: schema[0].range)
            }
            source = .table(name)
        } else {
            throw unexpected(expected: "a table name or subquery")
        }
        let alias = try alias(before: Parser.tableAliasFollowers)
        var columnAliases: [Identifier] = []
        if alias != nil, consume(.leftParen) != nil {
            repeat { columnAliases.append(try identifier("a column alias")) } while consume(.comma) != nil
            try expect(.rightParen)
        }
        return TableReference(
            source: source, schema: schema, alias: alias, columnAliases: columnAliases,
            range: start.union(previousRange))
    }

    /// `name(positional, …, key = value, …)`; `key => value` too. Positional arguments come first.
    private mutating func tableFunctionCall() throws(StrataError) -> TableFunctionCall {
        let name = try identifier("a table function name")
        try expect(.leftParen)
        var call = TableFunctionCall(name: name)
        if !current.is(.rightParen) {
            repeat {
                if let key = namedArgumentKey() {
                    if call.namedArguments.contains(where: { $0.name == key }) {
                        throw source.error(.syntax, "the argument '\(key.name)' is given twice", at: key.range)
                    }
                    call.namedArguments.append(TableFunctionCall.NamedArgument(name: key, value: try expression()))
                } else {
                    let argument = try expression()
                    if let named = call.namedArguments.last {
                        throw source.error(
                            .syntax,
                            "positional arguments come before named ones (after '\(named.name.name) = …')",
                            at: argument.range)
                    }
                    call.arguments.append(argument)
                }
            } while consume(.comma) != nil
        }
        let close = try expect(.rightParen)
        call.range = name.range.union(close.range)
        return call
    }

    /// The `key` of `key = value` or `key => value` (consuming the `=` or `=>`), or nil before a
    /// positional argument.
    private mutating func namedArgumentKey() -> Identifier? {
        // Any word names a parameter, keywords too: `window = '0d..14d'`.
        guard current.kind == .word || current.kind == .quotedIdentifier, peek(1).is(.equal) else { return nil }
        let token = advance()
        let key = Identifier(token.text, isQuoted: token.kind == .quotedIdentifier, range: token.range)
        let equal = advance()
        if current.is(.greater), current.range.offset == equal.range.end { advance() }
        return key
    }

    /// `([name] [PARTITION BY …] [ORDER BY …] [ROWS | RANGE | GROUPS frame])`, from the opening parenthesis.
    mutating func windowSpecification() throws(StrataError) -> WindowSpecification {
        try expect(.leftParen)
        var specification = WindowSpecification()
        let framing: [Keyword] = [.partition, .rows, .range, .groups]
        if current.isIdentifier, !framing.contains(where: { current.is($0) }) {
            specification.base = try identifier("a window name")
        }
        if consume(.partition) != nil {
            try expect(.by)
            specification.partitionBy = try expressionList()
        }
        if consume(.order) != nil {
            try expect(.by)
            if let all = consume(.all) { throw unsupported("ORDER BY ALL in a window is not supported", at: all.range) }
            specification.orderBy = try orderItems()
        }
        if let unit = [Keyword.rows, .range, .groups].first(where: { current.is($0) }) {
            advance()
            let frameUnit: WindowFrame.Unit = unit == .rows ? .rows : unit == .range ? .range : .groups
            if consume(.between) != nil {
                let start = try frameBound()
                try expect(.and)
                let end = try frameBound()
                specification.frame = WindowFrame(unit: frameUnit, start: start, end: end)
            } else {
                specification.frame = WindowFrame(unit: frameUnit, start: try frameBound(), end: .currentRow)
            }
            if consume(.exclude) != nil {
                let exclusion: WindowFrame.Exclusion
                if current.is(.current), peek(1).is(.row) {
                    exclusion = .currentRow
                    advance()
                } else if current.is(.group) {
                    exclusion = .group
                } else if current.is(.ties) {
                    exclusion = .ties
                } else if current.is(.no), peek(1).is(.others) {
                    exclusion = .noOthers
                    advance()
                } else {
                    throw unexpected(expected: "CURRENT ROW, GROUP, TIES or NO OTHERS after EXCLUDE")
                }
                advance()
                specification.frame?.exclusion = exclusion
            }
        }
        try expect(.rightParen)
        return specification
    }

    /// `UNBOUNDED PRECEDING | n PRECEDING | CURRENT ROW | n FOLLOWING | UNBOUNDED FOLLOWING`.
    private mutating func frameBound() throws(StrataError) -> WindowFrame.Bound {
        if consume(.unbounded) != nil {
            if consume(.preceding) != nil { return .unboundedPreceding }
            guard consume(.following) != nil else { throw unexpected(expected: "PRECEDING or FOLLOWING") }
            return .unboundedFollowing
        }
        if current.is(.current), peek(1).is(.row) {
            advance()
            advance()
            return .currentRow
        }
        let offset = try expression()
        if consume(.preceding) != nil { return .preceding(offset) }
        guard consume(.following) != nil else { throw unexpected(expected: "PRECEDING or FOLLOWING") }
        return .following(offset)
    }

    mutating func orderItems() throws(StrataError) -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            var item: OrderItem
            if items.isEmpty, let all = consume(.all) {
                item = OrderItem(SQLExpression(.literal(.integer(0)), range: all.range), isAll: true)
            } else {
                item = OrderItem(try expression())
            }
            if consume(.asc) != nil {
                item.direction = .ascending
            } else if consume(.desc) != nil {
                item.direction = .descending
            }
            if current.is(.nulls) {
                advance()
                if consume(.first) != nil {
                    item.nulls = .first
                } else {
                    guard consume(.last) != nil else { throw unexpected(expected: "FIRST or LAST") }
                    item.nulls = .last
                }
            }
            items.append(item)
        } while !items[0].isAll && consume(.comma) != nil
        return items
    }

    /// Comma-separated expressions, at least one.
    mutating func expressionList() throws(StrataError) -> [SQLExpression] {
        var list: [SQLExpression] = []
        repeat {
            list.append(try expression())
        } while consume(.comma) != nil
        return list
    }

    mutating func enterNesting() throws(StrataError) {
        depth += 1
        if depth > Parser.maximumDepth {
            throw source.error(
                .limit, "the query nests too deeply (more than \(Parser.maximumDepth) levels)", at: current.range)
        }
    }
}
