/// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name (columns…) [WITH (options…)]`, or `… AS query`.
///
/// Equality ignores the ranges inside.
public struct CreateTableStatement: Hashable, Sendable {
    /// `name type` in the column list.
    public struct ColumnDefinition: Hashable, Sendable {
        /// The column; its range points at the name.
        public var name: Identifier
        public var type: SQLType
        /// `NOT NULL` was written.
        public var notNull: Bool

        public init(name: Identifier, type: SQLType, notNull: Bool = false) {
            self.name = name
            self.type = type
            self.notNull = notNull
        }
    }

    /// `key = value` in `WITH (…)`: a table spec option (`timestamp = 'ts'`, `segment_granularity = 'day'`).
    public struct Option: Hashable, Sendable {
        /// The option; its range points at the key.
        public var key: Identifier
        /// The value as written: a string's contents, a number or a bare word.
        public var value: String
        /// Where the value was written, for errors about it.
        public var valueRange: SourceRange

        public init(key: Identifier, value: String, valueRange: SourceRange = SourceRange(offset: 0, length: 0)) {
            self.key = key
            self.value = value
            self.valueRange = valueRange
        }

        public static func == (lhs: Option, rhs: Option) -> Bool { lhs.key == rhs.key && lhs.value == rhs.value }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(key)
            hasher.combine(value)
        }
    }

    public var name: Identifier
    public var orReplace: Bool
    public var ifNotExists: Bool
    /// The declared columns; empty for `CREATE TABLE … AS query`.
    public var columns: [ColumnDefinition]
    public var options: [Option]
    /// The query of `CREATE TABLE … AS query`, whose result types become the column types.
    public var query: SelectStatement?

    public init(
        name: Identifier, orReplace: Bool = false, ifNotExists: Bool = false, columns: [ColumnDefinition] = [],
        options: [Option] = [], query: SelectStatement? = nil
    ) {
        self.name = name
        self.orReplace = orReplace
        self.ifNotExists = ifNotExists
        self.columns = columns
        self.options = options
        self.query = query
    }
}

/// `CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name AS query`.
public struct CreateViewStatement: Hashable, Sendable {
    public var name: Identifier
    public var orReplace: Bool
    public var ifNotExists: Bool
    /// The view's query; its range is where it was written, the text the catalog keeps.
    public var query: SelectStatement

    public init(name: Identifier, orReplace: Bool = false, ifNotExists: Bool = false, query: SelectStatement) {
        self.name = name
        self.orReplace = orReplace
        self.ifNotExists = ifNotExists
        self.query = query
    }
}

/// `DROP TABLE [IF EXISTS] name` or `DROP VIEW [IF EXISTS] name`.
public struct DropStatement: Hashable, Sendable {
    public var name: Identifier
    public var ifExists: Bool

    public init(name: Identifier, ifExists: Bool = false) {
        self.name = name
        self.ifExists = ifExists
    }
}

/// `DELETE FROM name [WHERE condition]`.
public struct DeleteStatement: Hashable, Sendable {
    public var table: Identifier
    /// The rows to delete; `nil`: every row.
    public var whereClause: SQLExpression?

    public init(table: Identifier, whereClause: SQLExpression? = nil) {
        self.table = table
        self.whereClause = whereClause
    }
}

/// `INSERT INTO name [(columns…)] VALUES (…), (…)` or `INSERT INTO name [(columns…)] query`.
public struct InsertStatement: Hashable, Sendable {
    /// Where the rows come from.
    public enum Source: Hashable, Sendable {
        /// `VALUES (…), (…)`: rows of expressions, all of one length.
        case values([[SQLExpression]])
        /// A query.
        case query(SelectStatement)
    }

    public var table: Identifier
    /// The target columns written after the table name; empty: every column, in table order.
    public var columns: [Identifier]
    public var source: Source

    public init(table: Identifier, columns: [Identifier] = [], source: Source) {
        self.table = table
        self.columns = columns
        self.source = source
    }
}

extension CreateTableStatement: CustomStringConvertible {
    public var description: String {
        var text = "CREATE " + (orReplace ? "OR REPLACE " : "") + "TABLE " + (ifNotExists ? "IF NOT EXISTS " : "")
        text += name.description
        if !columns.isEmpty {
            text +=
                " ("
                + columns.map { "\($0.name) \($0.type)" + ($0.notNull ? " NOT NULL" : "") }
                .joined(separator: ", ") + ")"
        }
        if !options.isEmpty {
            text +=
                " WITH ("
                + options.map { "\($0.key) = \(Identifier.enclose($0.value, in: "'"))" }
                .joined(separator: ", ") + ")"
        }
        if let query { text += " AS " + query.description }
        return text
    }
}

extension InsertStatement: CustomStringConvertible {
    public var description: String {
        var text = "INSERT INTO \(table)"
        if !columns.isEmpty { text += " (" + columns.map(\.description).joined(separator: ", ") + ")" }
        switch source {
        case .values(let rows):
            text +=
                " VALUES "
                + rows.map { "(" + $0.map(\.description).joined(separator: ", ") + ")" }
                .joined(separator: ", ")
        case .query(let query):
            text += " " + query.description
        }
        return text
    }
}
