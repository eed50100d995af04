internal import StrataCore

extension Parser {
    /// `CREATE TABLE`, `CREATE VIEW`, `DROP TABLE`, `DROP VIEW`, `INSERT INTO`, `DELETE FROM` and `TRUNCATE`; nil for
    /// any other statement. Statements that change
    /// data which Strata does not run (transactions, `UPDATE`…) are refused here with a clear message.
    mutating func definitionStatement() throws(StrataError) -> SQLStatement? {
        if atWord("create") { return try createStatement() }
        if atWord("drop") { return try dropStatement() }
        if atWord("insert") { return try insertStatement() }
        if atWord("delete") {
            advance()
            try expect(.from)
            let table = try qualifiedName("a table name")
            if atWord("using") || current.is(.using) {
                throw unsupported("DELETE … USING is not supported; use WHERE … IN (SELECT …)", at: current.range)
            }
            let condition = consume(.where) != nil ? try expression() : nil
            return .delete(DeleteStatement(table: table, whereClause: condition))
        }
        if atWord("truncate") {
            advance()
            if atWord("table") { advance() }
            return .truncate(try qualifiedName("a table name"))
        }
        for word in ["begin", "start", "commit", "rollback", "abort"] where atWord(word) {
            throw unsupported(
                "transactions (\(word.uppercased())) are not supported: every statement is atomic and durable on "
                    + "its own", at: current.range)
        }
        if current.is(.end), peek(1).kind == .end || peek(1).is(.semicolon) {
            throw unsupported(
                "transactions (END) are not supported: every statement is atomic and durable on its own",
                at: current.range)
        }
        for word in ["update", "alter", "merge", "copy", "attach", "vacuum"] where atWord(word) {
            throw unsupported("\(word.uppercased()) is not supported", at: current.range)
        }
        return nil
    }

    /// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name (column type [NOT NULL], …) [WITH (key = value, …)]`,
    /// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [WITH (…)] AS query` or
    /// `CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name AS query`.
    private mutating func createStatement() throws(StrataError) -> SQLStatement {
        advance()
        let orReplace = consume(.or) != nil
        if orReplace, !atWord("replace") { throw unexpected(expected: "REPLACE after OR") }
        if orReplace { advance() }
        if atWord("temp") || atWord("temporary") {
            throw unsupported("temporary tables are not supported", at: current.range)
        }
        let isView = atWord("view")
        guard atWord("table") || isView else {
            if atWord("index") || atWord("schema") || atWord("sequence") || atWord("macro")
                || atWord("type")
            {
                throw unsupported("CREATE \(current.text.uppercased()) is not supported", at: current.range)
            }
            throw unexpected(expected: "TABLE or VIEW after CREATE")
        }
        advance()
        var ifNotExists = false
        if atWord("if") {
            advance()
            try expect(.not)
            try expect(.exists)
            ifNotExists = true
        }
        if orReplace, ifNotExists {
            throw source.error(
                .syntax, "CREATE OR REPLACE and IF NOT EXISTS cannot be combined", at: previousRange)
        }
        if isView {
            let name = try qualifiedName("a view name")
            if current.is(.leftParen) {
                throw unsupported(
                    "column names after a view's name are not supported; alias the query's columns", at: current.range)
            }
            try expect(.as)
            guard current.is(.select) || current.is(.with) || current.is(.leftParen) else {
                throw unexpected(expected: "SELECT after AS")
            }
            return .createView(
                CreateViewStatement(name: name, orReplace: orReplace, ifNotExists: ifNotExists, query: try query()))
        }
        let name = try qualifiedName("a table name")
        var create = CreateTableStatement(name: name, orReplace: orReplace, ifNotExists: ifNotExists)
        if current.is(.leftParen) {
            advance()
            repeat {
                create.columns.append(try columnDefinition())
            } while consume(.comma) != nil
            try expect(.rightParen)
        }
        if consume(.with) != nil {
            try expect(.leftParen)
            repeat {
                create.options.append(try tableOption())
            } while consume(.comma) != nil
            try expect(.rightParen)
        }
        if let asToken = consume(.as) {
            guard create.columns.isEmpty else {
                throw source.error(
                    .syntax, "CREATE TABLE … AS takes its columns from the query: leave out the column list",
                    at: asToken.range)
            }
            guard current.is(.select) || current.is(.with) || current.is(.leftParen) else {
                throw unexpected(expected: "SELECT after AS")
            }
            create.query = try query()
        } else if create.columns.isEmpty {
            throw unexpected(expected: "'(' and column definitions, or AS and a query")
        }
        return .createTable(create)
    }

    /// `name type [NOT NULL | NULL]`.
    private mutating func columnDefinition() throws(StrataError) -> CreateTableStatement.ColumnDefinition {
        let name = try identifier("a column name")
        let type = try typeName()
        var column = CreateTableStatement.ColumnDefinition(name: name, type: type)
        if consume(.not) != nil {
            try expect(.null)
            column.notNull = true
        } else {
            consume(.null)
        }
        if atWord("primary") || atWord("unique") || atWord("default") || atWord("check") || atWord("references") {
            throw unsupported("column constraints other than NOT NULL are not supported", at: current.range)
        }
        return column
    }

    /// `key = value` (or `key value`) in `WITH (…)`: the value a string, a number or a word.
    private mutating func tableOption() throws(StrataError) -> CreateTableStatement.Option {
        let key = try identifier("a table option such as timestamp")
        consume(.equal)
        let value: String
        switch current.kind {
        case .string, .number, .word, .quotedIdentifier:
            value = current.text
        default:
            throw unexpected(expected: "an option value such as 'day'")
        }
        let range = advance().range
        return CreateTableStatement.Option(key: key, value: value, valueRange: range)
    }

    /// `DROP {TABLE | VIEW} [IF EXISTS] name`.
    private mutating func dropStatement() throws(StrataError) -> SQLStatement {
        advance()
        let isView = atWord("view")
        guard atWord("table") || isView else {
            if current.kind == .word {
                throw unsupported("DROP \(current.text.uppercased()) is not supported", at: current.range)
            }
            throw unexpected(expected: "TABLE or VIEW after DROP")
        }
        advance()
        var ifExists = false
        if atWord("if") {
            advance()
            try expect(.exists)
            ifExists = true
        }
        let name = try qualifiedName(isView ? "a view name" : "a table name")
        if atWord("cascade") || atWord("restrict") { advance() }
        let drop = DropStatement(name: name, ifExists: ifExists)
        return isView ? .dropView(drop) : .dropTable(drop)
    }

    /// `INSERT INTO name [(column, …)] {VALUES (…), … | query}`.
    private mutating func insertStatement() throws(StrataError) -> SQLStatement {
        advance()
        if consume(.or) != nil {
            throw unsupported("INSERT OR … is not supported (tables have no keys)", at: previousRange)
        }
        guard atWord("into") else { throw unexpected(expected: "INTO after INSERT") }
        advance()
        let table = try qualifiedName("a table name")
        var columns: [Identifier] = []
        if current.is(.leftParen), !peek(1).is(.select), !peek(1).is(.with) {
            advance()
            repeat {
                let column = try identifier("a column name")
                if columns.contains(column) {
                    throw source.error(.binding, "column '\(column.name)' is named twice", at: column.range)
                }
                columns.append(column)
            } while consume(.comma) != nil
            try expect(.rightParen)
        }
        if atWord("by") || atWord("default") {
            throw unsupported("INSERT … \(current.text.uppercased()) is not supported", at: current.range)
        }
        if atWord("values") {
            advance()
            var rows: [[SQLExpression]] = []
            repeat {
                try expect(.leftParen)
                let row = try expressionList()
                try expect(.rightParen)
                if let first = rows.first, first.count != row.count {
                    throw source.error(
                        .syntax, "VALUES rows must all have \(first.count) values; this one has \(row.count)",
                        at: previousRange)
                }
                rows.append(row)
            } while consume(.comma) != nil
            return .insert(InsertStatement(table: table, columns: columns, source: .values(rows)))
        }
        guard current.is(.select) || current.is(.with) || current.is(.leftParen) else {
            throw unexpected(expected: "VALUES or SELECT")
        }
        return .insert(InsertStatement(table: table, columns: columns, source: .query(try query())))
    }

    /// A table name, maybe written with its schema (`main.t`): the catalog has one schema, so the last part.
    private mutating func qualifiedName(_ what: String) throws(StrataError) -> Identifier {
        var name = try identifier(what)
        while consume(.dot) != nil { name = try identifier(what) }
        return name
    }
}
