package import StrataCore

/// An expression with names resolved to row positions, types checked and constants folded: what the
/// general path evaluates row at a time, and what the planner lowers to native filters and keys.
package indirect enum BoundExpression: Hashable, Sendable {
    case constant(Value, SQLValueType)
    /// A constant `INTERVAL`: only ever an operand of timestamp arithmetic or `time_bucket`.
    case intervalConstant(IntervalValue)
    /// The value at a position of the input row; `name` is for plans and errors.
    case column(Int, SQLValueType, name: String)
    case not(BoundExpression)
    case negate(BoundExpression)
    case and([BoundExpression])
    case or([BoundExpression])
    /// Both sides already converted to one comparable type.
    case compare(ComparisonOperator, BoundExpression, BoundExpression)
    case arithmetic(ArithmeticOperator, BoundExpression, BoundExpression, SQLValueType)
    /// A timestamp or date moved by a constant interval; the result is a timestamp.
    case addInterval(BoundExpression, IntervalValue)
    case isNull(BoundExpression, negated: Bool)
    case inList(BoundExpression, [BoundExpression], negated: Bool)
    case like(BoundExpression, pattern: BoundExpression, negated: Bool, caseInsensitive: Bool)
    case caseWhen([CaseBranch], elseResult: BoundExpression?, SQLValueType)
    case cast(BoundExpression, SQLValueType)
    case function(ScalarFunction, [BoundExpression], SQLValueType)

    /// One `WHEN condition THEN result`.
    package struct CaseBranch: Hashable, Sendable {
        var condition: BoundExpression
        package var result: BoundExpression

        package init(condition: BoundExpression, result: BoundExpression) {
            self.condition = condition
            self.result = result
        }
    }

    /// The result type.
    package var type: SQLValueType {
        switch self {
        case .constant(_, let type), .column(_, let type, _), .arithmetic(_, _, _, let type),
            .caseWhen(_, _, let type), .cast(_, let type), .function(_, _, let type):
            type
        case .not, .and, .or, .compare, .isNull, .inList, .like: .boolean
        case .negate(let operand): operand.type
        case .addInterval: .timestamp
        case .intervalConstant: .interval
        }
    }

    /// The constant value, when the expression is one.
    package var constantValue: Value? {
        if case .constant(let value, _) = self { return value }
        return nil
    }

    /// The input positions the expression reads.
    package var columns: Set<Int> {
        var result: Set<Int> = []
        visit { if case .column(let index, _, _) = $0 { result.insert(index) } }
        return result
    }

    /// Calls `body` on this node and every node inside it, parents first.
    func visit(_ body: (BoundExpression) -> Void) {
        body(self)
        for child in children { child.visit(body) }
    }

    package var children: [BoundExpression] {
        switch self {
        case .constant, .column, .intervalConstant: []
        case .not(let x), .negate(let x), .addInterval(let x, _), .isNull(let x, _), .cast(let x, _): [x]
        case .and(let parts), .or(let parts): parts
        case .compare(_, let a, let b), .arithmetic(_, let a, let b, _): [a, b]
        case .inList(let x, let list, _): [x] + list
        case .like(let x, let pattern, _, _): [x, pattern]
        case .caseWhen(let branches, let elseResult, _):
            branches.flatMap { [$0.condition, $0.result] } + (elseResult.map { [$0] } ?? [])
        case .function(_, let arguments, _): arguments
        }
    }

    /// The expression with every column position replaced by `map(position)`.
    package func remapped(_ map: (Int) -> Int) -> BoundExpression {
        switch self {
        case .constant, .intervalConstant: self
        case .column(let index, let type, let name): .column(map(index), type, name: name)
        case .not(let x): .not(x.remapped(map))
        case .negate(let x): .negate(x.remapped(map))
        case .and(let parts): .and(parts.map { $0.remapped(map) })
        case .or(let parts): .or(parts.map { $0.remapped(map) })
        case .compare(let op, let a, let b): .compare(op, a.remapped(map), b.remapped(map))
        case .arithmetic(let op, let a, let b, let t): .arithmetic(op, a.remapped(map), b.remapped(map), t)
        case .addInterval(let x, let interval): .addInterval(x.remapped(map), interval)
        case .isNull(let x, let negated): .isNull(x.remapped(map), negated: negated)
        case .inList(let x, let list, let negated):
            .inList(x.remapped(map), list.map { $0.remapped(map) }, negated: negated)
        case .like(let x, let pattern, let negated, let ci):
            .like(x.remapped(map), pattern: pattern.remapped(map), negated: negated, caseInsensitive: ci)
        case .caseWhen(let branches, let elseResult, let type):
            .caseWhen(
                branches.map { CaseBranch(condition: $0.condition.remapped(map), result: $0.result.remapped(map)) },
                elseResult: elseResult?.remapped(map), type)
        case .cast(let x, let type): .cast(x.remapped(map), type)
        case .function(let f, let arguments, let type): .function(f, arguments.map { $0.remapped(map) }, type)
        }
    }
}

/// `+ - * / %` as DuckDB computes them.
package enum ArithmeticOperator: String, Hashable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    /// `//`: integer division truncated toward zero; of doubles, `/` with a zero divisor an error (DuckDB's).
    case integerDivide = "//"
}

/// The scalar functions the binder knows, with their constant parameters already parsed.
package enum ScalarFunction: Hashable, Sendable {
    case dateTrunc(TimeUnit)
    /// DuckDB's `time_bucket(width, ts)`: buckets counted from 2000-01-03 (fixed widths) or 2000-01-01
    /// (months).
    case timeBucket(IntervalValue)
    /// Fixed-width buckets of this many milliseconds counted from the Unix epoch: the query API's
    /// `fixedBucket` (DuckDB's `time_bucket` counts from 2000-01-03, which gives other buckets for widths
    /// that do not divide that offset). A bucket starting before the year 0001 is an error.
    case epochBucket(Int64)
    case datePart(DatePart)
    case abs, floor, ceil, sqrt, ln, exp, power
    /// `round(x)` or `round(x, digits)`.
    case round
    case coalesce, nullif, greatest, least
    case lower, upper, length
    /// `substring(s, start[, length])`: DuckDB's, in code points from 1 (a negative start counts from the end).
    case substring
    case epochMilliseconds
    /// DuckDB's string functions (``TextFunction``).
    case text(TextFunction)
    /// `regexp_matches`, `regexp_replace`, … with the pattern the binder compiled.
    case regex(RegexFunction, RegexPattern)
    /// Logarithms, `sign`, `trunc`, roots and trigonometry (``MathFunction``).
    case math(MathFunction)
    /// Date and time functions (``CalendarFunction``).
    case calendar(CalendarFunction)
    /// `TRY_CAST(x AS type)`: the cast, or NULL where it fails.
    case tryCast
    /// `random()`: a uniform DOUBLE in [0, 1) per row, from the statement's seed (``RandomDraws``).
    case random(seed: UInt64)

    /// The functions whose one rule is their batch kernel: the row-at-a-time path runs it on one-row vectors.
    var hasBatchRule: Bool {
        switch self {
        case .text, .regex, .math, .calendar: true
        default: false
        }
    }

    var name: String {
        switch self {
        case .dateTrunc(let unit): "date_trunc('\(unit.rawValue)')"
        case .timeBucket(let width): "time_bucket(INTERVAL '\(width)')"
        case .datePart(let part): "date_part('\(part.rawValue)')"
        case .epochMilliseconds: "epoch_ms"
        case .epochBucket(let width): "epoch_bucket(\(width) ms)"
        case .text(let function): function.rawValue
        case .math(let function): function.rawValue
        case .calendar(let function): function.name
        case .random: "random"
        case .regex(let function, let pattern): "\(function)(\(pattern))"
        default: String(describing: self)
        }
    }
}

/// Fields of `date_part` / `extract`.
package enum DatePart: String, Hashable, Sendable, CaseIterable {
    case year, quarter, month, week, day, dayofweek, dow, isodow, dayofyear, doy, hour, minute, second
    case millisecond, epoch
}
