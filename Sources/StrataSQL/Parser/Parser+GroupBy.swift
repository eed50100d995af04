internal import StrataCore

extension Parser {
    /// The items of `GROUP BY` (after the keywords): expressions, or grouping elements — `GROUPING SETS (…)`,
    /// `ROLLUP (…)`, `CUBE (…)`, `()` — mixed with expressions as DuckDB allows.
    mutating func groupByList() throws(StrataError) -> GroupByClause {
        var elements: [GroupingElement] = []
        repeat {
            elements.append(try groupingElement(insideSets: false))
        } while consume(.comma) != nil
        let plain = elements.compactMap { element -> SQLExpression? in
            if case .expression(let e) = element { return e }
            return nil
        }
        return plain.count == elements.count ? .expressions(plain) : .groupingSets(elements)
    }

    /// One grouping element. Inside `GROUPING SETS (…)` a parenthesized list is one set; elsewhere only `()` is
    /// (`(a + b) * 2` stays an expression).
    private mutating func groupingElement(insideSets: Bool) throws(StrataError) -> GroupingElement {
        try enterNesting()
        defer { depth -= 1 }
        if isWord("grouping"), peek(1).kind == .word, peek(1).text.lowercased() == "sets" {
            advance()
            advance()
            try expect(.leftParen)
            var elements: [GroupingElement] = []
            repeat {
                elements.append(try groupingElement(insideSets: true))
            } while consume(.comma) != nil
            try expect(.rightParen)
            return .groupingSets(elements)
        }
        if isWord("rollup") || isWord("cube"), peek(1).is(.leftParen) {
            let isCube = isWord("cube")
            advance()
            advance()
            var items: [[SQLExpression]] = []
            repeat {
                items.append(startsKeyList ? try parenthesizedKeys() : [try expression()])
            } while consume(.comma) != nil
            try expect(.rightParen)
            return isCube ? .cube(items) : .rollup(items)
        }
        if startsKeyList, insideSets || peek(1).is(.rightParen) {
            return .set(try parenthesizedKeys())
        }
        return .expression(try expression())
    }

    /// Whether a parenthesized list of keys starts here (not a subquery in parentheses).
    private var startsKeyList: Bool {
        current.is(.leftParen) && !peek(1).is(.select) && !peek(1).is(.with)
    }

    /// `(a, b)` or `()`: the keys of one set.
    private mutating func parenthesizedKeys() throws(StrataError) -> [SQLExpression] {
        try expect(.leftParen)
        if consume(.rightParen) != nil { return [] }
        let keys = try expressionList()
        try expect(.rightParen)
        return keys
    }

    /// Whether the current token is the bare word `word` (lower case): the grouping words are not keywords, so
    /// columns may still be named `cube` or `rollup`.
    private func isWord(_ word: String) -> Bool {
        current.kind == .word && current.text.lowercased() == word
    }
}
