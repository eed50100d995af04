import Foundation
import StrataCore
import StrataExecution
import StrataSQL

/// Binds the scalar part of expressions: literals, operators, CASE, CAST and scalar functions, with
/// DuckDB's typing rules and constant folding. What a column or an aggregate call means depends on
/// the clause, so the caller passes `child`, which binds subexpressions (and handles columns and
/// aggregates itself before calling ``bind(_:child:)``).
struct ExpressionBinder {
    let source: SQLSourceText
    /// What `current_database()` returns.
    var databaseName = "memory"
    /// The values of the statement's placeholders.
    var parameters = BoundParameters()
    /// What `now()`, `current_timestamp` and `current_date` return: the statement's start in UTC milliseconds,
    /// fixed once for the whole statement as DuckDB fixes its transaction's time.
    var statementTime = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))

    typealias Child = (SQLExpression) throws(StrataError) -> BoundExpression

    func error(_ code: StrataError.Code, _ message: String, at expression: SQLExpression) -> StrataError {
        source.error(code, message, at: expression.range)
    }

    func bind(_ expression: SQLExpression, child: Child) throws(StrataError) -> BoundExpression {
        let bound = try bindNode(expression, child: child)
        return try fold(bound, at: expression)
    }

    /// Evaluates a node whose operands are all constants.
    func fold(_ bound: BoundExpression, at expression: SQLExpression) throws(StrataError) -> BoundExpression {
        switch bound {
        case .constant, .column, .intervalConstant: return bound
        default: break
        }
        let children = bound.children
        guard !children.isEmpty, children.allSatisfy({ $0.constantValue != nil }) else {
            // AND/OR with a constant FALSE/TRUE decide alone.
            return bound
        }
        let value: Value
        do {
            value = try bound.evaluate([])
        } catch {
            throw self.error(error.code, error.message, at: expression)
        }
        // Folded, `CAST(2.5 AS BIGINT)` would look like the INTEGER literal 3 to DECIMAL typing (10 digits, not
        // BIGINT's 19: a product could then overflow its 18-digit type where DuckDB's does not). It is checked
        // (errors keep their position) but stays a cast.
        if case .cast(let x, .bigint) = bound, x.type != .bigint { return bound }
        return .constant(value, bound.type)
    }

    private func bindNode(_ expression: SQLExpression, child: Child) throws(StrataError) -> BoundExpression {
        switch expression.kind {
        case .literal(let literal):
            return try bindLiteral(literal, at: expression)
        case .column, .function:
            return try child(expression)
        case .parameter(let parameter):
            return try bindParameter(parameter, at: expression)
        case .subquery, .inSubquery, .exists:
            // The planner turns the subqueries of a SELECT's own clauses into joins before binding them.
            throw error(
                .unsupported, "a subquery is not supported here; use it in a SELECT's list, WHERE or HAVING",
                at: expression)
        case .unary(.not, let operand):
            let x = try requireBoolean(try child(operand), operand, "NOT")
            return .not(x)
        case .unary(.negate, let operand):
            let x = try child(operand)
            if case .intervalConstant(let interval) = x { return .intervalConstant(interval.negated) }
            guard x.type.isNumeric || x.type == .null else {
                throw error(.type, "cannot negate a value of type \(x.type)", at: operand)
            }
            return .negate(x)
        case .binary(let op, let left, let right):
            return try bindBinary(op, left, right, at: expression, child: child)
        case .isNull(let operand, let negated):
            return .isNull(try child(operand), negated: negated)
        case .inList(let operand, let list, let negated):
            var x = try child(operand)
            var items = try list.map { item throws(StrataError) in try child(item) }
            if items.isEmpty { return .constant(.bool(negated), .boolean) }
            for (i, item) in items.enumerated() {
                (x, items[i]) = try comparable(x, item, operand, list[i], what: "IN")
            }
            return .inList(x, items, negated: negated)
        case .between(let operand, let low, let high, let negated):
            let x = try child(operand)
            let (a, lo) = try comparable(x, try child(low), operand, low, what: "BETWEEN")
            let (b, hi) = try comparable(x, try child(high), operand, high, what: "BETWEEN")
            let range = BoundExpression.and([.compare(.greaterThanOrEqual, a, lo), .compare(.lessThanOrEqual, b, hi)])
            return negated ? .not(range) : range
        case .like(let operand, let pattern, let negated, let caseInsensitive):
            let x = try child(operand)
            let p = try child(pattern)
            for (bound, ast) in [(x, operand), (p, pattern)] where bound.type != .varchar && bound.type != .null {
                throw error(.type, "LIKE needs VARCHAR operands, not \(bound.type)", at: ast)
            }
            return .like(x, pattern: p, negated: negated, caseInsensitive: caseInsensitive)
        case .caseWhen(let node):
            return try bindCase(node, at: expression, child: child)
        case .cast(let operand, let type):
            return try bindCast(try child(operand), to: SQLValueType(type), operand: operand)
        }
    }

    func bindLiteral(_ literal: Literal, at expression: SQLExpression) throws(StrataError) -> BoundExpression {
        switch literal {
        case .null: return .constant(.null, .null)
        case .boolean(let b): return .constant(.bool(b), .boolean)
        case .integer(let x): return .constant(.int64(x), .bigint)
        case .decimal(let text):
            return try bindNumber(text, at: expression)
        case .string(let s): return .constant(.string(s), .varchar)
        case .typed(let type, let text):
            let ms: Int64
            switch Timestamp.parse(text) {
            case .success(let x): ms = x
            case .failure(.outOfRange):
                throw error(
                    .invalidArgument,
                    SQLEvaluation.timestampParseMessage(text, .outOfRange, as: SQLValueType(type)), at: expression)
            case .failure(.malformed): throw error(.type, "'\(text)' is not a valid \(type)", at: expression)
            }
            return type == .date
                ? .constant(.timestamp(TimeUnit.day.truncate(ms)), .date) : .constant(.timestamp(ms), .timestamp)
        case .interval(let text, let unit):
            let parsed: IntervalValue?
            do {
                parsed = try IntervalValue.parse(text, unit: unit)
            } catch {
                throw self.error(error.code, error.message, at: expression)
            }
            guard let interval = parsed else {
                throw error(.type, "'\(text)' is not a valid INTERVAL", at: expression)
            }
            return .intervalConstant(interval)
        }
    }

    /// A placeholder as the constant bound to it, typed by its value as a literal is (an integer BIGINT, a
    /// string VARCHAR, which ``comparable(_:_:_:_:what:)`` casts to the type it is compared with): so a
    /// statement answers as the same text with the values written in does.
    func bindParameter(_ parameter: SQLParameter, at expression: SQLExpression) throws(StrataError)
        -> BoundExpression
    {
        guard let value = parameters.value(for: parameter) else {
            throw error(.binding, "no value for parameter \(parameter)", at: expression)
        }
        return .constant(value, value.dataType.map { SQLValueType($0) } ?? .null)
    }

    /// A number literal that is not a BIGINT, typed as DuckDB types it: with a point, DECIMAL(p,s) with
    /// the digits as written (`0.06` is DECIMAL(3,2)); an integer too large for BIGINT, HUGEINT; with an
    /// exponent or wider than 38 digits, DOUBLE.
    func bindNumber(_ text: String, at expression: SQLExpression) throws(StrataError) -> BoundExpression {
        func double() throws(StrataError) -> BoundExpression {
            guard let d = Double(text) else { throw error(.syntax, "'\(text)' is not a number", at: expression) }
            return .constant(.double(d), .double)
        }
        if text.contains(where: { $0 == "e" || $0 == "E" }) { return try double() }
        var digits = Substring(text)
        if digits.hasPrefix("-") || digits.hasPrefix("+") { digits.removeFirst() }
        guard let point = digits.firstIndex(of: ".") else {
            if let x = Int128(text) { return .constant(.hugeint(x), .hugeint) }
            return try double()
        }
        let scale = digits.distance(from: digits.index(after: point), to: digits.endIndex)
        let precision = max(digits.distance(from: digits.startIndex, to: point) + scale, 1)
        guard precision <= DecimalValue.maxPrecision,
            let unscaled = DecimalValue.parse(text, precision: precision, scale: scale)
        else { return try double() }
        let value = DecimalValue(unscaled: unscaled, precision: precision, scale: scale)
        return .constant(.decimal(value), .decimal(precision: precision, scale: scale))
    }

    func requireBoolean(_ bound: BoundExpression, _ ast: SQLExpression, _ what: String) throws(StrataError)
        -> BoundExpression
    {
        guard bound.type == .boolean || bound.type == .null else {
            throw error(.type, "\(what) needs a BOOLEAN operand, not \(bound.type)", at: ast)
        }
        return bound
    }

    /// The two operands of a comparison made comparable: a text constant becomes a number, timestamp
    /// or boolean when compared with one, as DuckDB casts literals.
    func comparable(
        _ a: BoundExpression, _ b: BoundExpression, _ aAST: SQLExpression, _ bAST: SQLExpression, what: String
    ) throws(StrataError) -> (BoundExpression, BoundExpression) {
        if a.type == b.type || a.type == .null || b.type == .null { return (a, b) }
        if a.type.isNumeric, b.type.isNumeric { return (a, b) }
        if a.type.isTemporal, b.type.isTemporal { return (a, b) }
        if b.type == .varchar, let value = b.constantValue {
            return (a, .constant(try castConstant(value, to: a.type, at: bAST), a.type))
        }
        if a.type == .varchar, let value = a.constantValue {
            return (.constant(try castConstant(value, to: b.type, at: aAST), b.type), b)
        }
        throw error(.type, "cannot compare \(a.type) with \(b.type) in \(what)", at: bAST)
    }

    func castConstant(_ value: Value, to type: SQLValueType, at ast: SQLExpression) throws(StrataError) -> Value {
        do {
            return try SQLEvaluation.cast(value, from: .varchar, to: type)
        } catch {
            throw self.error(.type, error.message, at: ast)
        }
    }

    private func bindBinary(
        _ op: BinaryOperator, _ left: SQLExpression, _ right: SQLExpression, at expression: SQLExpression,
        child: Child
    ) throws(StrataError) -> BoundExpression {
        let a = try child(left)
        let b = try child(right)
        switch op {
        case .and, .or:
            let x = try requireBoolean(a, left, op.rawValue)
            let y = try requireBoolean(b, right, op.rawValue)
            var parts: [BoundExpression] = []
            for part in [x, y] {
                switch (op, part) {
                case (.and, .and(let inner)), (.or, .or(let inner)): parts += inner
                default: parts.append(part)
                }
            }
            return op == .and ? .and(parts) : .or(parts)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let (x, y) = try comparable(a, b, left, right, what: "a comparison")
            let comparison: ComparisonOperator =
                switch op {
                case .equal: .equal
                case .notEqual: .notEqual
                case .less: .lessThan
                case .lessOrEqual: .lessThanOrEqual
                case .greater: .greaterThan
                default: .greaterThanOrEqual
                }
            return .compare(comparison, x, y)
        case .concat:
            return .function(.text(.concatenate), [try textOf(a, left), try textOf(b, right)], .varchar)
        case .add, .subtract, .multiply, .divide, .modulo, .integerDivide:
            let arithmetic: ArithmeticOperator =
                switch op {
                case .add: .add
                case .subtract: .subtract
                case .multiply: .multiply
                case .divide: .divide
                case .integerDivide: .integerDivide
                default: .modulo
                }
            return try bindArithmetic(arithmetic, a, b, left, right, at: expression)
        }
    }

    func bindArithmetic(
        _ op: ArithmeticOperator, _ a: BoundExpression, _ b: BoundExpression, _ left: SQLExpression,
        _ right: SQLExpression, at expression: SQLExpression
    ) throws(StrataError) -> BoundExpression {
        func mismatch() -> StrataError {
            error(.type, "cannot apply '\(op.rawValue)' to \(a.type) and \(b.type)", at: expression)
        }
        // Intervals: timestamp ± interval, interval + timestamp.
        if case .intervalConstant(let interval) = b {
            guard a.type.isTemporal || a.type == .null, op == .add || op == .subtract else { throw mismatch() }
            return .addInterval(a, op == .add ? interval : interval.negated)
        }
        if case .intervalConstant(let interval) = a {
            guard b.type.isTemporal || b.type == .null, op == .add else { throw mismatch() }
            return .addInterval(b, interval)
        }
        // Dates: date ± days, date − date.
        if a.type == .date, b.type == .bigint, op == .add || op == .subtract {
            return .arithmetic(op, a, b, .date)
        }
        if a.type == .bigint, b.type == .date, op == .add {
            return .arithmetic(op, b, a, .date)
        }
        if a.type == .date, b.type == .date, op == .subtract {
            return .arithmetic(op, a, b, .bigint)
        }
        if a.type.isTemporal || b.type.isTemporal {
            if a.type == .timestamp, b.type.isTemporal, op == .subtract {
                throw error(
                    .unsupported, "subtracting timestamps gives an INTERVAL, which Strata does not support yet",
                    at: expression)
            }
            throw mismatch()
        }
        let x = a.type == .null ? (b.type.isNumeric ? b.type : .bigint) : a.type
        let y = b.type == .null ? x : b.type
        guard x.isNumeric, y.isNumeric else { throw mismatch() }
        if op == .divide || x == .double || y == .double { return .arithmetic(op, a, b, .double) }
        // DuckDB's `//` of non-integers divides as doubles.
        if op == .integerDivide, !(x.isInteger && y.isInteger) {
            return .arithmetic(op, .cast(a, .double), .cast(b, .double), .double)
        }
        if x.isInteger, y.isInteger {
            return .arithmetic(op, a, b, x == .hugeint || y == .hugeint ? .hugeint : .bigint)
        }
        return .arithmetic(op, a, b, try decimalResult(op, digits(a, x), digits(b, y), at: expression))
    }

    /// The DECIMAL that holds every one of `items` when `common` is one, counting small integer constants
    /// as DuckDB's INTEGER literals (10 digits, not BIGINT's 19): `coalesce(1.5, 2)` is DECIMAL(11,1).
    func widenedDecimal(_ common: SQLValueType, _ items: [BoundExpression]) -> SQLValueType {
        guard case .decimal = common else { return common }
        var integer = 0
        var scale = 0
        for item in items where item.type.isNumeric {
            let d = digits(item, item.type)
            integer = max(integer, d.integer)
            scale = max(scale, d.scale)
        }
        return SQLValueType.commonDecimal(
            integer: integer, scale: scale, withInteger: items.contains { $0.type.isInteger && !isIntegerLiteral($0) })
    }

    /// Whether `x` is an integer constant DuckDB would type INTEGER (it fits 32 bits).
    func isIntegerLiteral(_ x: BoundExpression) -> Bool {
        if case .constant(.int64(let v), _) = x { return Int32(exactly: v) != nil }
        return false
    }

    /// (integer digits, scale) of an exact numeric operand as DuckDB sees it: an integer constant that
    /// fits 32 bits is an INTEGER literal there, DECIMAL(10,0) when mixed with decimals.
    func digits(_ operand: BoundExpression, _ type: SQLValueType) -> (integer: Int, scale: Int) {
        isIntegerLiteral(operand) ? (10, 0) : type.decimalDigits
    }

    /// DuckDB's result type of DECIMAL arithmetic: `+ -` keep the larger scale with one more integer digit,
    /// `*` adds the scales and widths (held to 18 digits when both operands fit 64 bits), `%` keeps the
    /// larger scale; widths are capped at 38.
    private func decimalResult(
        _ op: ArithmeticOperator, _ a: (integer: Int, scale: Int), _ b: (integer: Int, scale: Int),
        at expression: SQLExpression
    ) throws(StrataError) -> SQLValueType {
        let maxWidth = DecimalValue.maxPrecision
        switch op {
        case .multiply:
            let scale = a.scale + b.scale
            guard scale <= maxWidth else {
                throw error(
                    .invalidArgument,
                    "needed scale \(scale) to represent the multiplication result exactly, but DECIMAL scales end "
                        + "at 38; cast an operand to DOUBLE or to a DECIMAL with a lower scale", at: expression)
            }
            let (wa, wb) = (a.integer + a.scale, b.integer + b.scale)
            var width = wa + wb
            if width > DecimalValue.maxInt64Precision, max(wa, wb) <= DecimalValue.maxInt64Precision,
                scale < DecimalValue.maxInt64Precision
            {
                width = DecimalValue.maxInt64Precision
            }
            return .decimal(precision: min(max(width, scale), maxWidth), scale: scale)
        case .modulo:
            // Past 38 digits DuckDB takes the remainder of doubles.
            let scale = max(a.scale, b.scale)
            let width = max(a.integer, b.integer) + scale
            return width > maxWidth ? .double : .decimal(precision: width, scale: scale)
        default:
            let scale = max(a.scale, b.scale)
            return .decimal(precision: min(max(a.integer, b.integer) + scale + 1, maxWidth), scale: scale)
        }
    }

    private func bindCase(_ node: CaseExpression, at expression: SQLExpression, child: Child) throws(StrataError)
        -> BoundExpression
    {
        let operand = try node.operand.map { x throws(StrataError) in try child(x) }
        var branches: [BoundExpression.CaseBranch] = []
        var type: SQLValueType = .null
        var results: [(BoundExpression, SQLExpression)] = []
        for branch in node.branches {
            var condition = try child(branch.condition)
            if let operand, let operandAST = node.operand {
                let (x, y) = try comparable(operand, condition, operandAST, branch.condition, what: "CASE")
                condition = .compare(.equal, x, y)
            } else {
                condition = try requireBoolean(condition, branch.condition, "WHEN")
            }
            let result = try child(branch.result)
            results.append((result, branch.result))
            branches.append(BoundExpression.CaseBranch(condition: condition, result: result))
        }
        var elseResult = try node.elseResult.map { x throws(StrataError) in try child(x) }
        if let elseResult, let ast = node.elseResult { results.append((elseResult, ast)) }
        for (result, ast) in results {
            guard let common = SQLValueType.common(type, result.type), common != .interval else {
                throw error(.type, "CASE branches have incompatible types \(type) and \(result.type)", at: ast)
            }
            type = common
        }
        type = widenedDecimal(type, results.map(\.0))
        func widen(_ x: BoundExpression) -> BoundExpression {
            x.type == type || x.type == .null || (type == .timestamp && x.type == .date) ? x : .cast(x, type)
        }
        for i in branches.indices { branches[i].result = widen(branches[i].result) }
        elseResult = elseResult.map(widen)
        return .caseWhen(branches, elseResult: elseResult, type)
    }

    func bindCast(_ x: BoundExpression, to type: SQLValueType, operand: SQLExpression) throws(StrataError)
        -> BoundExpression
    {
        let allowed: Bool =
            switch (x.type, type) {
            case (.null, _), (_, .varchar): x.type != .interval
            case (.interval, _): false
            default:
                // Timestamps and dates convert only to and from text (and to each other).
                !((x.type.isTemporal && (type.isNumeric || type == .boolean))
                    || (type.isTemporal && (x.type.isNumeric || x.type == .boolean)))
            }
        guard allowed else { throw error(.type, "cannot cast \(x.type) to \(type)", at: operand) }
        if x.type == type { return x }
        return .cast(x, type)
    }
}

extension SQLValueType {
    init(_ type: SQLType) {
        switch type {
        case .boolean: self = .boolean
        case .integer, .bigint: self = .bigint
        case .hugeint: self = .hugeint
        case .decimal(let p, let s): self = .decimal(precision: p, scale: s)
        case .double: self = .double
        case .varchar: self = .varchar
        case .date: self = .date
        case .timestamp: self = .timestamp
        }
    }
}
