/// A scalar or aggregate expression, with where it was written.
///
/// Named `SQLExpression` rather than `Expression` so it does not clash with Foundation's `Expression`
/// in modules that import both.
///
/// Equality and hashing compare the structure and ignore ``range`` (identifiers compare
/// case-insensitively): `date_trunc('hour', ts)` in the SELECT list equals the same text in GROUP BY,
/// which is how the binder matches them. Parentheses leave no node; ``description`` puts back the ones
/// precedence needs.
public struct SQLExpression: Hashable, Sendable {
    /// The kinds of expression.
    public indirect enum Kind: Hashable, Sendable {
        /// A constant.
        case literal(Literal)
        /// A column, optionally qualified by a table name or alias: `ts`, `e.user_id`.
        case column(ColumnReference)
        /// A prefix operator: `NOT x`, `-x`.
        case unary(UnaryOperator, SQLExpression)
        /// An infix operator: arithmetic, comparison, `||`, `AND`, `OR`.
        case binary(BinaryOperator, SQLExpression, SQLExpression)
        /// `x IS NULL`, or `x IS NOT NULL` when `negated`.
        case isNull(SQLExpression, negated: Bool)
        /// `x IN (a, b, …)`, or `x NOT IN (…)` when `negated`.
        case inList(SQLExpression, [SQLExpression], negated: Bool)
        /// `x BETWEEN low AND high`, or `x NOT BETWEEN …` when `negated`.
        case between(SQLExpression, low: SQLExpression, high: SQLExpression, negated: Bool)
        /// `x LIKE pattern` (`ILIKE` when `caseInsensitive`), or `NOT LIKE` / `NOT ILIKE` when `negated`.
        case like(SQLExpression, pattern: SQLExpression, negated: Bool, caseInsensitive: Bool)
        /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
        case caseWhen(CaseExpression)
        /// `CAST(x AS type)`, also written `x::type`.
        case cast(SQLExpression, SQLType)
        /// A scalar or aggregate function call: `date_trunc('hour', ts)`, `count(*)`, `sum(x) FILTER (…)`.
        case function(FunctionCall)
        /// `(SELECT …)` as a value: its one column of its one row (NULL without rows).
        case subquery(SelectStatement)
        /// `x IN (SELECT …)`, or `x NOT IN (SELECT …)` when `negated`.
        case inSubquery(SQLExpression, SelectStatement, negated: Bool)
        /// `EXISTS (SELECT …)`: whether the query has a row.
        case exists(SelectStatement)
        /// A placeholder for a value bound when the statement runs: `?`, `$1`, `$name`.
        case parameter(SQLParameter)
    }

    /// What the expression is.
    public var kind: Kind {
        didSet { depth = childrenDepth + 1 }
    }
    /// Where it was written, from its first to its last token (including enclosing parentheses).
    public var range: SourceRange
    /// The number of nodes on the longest path from this node down to a leaf: 1 for a literal or a column,
    /// 3 for `a + b + c`. Stored, not walked, so the parser can bound the depth of a long flat chain such as
    /// `a OR a OR …` in O(1) per node; the binder, evaluator and printer recurse once per level.
    public private(set) var depth: Int

    /// Creates an expression node.
    public init(_ kind: Kind, range: SourceRange = SourceRange(offset: 0, length: 0)) {
        self.kind = kind
        self.range = range
        self.depth = 1
        depth = childrenDepth + 1
    }

    /// The deepest child's ``depth``; 0 for a leaf.
    private var childrenDepth: Int {
        switch kind {
        case .literal, .column, .parameter: 0
        case .unary(_, let operand), .isNull(let operand, _), .cast(let operand, _): operand.depth
        case .binary(_, let left, let right): max(left.depth, right.depth)
        default: children.reduce(0) { max($0, $1.depth) }
        }
    }

    /// Whether two expressions have the same structure, wherever they were written.
    public static func == (lhs: SQLExpression, rhs: SQLExpression) -> Bool {
        lhs.kind == rhs.kind
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
    }
}

/// A column name, optionally qualified by a table name or alias.
public struct ColumnReference: Hashable, Sendable, CustomStringConvertible {
    /// The table name or alias before the dot, if any.
    public var table: Identifier?
    /// The column name.
    public var column: Identifier

    /// Creates a column reference.
    public init(table: Identifier? = nil, column: Identifier) {
        self.table = table
        self.column = column
    }

    /// `table.column` or `column`.
    public var description: String {
        table.map { "\($0).\(column)" } ?? column.description
    }
}

/// A prefix operator.
public enum UnaryOperator: String, Hashable, Sendable, CustomStringConvertible {
    /// Logical `NOT`.
    case not = "NOT"
    /// Arithmetic negation `-`.
    case negate = "-"

    public var description: String { rawValue }
}

/// An infix operator.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case or = "OR"
    case and = "AND"
    /// `=` (also written `==`).
    case equal = "="
    /// `<>` (also written `!=`).
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// String concatenation `||`.
    case concat = "||"
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    /// `//`: DuckDB's integer division.
    case integerDivide = "//"

    /// The operator as SQL.
    public var description: String { rawValue }

    /// Whether this is one of the six comparisons.
    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }

    /// The binding power: higher binds tighter (PostgreSQL's order). All these operators are left-associative.
    var precedence: Precedence {
        switch self {
        case .or: .or
        case .and: .and
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: .comparison
        case .concat: .concat
        case .add, .subtract: .additive
        case .multiply, .divide, .modulo, .integerDivide: .multiplicative
        }
    }
}

/// Binding powers of operators, lowest first, as in PostgreSQL and DuckDB.
enum Precedence: Int, Comparable {
    case lowest = 0
    case or, and, not
    /// `IS [NOT] NULL`.
    case isNull
    case comparison
    /// `[NOT] BETWEEN`, `[NOT] IN`, `[NOT] LIKE`, `[NOT] ILIKE`.
    case predicate
    case concat, additive, multiplicative
    /// Unary minus.
    case negate
    /// `::`, and every atom (literals, names, calls, parenthesised expressions).
    case postfix

    static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A `CASE` expression.
public struct CaseExpression: Hashable, Sendable {
    /// One `WHEN condition THEN result` branch. With an operand, `condition` is a value compared to it.
    public struct Branch: Hashable, Sendable {
        public var condition: SQLExpression
        public var result: SQLExpression

        public init(when condition: SQLExpression, then result: SQLExpression) {
            self.condition = condition
            self.result = result
        }
    }

    /// The `x` of `CASE x WHEN …`; nil for the searched form `CASE WHEN …`.
    public var operand: SQLExpression?
    /// The branches, at least one.
    public var branches: [Branch]
    /// The `ELSE` result; nil means `ELSE NULL`.
    public var elseResult: SQLExpression?

    public init(operand: SQLExpression? = nil, branches: [Branch], elseResult: SQLExpression? = nil) {
        self.operand = operand
        self.branches = branches
        self.elseResult = elseResult
    }
}

/// A function call. The parser accepts any name; the binder decides what exists and what aggregates.
public struct FunctionCall: Hashable, Sendable {
    /// The function name as written (compare with `name.normalized`).
    public var name: Identifier
    /// The arguments; empty for `count(*)`.
    public var arguments: [SQLExpression]
    /// Whether the argument was `*`, as in `count(*)`.
    public var isStar: Bool
    /// Whether the call was `f(DISTINCT …)`.
    public var isDistinct: Bool
    /// The condition of a trailing `FILTER (WHERE …)`.
    public var filter: SQLExpression?
    /// The window of a window function call (`… OVER (…)`); nil for a scalar or aggregate call.
    public var over: WindowSpecification?
    /// `f(x IGNORE NULLS)` (true) or `f(x RESPECT NULLS)` (false) after the arguments; nil when not written.
    public var ignoresNulls: Bool?
    /// `f(x, sep ORDER BY k)`: the order of an ordered aggregate, after its arguments; empty when not written.
    public var orderBy: [OrderItem] = []
    /// `percentile_cont(q) WITHIN GROUP (ORDER BY x)`: the ordered-set aggregate's sort key; nil when not written.
    public var withinGroup: [OrderItem]?

    public init(
        name: Identifier, arguments: [SQLExpression] = [], isStar: Bool = false, isDistinct: Bool = false,
        filter: SQLExpression? = nil, over: WindowSpecification? = nil, ignoresNulls: Bool? = nil
    ) {
        self.name = name
        self.arguments = arguments
        self.isStar = isStar
        self.isDistinct = isDistinct
        self.filter = filter
        self.over = over
        self.ignoresNulls = ignoresNulls
    }
}
