/// One parsed SQL statement.
public enum SQLStatement: Hashable, Sendable, CustomStringConvertible {
    /// A query.
    case select(SelectStatement)
    /// `EXPLAIN query` (show the plan) or, when `analyze`, `EXPLAIN ANALYZE query` (run it and show the
    /// plan with measurements).
    case explain(SelectStatement, analyze: Bool)
    /// `SET name = value` (or `TO`): changes a session setting such as `memory_limit` or `timeout`.
    case set(SettingAssignment)
    /// `RESET name`, or `RESET ALL` (nil): back to the default.
    case reset(Identifier?)
    /// `SHOW name`: the setting's current value.
    case show(Identifier)
    /// `CREATE TABLE`, with declared columns or `AS query`.
    case createTable(CreateTableStatement)
    /// `DROP TABLE`.
    case dropTable(DropStatement)
    /// `INSERT INTO`.
    case insert(InsertStatement)
    /// `CREATE VIEW`.
    case createView(CreateViewStatement)
    /// `DROP VIEW`.
    case dropView(DropStatement)
    /// `DELETE FROM`.
    case delete(DeleteStatement)
    /// `TRUNCATE [TABLE] name`: every row deleted.
    case truncate(Identifier)

    /// The query, with or without `EXPLAIN`; nil for `SET`, `RESET`, `SHOW` and statements that change data.
    public var query: SelectStatement? {
        switch self {
        case .select(let query), .explain(let query, _): query
        case .set, .reset, .show, .createTable, .dropTable, .insert, .createView, .dropView, .delete, .truncate: nil
        }
    }

    /// Whether the statement changes the database (`CREATE`, `DROP`, `INSERT`, `DELETE`, `TRUNCATE`).
    public var changesData: Bool {
        switch self {
        case .createTable, .dropTable, .insert, .createView, .dropView, .delete, .truncate: true
        default: false
        }
    }

    /// Whether the statement is `SET`, `RESET` or `SHOW`: a session's business.
    public var isSetting: Bool {
        switch self {
        case .set, .reset, .show: true
        default: false
        }
    }

    /// The statement as canonical SQL, without a trailing semicolon.
    public var description: String {
        switch self {
        case .select(let query): query.description
        case .explain(let query, let analyze): (analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ") + query.description
        case .set(let assignment): assignment.description
        case .reset(let name): "RESET " + (name?.description ?? "ALL")
        case .show(let name): "SHOW \(name)"
        case .createTable(let create): create.description
        case .dropTable(let drop): "DROP TABLE " + (drop.ifExists ? "IF EXISTS " : "") + drop.name.description
        case .insert(let insert): insert.description
        case .createView(let create):
            "CREATE " + (create.orReplace ? "OR REPLACE " : "") + "VIEW " + (create.ifNotExists ? "IF NOT EXISTS " : "")
                + create.name.description + " AS " + create.query.description
        case .dropView(let drop): "DROP VIEW " + (drop.ifExists ? "IF EXISTS " : "") + drop.name.description
        case .delete(let delete): "DELETE FROM \(delete.table)" + (delete.whereClause.map { " WHERE \($0)" } ?? "")
        case .truncate(let name): "TRUNCATE \(name)"
        }
    }
}

/// A `SELECT` query, with its optional `WITH` clause.
///
/// Equality ignores ``range`` (and the ranges of every node inside).
public struct SelectStatement: Hashable, Sendable {
    /// The common table expressions of a leading `WITH`, in order.
    public var commonTableExpressions: [CommonTableExpression]
    /// Whether the query was `SELECT DISTINCT`.
    public var isDistinct: Bool
    /// The select list, at least one item.
    public var items: [SelectItem]
    /// The `FROM` source; nil for `SELECT 1 + 1`.
    public var from: TableReference?
    /// The `WHERE` condition.
    public var whereClause: SQLExpression?
    /// The `GROUP BY` clause.
    public var groupBy: GroupByClause?
    /// The `HAVING` condition.
    public var having: SQLExpression?
    /// The named windows of a `WINDOW` clause, in order.
    public var windows: [NamedWindow] = []
    /// The `QUALIFY` condition: a filter on the rows after window functions.
    public var qualify: SQLExpression?
    /// `UNION [ALL] | INTERSECT | EXCEPT` and the queries after this one's `SELECT … HAVING`, in order; the
    /// statement's `ORDER BY`, `LIMIT` and `OFFSET` then apply to the combined rows.
    public var setOperations: [SetOperation] = []
    /// The `ORDER BY` items, in order; empty when absent.
    public var orderBy: [OrderItem]
    /// The `LIMIT` count, usually an integer literal; the binder checks it is a constant.
    public var limit: SQLExpression?
    /// The `OFFSET` count.
    public var offset: SQLExpression?
    /// Where the query was written, from `WITH` or `SELECT` to its last token.
    public var range: SourceRange

    /// Creates a query.
    public init(
        commonTableExpressions: [CommonTableExpression] = [], isDistinct: Bool = false, items: [SelectItem],
        from: TableReference? = nil, whereClause: SQLExpression? = nil, groupBy: GroupByClause? = nil,
        having: SQLExpression? = nil, orderBy: [OrderItem] = [], limit: SQLExpression? = nil,
        offset: SQLExpression? = nil, range: SourceRange = SourceRange(offset: 0, length: 0)
    ) {
        self.commonTableExpressions = commonTableExpressions
        self.isDistinct = isDistinct
        self.items = items
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.range = range
    }

    /// Whether two queries have the same structure, wherever they were written.
    public static func == (lhs: SelectStatement, rhs: SelectStatement) -> Bool {
        lhs.commonTableExpressions == rhs.commonTableExpressions && lhs.isDistinct == rhs.isDistinct
            && lhs.items == rhs.items && lhs.from == rhs.from && lhs.whereClause == rhs.whereClause
            && lhs.groupBy == rhs.groupBy && lhs.having == rhs.having && lhs.windows == rhs.windows
            && lhs.qualify == rhs.qualify && lhs.orderBy == rhs.orderBy
            && lhs.limit == rhs.limit && lhs.offset == rhs.offset && lhs.setOperations == rhs.setOperations
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(commonTableExpressions)
        hasher.combine(isDistinct)
        hasher.combine(items)
        hasher.combine(from)
        hasher.combine(whereClause)
        hasher.combine(groupBy)
        hasher.combine(having)
        hasher.combine(windows)
        hasher.combine(qualify)
        hasher.combine(orderBy)
        hasher.combine(limit)
        hasher.combine(offset)
    }
}

/// `name AS (query)` in a `WITH` clause.
public struct CommonTableExpression: Hashable, Sendable {
    /// The name the rest of the query uses for the result.
    public var name: Identifier
    /// The query.
    public var query: SelectStatement

    public init(name: Identifier, query: SelectStatement) {
        self.name = name
        self.query = query
    }
}

/// One item of a select list.
public enum SelectItem: Hashable, Sendable {
    /// An expression with an optional alias (`AS x` or a bare `x`).
    case expression(SQLExpression, alias: Identifier?)
    /// `*`, or `t.*` with the qualifier `t`; DuckDB's `EXCLUDE (…)` leaves columns out and `REPLACE (… AS c)`
    /// puts an expression in a column's place.
    case wildcard(qualifier: Identifier?, excluding: [Identifier] = [], replacing: [Replacement] = [])

    /// `expression AS column` in `* REPLACE (…)`.
    public struct Replacement: Hashable, Sendable {
        public var expression: SQLExpression
        public var column: Identifier

        public init(expression: SQLExpression, column: Identifier) {
            self.expression = expression
            self.column = column
        }
    }
}

/// A source in `FROM`: a named table, a parenthesised subquery or a table function call, with an
/// optional alias.
///
/// Equality ignores ``range``.
public struct TableReference: Hashable, Sendable {
    /// What the rows come from.
    public indirect enum Source: Hashable, Sendable {
        /// A table (or common table expression) by name.
        case table(Identifier)
        /// `(SELECT …)`.
        case subquery(SelectStatement)
        /// A table function: `experiment_analysis('events', 'exp_000', 'converted=binomial(…)')`.
        case function(TableFunctionCall)
        /// `left [INNER | LEFT | RIGHT | FULL | CROSS] JOIN right [ON … | USING (…)]`, or `left, right`.
        case join(Join)
    }

    public var source: Source
    /// The catalog and schema written before a table's name (`main.events`, `information_schema.tables`,
    /// `memory.main.events`), outermost first; empty for a bare name.
    public var schema: [Identifier]
    /// `AS alias` or a bare alias.
    public var alias: Identifier?
    /// `AS alias (a, b, …)`: new names for the source's first columns, in order.
    public var columnAliases: [Identifier]
    /// Where the source was written, alias included.
    public var range: SourceRange

    public init(
        source: Source, schema: [Identifier] = [], alias: Identifier? = nil, columnAliases: [Identifier] = [],
        range: SourceRange = SourceRange(offset: 0, length: 0)
    ) {
        self.source = source
        self.schema = schema
        self.alias = alias
        self.columnAliases = columnAliases
        self.range = range
    }

    public static func == (lhs: TableReference, rhs: TableReference) -> Bool {
        lhs.source == rhs.source && lhs.schema == rhs.schema && lhs.alias == rhs.alias
            && lhs.columnAliases == rhs.columnAliases
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(schema)
        hasher.combine(alias)
        hasher.combine(columnAliases)
    }
}

/// `UNION [ALL]`, `INTERSECT [ALL]` or `EXCEPT [ALL]` and the query on its right: rows are matched by position,
/// each column's type the one both sides convert to; without `ALL` the result has no duplicate rows.
public struct SetOperation: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case union, intersect, except
    }

    public var kind: Kind
    public var all: Bool
    /// `SELECT … [HAVING …]` (a parenthesized query with its own ORDER BY or LIMIT is a subquery in FROM).
    public var query: SelectStatement
    /// Where the operator was written.
    public var range: SourceRange

    public init(kind: Kind, all: Bool, query: SelectStatement, range: SourceRange = SourceRange(offset: 0, length: 0)) {
        self.kind = kind
        self.all = all
        self.query = query
        self.range = range
    }

    public static func == (lhs: SetOperation, rhs: SetOperation) -> Bool {
        lhs.kind == rhs.kind && lhs.all == rhs.all && lhs.query == rhs.query
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(all)
        hasher.combine(query)
    }
}

/// Two sources joined in `FROM`. A comma between sources is a ``Kind/cross`` join.
public struct Join: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case inner, left, right, full, cross
    }

    /// How the two sides' rows are matched.
    public enum Condition: Hashable, Sendable {
        /// `ON condition`.
        case on(SQLExpression)
        /// `USING (a, b)`: equal values of the same-named columns; each appears once in `*`.
        case using([Identifier])
        /// `NATURAL … JOIN`: `USING` the columns both sides have (a cross join when they have none).
        case natural
    }

    public var kind: Kind
    public var left: TableReference
    public var right: TableReference
    /// `nil` for a cross join.
    public var condition: Condition?

    public init(kind: Kind, left: TableReference, right: TableReference, condition: Condition?) {
        self.kind = kind
        self.left = left
        self.right = right
        self.condition = condition
    }
}

/// A table function call in `FROM`: positional arguments, then named ones (`name = value`, as DuckDB's
/// `read_csv('f.csv', header = true)`, or `name => value`).
///
/// The parser accepts any name and any expressions; the binder decides which functions exist and
/// checks the arguments. Equality ignores ``range`` (and the ranges of the arguments).
public struct TableFunctionCall: Hashable, Sendable {
    /// `name = value` or `name => value` in the argument list.
    public struct NamedArgument: Hashable, Sendable {
        /// The parameter name; its range points at the name.
        public var name: Identifier
        public var value: SQLExpression

        public init(name: Identifier, value: SQLExpression) {
            self.name = name
            self.value = value
        }
    }

    /// The function name as written (compare with `name.normalized`).
    public var name: Identifier
    /// The positional arguments, in order.
    public var arguments: [SQLExpression]
    /// The named arguments, in the order written; names are distinct.
    public var namedArguments: [NamedArgument]
    /// Where the call was written, from the name to the closing parenthesis.
    public var range: SourceRange

    public init(
        name: Identifier, arguments: [SQLExpression] = [], namedArguments: [NamedArgument] = [],
        range: SourceRange = SourceRange(offset: 0, length: 0)
    ) {
        self.name = name
        self.arguments = arguments
        self.namedArguments = namedArguments
        self.range = range
    }

    public static func == (lhs: TableFunctionCall, rhs: TableFunctionCall) -> Bool {
        lhs.name == rhs.name && lhs.arguments == rhs.arguments && lhs.namedArguments == rhs.namedArguments
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(arguments)
        hasher.combine(namedArguments)
    }
}

/// A `GROUP BY` clause.
public enum GroupByClause: Hashable, Sendable {
    /// `GROUP BY ALL`: every select item without an aggregate (DuckDB).
    case all
    /// `GROUP BY a, date_trunc('hour', ts), 1`. Integer literals are 1-based select-list ordinals; the
    /// binder resolves them and aliases.
    case expressions([SQLExpression])
    /// A GROUP BY with `GROUPING SETS`, `ROLLUP`, `CUBE` or `()` among its items: one grouping per set of
    /// ``GroupingElement/expandedSets(of:)``.
    case groupingSets([GroupingElement])
}

/// One `ORDER BY` item.
public struct OrderItem: Hashable, Sendable {
    /// The sort key: an expression, a select-list alias, or an integer ordinal.
    public var expression: SQLExpression
    /// `ASC` or `DESC` as written; nil when unspecified (which means ascending).
    public var direction: SortDirection?
    /// `NULLS FIRST` or `NULLS LAST` as written; nil when unspecified (DuckDB then puts NULLs last).
    public var nulls: NullOrdering?
    /// DuckDB's `ORDER BY ALL`: every column of the select list, left to right (``expression`` is the `ALL`
    /// keyword's position, as the ordinal 0).
    public var isAll = false

    public init(
        _ expression: SQLExpression, direction: SortDirection? = nil, nulls: NullOrdering? = nil, isAll: Bool = false
    ) {
        self.expression = expression
        self.direction = direction
        self.nulls = nulls
        self.isAll = isAll
    }
}

/// A sort direction.
public enum SortDirection: String, Hashable, Sendable {
    case ascending = "ASC"
    case descending = "DESC"
}

/// Where NULLs sort.
public enum NullOrdering: String, Hashable, Sendable {
    case first = "NULLS FIRST"
    case last = "NULLS LAST"
}
