import StrataCore
import StrataExecution
import StrataSQL

/// DuckDB's `range(start, stop[, step])` (stop excluded) and `generate_series(start, stop[, step])` (stop
/// included) in FROM: integers, or timestamps stepped by a constant INTERVAL — the spine of days or hours a
/// dashboard joins its buckets onto. With one argument the series starts at 0.
struct SeriesTableFunction: TableFunction {
    let name: String
    /// `generate_series` includes `stop`; `range` stops before it.
    var includesStop: Bool { name == "generate_series" }

    static let all = [SeriesTableFunction(name: "range"), SeriesTableFunction(name: "generate_series")]

    /// The most rows one call produces: past it the query is refused instead of filling memory (the rows are
    /// materialized, about 100 bytes each).
    static let maximumRows = 10_000_000

    func bind(_ binding: TableFunctionBinding) throws(StrataError) -> any TableFunctionRows {
        let call = binding.call
        guard (1...3).contains(call.arguments.count), call.namedArguments.isEmpty else {
            throw binding.error(
                .binding, "\(name)() takes 1 to 3 arguments: \(name)(stop), \(name)(start, stop[, step])",
                at: call.range)
        }
        var values: [BoundExpression] = []
        for argument in call.arguments {
            let bound = try binding.planner.bindInput(argument, scope: .empty, clause: "table function arguments")
            guard bound.constantValue != nil || { if case .intervalConstant = bound { true } else { false } }() else {
                throw binding.error(.type, "the arguments of \(name)() must be constants", at: argument.range)
            }
            values.append(bound)
        }
        if values.contains(where: { $0.type.isTemporal }) {
            guard values.count == 3, values[0].type.isTemporal, values[1].type.isTemporal,
                case .intervalConstant(let step) = values[2],
                case .timestamp(let start) = values[0].constantValue,
                case .timestamp(let stop) = values[1].constantValue
            else {
                throw binding.error(
                    .binding, "\(name)() of timestamps takes (start, stop, INTERVAL step)", at: call.range)
            }
            guard step != IntervalValue() else {
                throw binding.error(.invalidArgument, "the step of \(name)() cannot be 0", at: call.arguments[2].range)
            }
            return Rows(
                name: name, type: .timestamp, series: .timestamps(start, stop, step), includesStop: includesStop)
        }
        var integers: [Int64] = []
        for (i, value) in values.enumerated() {
            switch value.constantValue {
            case .int64(let x)?: integers.append(x)
            case .null?: return Rows(name: name, type: .bigint, series: .empty, includesStop: includesStop)
            default:
                throw binding.error(
                    .type, "the arguments of \(name)() must be integers, or timestamps with an INTERVAL step",
                    at: call.arguments[i].range)
            }
        }
        let (start, stop) = integers.count == 1 ? (0, integers[0]) : (integers[0], integers[1])
        let step = integers.count == 3 ? integers[2] : 1
        guard step != 0 else {
            throw binding.error(.invalidArgument, "the step of \(name)() cannot be 0", at: call.arguments[2].range)
        }
        // The row count, in 128 bits so that no bounds overflow.
        let span = step > 0 ? Int128(stop) - Int128(start) : Int128(start) - Int128(stop)
        let width = Int128(step.magnitude)
        let count = includesStop ? (span < 0 ? 0 : span / width + 1) : (span <= 0 ? 0 : (span - 1) / width + 1)
        guard count <= Int128(Self.maximumRows) else {
            throw binding.error(
                .limit, "\(name)() would produce \(count) rows, more than \(Self.maximumRows)", at: call.range)
        }
        return Rows(name: name, type: .bigint, series: .integers(start, stop, step), includesStop: includesStop)
    }

    struct Rows: TableFunctionRows {
        enum Series {
            case integers(Int64, Int64, Int64)
            case timestamps(Int64, Int64, IntervalValue)
            case empty
        }

        let name: String
        let type: SQLValueType
        let series: Series
        let includesStop: Bool

        var columns: [SQLScope.Column] { [SQLScope.Column(name: name, type: type)] }
        var headline: String { "Series \(name)" }
        var details: [String] {
            switch series {
            case .integers(let a, let b, let s): ["\(a) to \(b) by \(s)"]
            case .timestamps(let a, let b, let s):
                ["\(Timestamp.format(milliseconds: a)) to \(Timestamp.format(milliseconds: b)) by \(s)"]
            case .empty: ["NULL bounds: no rows"]
            }
        }

        func run(context: QueryContext) throws(StrataError) -> [[Value]] {
            var rows: [[Value]] = []
            func add(_ value: Value) throws(StrataError) {
                guard rows.count < SeriesTableFunction.maximumRows else {
                    throw StrataError(
                        .limit, "\(name)() would produce more than \(SeriesTableFunction.maximumRows) rows")
                }
                rows.append([value])
            }
            switch series {
            case .empty:
                break
            case .integers(let start, let stop, let step):
                var x = start
                while step > 0 ? (includesStop ? x <= stop : x < stop) : (includesStop ? x >= stop : x > stop) {
                    try add(.int64(x))
                    let (next, overflow) = x.addingReportingOverflow(step)
                    if overflow { break }
                    x = next
                }
            case .timestamps(let start, let stop, let step):
                // The direction of a step with months and days: its sign, taken from its largest part.
                let forward =
                    step.months != 0 ? step.months > 0 : step.days != 0 ? step.days > 0 : step.milliseconds > 0
                var x = start
                while forward ? (includesStop ? x <= stop : x < stop) : (includesStop ? x >= stop : x > stop) {
                    try add(.timestamp(x))
                    guard let next = try? step.added(to: x) else { break }
                    x = next
                }
            }
            return rows
        }
    }
}
