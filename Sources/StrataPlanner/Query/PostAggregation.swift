public import StrataCore

/// A value computed from a result row's aggregates (and group keys) after aggregation:
/// conversion rates, revenue per user, and the like.
public struct PostAggregation: Sendable, Hashable {
    public var name: String
    public var expression: Expression

    public init(_ name: String, _ expression: Expression) {
        self.name = name
        self.expression = expression
    }

    /// Arithmetic over output columns. Division by zero and NULL operands give NULL (SQL semantics).
    public indirect enum Expression: Sendable, Hashable {
        case column(String)
        case constant(Double)
        case add(Expression, Expression)
        case subtract(Expression, Expression)
        case multiply(Expression, Expression)
        case divide(Expression, Expression)

        /// The output columns it reads.
        public var columns: Set<String> {
            switch self {
            case .column(let c): [c]
            case .constant: []
            case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b):
                a.columns.union(b.columns)
            }
        }

        /// Evaluates over a row; `value` looks an output column up by name.
        public func evaluate(_ value: (String) -> Value?) -> Value {
            func number(_ e: Expression) -> Double? { e.evaluate(value).doubleValue }
            switch self {
            case .column(let c): return value(c) ?? .null
            case .constant(let x): return .double(x)
            case .add(let a, let b): return combine(number(a), number(b), +)
            case .subtract(let a, let b): return combine(number(a), number(b), -)
            case .multiply(let a, let b): return combine(number(a), number(b), *)
            case .divide(let a, let b):
                guard let x = number(a), let y = number(b), y != 0 else { return .null }
                return .double(x / y)
            }
        }

        private func combine(_ x: Double?, _ y: Double?, _ op: (Double, Double) -> Double) -> Value {
            guard let x, let y else { return .null }
            return .double(op(x, y))
        }
    }
}

/// Gap filling for time series: every combination of the other group keys gets a row for every
/// time bucket in the query's intervals, with a fill value for the aggregates that had no rows.
public struct GapFill: Sendable, Hashable {
    /// Value per aggregation name for missing buckets; aggregations not named get 0 for counts and NULL otherwise.
    public var values: [String: Value]

    public init(values: [String: Value] = [:]) { self.values = values }
}
