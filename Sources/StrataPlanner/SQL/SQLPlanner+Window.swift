import StrataCore
import StrataExecution
import StrataSQL

/// A window function call bound over the row the select list reads (the input row, or the grouped row):
/// ``call``'s argument, filter, partition and sort positions index ``expressions``, which the plan computes
/// into columns before the ``PlanNode/window(_:_:)`` operator.
struct BoundWindow: Hashable {
    var call: WindowCall
    var expressions: [BoundExpression]
}

extension SQLPlanner {
    /// Where the select list reads window call `j` before planning: `windowBase + j`, past any row position.
    static let windowBase = 1 << 40

    /// The window functions: ranking, offset and value functions (the aggregates are the others).
    static let windowFunctionNames: Set<String> = [
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value",
    ]

    /// Binds `call … OVER (…)`; `child` binds its arguments and keys over the row the select list reads.
    func bindWindow(
        _ call: FunctionCall, at expression: SQLExpression, named: [NamedWindow], scope: SQLScope,
        child: (SQLExpression) throws(StrataError) -> BoundExpression
    ) throws(StrataError) -> BoundWindow {
        guard let written = call.over else { throw error(.internal, "not a window call", at: expression.range) }
        let specification = try resolve(written, named: named, at: expression)
        let inner =
            call.arguments + (call.filter.map { [$0] } ?? []) + specification.partitionBy
            + specification.orderBy.map(\.expression)
        if let nested = inner.first(where: { e in
            e.contains { if case .function(let c) = $0.kind { c.over != nil } else { false } }
        }) {
            throw error(.binding, "window functions cannot be nested", at: nested.range)
        }
        var expressions: [BoundExpression] = []
        func add(_ e: BoundExpression) -> Int {
            if let i = expressions.firstIndex(of: e) { return i }
            expressions.append(e)
            return expressions.count - 1
        }
        let name = call.name.normalized
        let function: WindowCall.Function
        var arguments: [Int] = []
        var filter: Int?
        var type: SQLValueType = .bigint
        func arity(_ range: ClosedRange<Int>) throws(StrataError) {
            guard !call.isStar, range.contains(call.arguments.count) else {
                let count =
                    range.lowerBound == range.upperBound
                    ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw error(
                    .binding, "\(name)() takes \(count) argument\(range.upperBound == 1 ? "" : "s")",
                    at: expression.range)
            }
        }
        func integer(_ i: Int) throws(StrataError) -> Int {
            let bound = try child(call.arguments[i])
            guard bound.type == .bigint || bound.type == .null else {
                throw error(
                    .type, "argument \(i + 1) of \(name)() must be an integer, not \(bound.type)",
                    at: call.arguments[i].range)
            }
            return add(bound)
        }
        if Self.windowFunctionNames.contains(name) {
            if call.isDistinct || call.filter != nil {
                throw error(
                    .binding, "DISTINCT and FILTER apply to aggregate functions, not \(name)()", at: expression.range)
            }
            switch name {
            case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
                try arity(0...0)
                function =
                    switch name {
                    case "row_number": .rowNumber
                    case "rank": .rank
                    case "dense_rank": .denseRank
                    case "percent_rank": .percentRank
                    default: .cumeDist
                    }
                type = name == "percent_rank" || name == "cume_dist" ? .double : .bigint
            case "ntile":
                try arity(1...1)
                function = .ntile
                arguments = [try integer(0)]
            case "lag", "lead":
                try arity(1...3)
                function = name == "lag" ? .lag : .lead
                let value = try child(call.arguments[0])
                type = value.type
                arguments = [add(value)]
                if call.arguments.count > 1 { arguments.append(try integer(1)) }
                if call.arguments.count > 2 {
                    var fallback = try child(call.arguments[2])
                    if fallback.type != type, type != .null {
                        fallback = try castDefault(fallback, to: type, at: call.arguments[2])
                    }
                    arguments.append(add(fallback))
                }
            default:
                try arity(name == "nth_value" ? 2...2 : 1...1)
                function = name == "first_value" ? .firstValue : name == "last_value" ? .lastValue : .nthValue
                let value = try child(call.arguments[0])
                type = value.type
                arguments = [add(value)]
                if name == "nth_value" { arguments.append(try integer(1)) }
            }
        } else if AggregateCall.Function.byName[name] != nil || AggregateCall.Function.unsupported.contains(name) {
            let aggregate = try withoutActuallyEscaping(child) { child throws(StrataError) in
                try bindAggregate(call, at: expression, scope: scope) { e, _ throws(StrataError) in try child(e) }
            }
            if aggregate.function == .stringAgg || !aggregate.rowFields.isEmpty || !aggregate.order.isEmpty {
                var form = aggregate.order.isEmpty ? "\(name)()" : "\(name)(… ORDER BY …)"
                if !aggregate.rowFields.isEmpty { form = "count(DISTINCT (a, b, …))" }
                throw error(.unsupported, "\(form) as a window function is not supported yet", at: expression.range)
            }
            function = .aggregate(aggregate)
            type = aggregate.type
            if let argument = aggregate.argument { arguments = [add(argument)] }
            if let second = aggregate.secondArgument { arguments.append(add(second)) }
            filter = aggregate.filter.map(add)
        } else {
            throw error(
                .binding,
                "\(name)() is not a window function; the window functions are row_number, rank, dense_rank, "
                    + "percent_rank, cume_dist, ntile, lag, lead, first_value, last_value, nth_value and the aggregates",
                at: expression.range)
        }
        var partition: [Int] = []
        for e in specification.partitionBy { partition.append(add(try child(e))) }
        var order: [SortKey] = []
        for item in specification.orderBy {
            let key = try child(item.expression)
            if key.type == .interval { throw error(.type, "cannot order by an INTERVAL", at: item.expression.range) }
            order.append(
                SortKey(column: add(key), descending: item.direction == .descending, nullsFirst: item.nulls == .first))
        }
        let (unit, start, end) = try frame(specification, order: order, expressions: expressions, at: expression)
        if call.ignoresNulls != nil, !["lag", "lead", "first_value", "last_value", "nth_value"].contains(name) {
            throw error(
                .binding,
                "IGNORE NULLS and RESPECT NULLS apply to lag, lead, first_value, last_value and nth_value, "
                    + "not \(name)()", at: expression.range)
        }
        var windowCall = WindowCall(
            function: function, arguments: arguments, filter: filter, partition: partition, order: order, unit: unit,
            start: start, end: end, type: type,
            text: text(expression.range).isEmpty ? expression.description : text(expression.range))
        windowCall.ignoresNulls = call.ignoresNulls ?? false
        switch specification.frame?.exclusion {
        case .currentRow?: windowCall.exclusion = .currentRow
        case .group?: windowCall.exclusion = .group
        case .ties?: windowCall.exclusion = .ties
        case .noOthers?, nil: windowCall.exclusion = .none
        }
        return BoundWindow(call: windowCall, expressions: expressions)
    }

    private func castDefault(_ x: BoundExpression, to type: SQLValueType, at ast: SQLExpression) throws(StrataError)
        -> BoundExpression
    {
        try self.expressions.bindCast(x, to: type, operand: ast)
    }

    /// The window operator over `plan` (whose row the calls' expressions read): the expressions the calls need
    /// computed into columns after the row's, then the calls' values after those, then the QUALIFY filter.
    /// `outputs` are moved from `windowBase + j` to where call `j`'s value lands.
    static func windowed(
        _ plan: PlanNode, windows: [BoundWindow], outputs: inout [BoundExpression], qualify: BoundExpression?
    ) -> PlanNode {
        let columns = plan.columns
        let width = columns.count
        var extras: [BoundExpression] = []
        var calls: [WindowCall] = []
        for window in windows {
            let positions = window.expressions.map { e in
                if case .column(let c, _, _) = e { return c }
                if let k = extras.firstIndex(of: e) { return width + k }
                extras.append(e)
                return width + extras.count - 1
            }
            calls.append(window.call.remapped { positions[$0] })
        }
        var node = plan
        if !extras.isEmpty {
            node = .project(
                plan, columns.indices.map { .column($0, columns[$0].type, name: columns[$0].name) } + extras,
                columns: columns + extras.map { SQLScope.Column(name: $0.explainText, type: $0.type) })
        }
        node = .window(node, calls)
        let base = width + extras.count
        let shift = { (c: Int) in c >= windowBase ? base + c - windowBase : c }
        outputs = outputs.map { $0.remapped(shift) }
        if let qualify { node = .filter(node, qualify.remapped(shift)) }
        return node
    }

    /// `OVER w` and `OVER (w …)` with the named window's PARTITION BY, ORDER BY and frame.
    private func resolve(_ written: WindowSpecification, named: [NamedWindow], at expression: SQLExpression)
        throws(StrataError) -> WindowSpecification
    {
        var specification = written
        var seen: Set<Identifier> = []
        while let base = specification.base {
            guard seen.insert(base).inserted, let window = named.first(where: { $0.name == base }) else {
                throw error(.binding, "no window named '\(base.name)' in the WINDOW clause", at: base.range)
            }
            var merged = window.specification
            if !specification.partitionBy.isEmpty {
                throw error(
                    .binding, "a window that names '\(base.name)' cannot add a PARTITION BY", at: expression.range)
            }
            if !specification.orderBy.isEmpty {
                if !merged.orderBy.isEmpty {
                    throw error(
                        .binding, "the window '\(base.name)' has an ORDER BY already; it cannot be overridden",
                        at: expression.range)
                }
                merged.orderBy = specification.orderBy
            }
            if merged.frame != nil, !specification.isReference {
                throw error(
                    .binding,
                    "the window '\(base.name)' has a frame; it cannot be refined (name it with OVER \(base.name))",
                    at: expression.range)
            }
            if let frame = specification.frame { merged.frame = frame }
            specification = merged
        }
        return specification
    }

    /// The frame as the operator takes it: SQL's default when none is written (with an ORDER BY, up to the
    /// current row's last peer; without, the whole partition), offsets checked and folded to constants.
    private func frame(
        _ specification: WindowSpecification, order: [SortKey], expressions: [BoundExpression],
        at expression: SQLExpression
    ) throws(StrataError) -> (unit: WindowCall.Unit, start: WindowCall.Bound, end: WindowCall.Bound) {
        guard let frame = specification.frame else {
            return (.range, .unboundedPreceding, order.isEmpty ? .unboundedFollowing : .currentRow)
        }
        // GROUPS offsets count groups as ROWS offsets count rows.
        let rows = frame.unit != .range
        let unit: WindowCall.Unit =
            switch frame.unit {
            case .rows: .rows
            case .range: .range
            case .groups: .groups
            }
        func offset(_ e: SQLExpression) throws(StrataError) -> WindowCall.Offset {
            let bound: BoundExpression
            do {
                bound = try bindInput(e, scope: .empty, clause: "a window frame offset")
            } catch  where error.code == .binding {
                throw self.error(.binding, "a window frame offset must be a constant", at: e.range)
            }
            if case .intervalConstant(let interval) = bound {
                guard !rows else {
                    throw error(
                        .type, "a \(frame.unit.rawValue) frame offset must be an integer, not an INTERVAL", at: e.range)
                }
                guard order.count == 1, expressions[order[0].column].type.isTemporal else {
                    throw error(
                        .type, "an INTERVAL frame offset needs one ORDER BY key of type TIMESTAMP or DATE", at: e.range)
                }
                guard interval.months >= 0, interval.days >= 0, interval.milliseconds >= 0 else {
                    throw error(.invalidArgument, "a RANGE frame offset must not be negative", at: e.range)
                }
                return .interval(interval)
            }
            guard let value = bound.constantValue else {
                throw error(.binding, "a window frame offset must be a constant", at: e.range)
            }
            if rows {
                guard case .int64(let n) = value, n >= 0 else {
                    throw error(
                        .invalidArgument, "a \(frame.unit.rawValue) frame offset must be a non-negative integer",
                        at: e.range)
                }
                return .rows(n)
            }
            guard order.count == 1 else {
                throw error(.binding, "a RANGE frame with an offset needs exactly one ORDER BY key", at: e.range)
            }
            let keyType = expressions[order[0].column].type
            guard keyType.isNumeric || keyType == .null else {
                throw error(
                    .type, "a RANGE frame over a \(keyType) key needs an INTERVAL offset", at: e.range)
            }
            guard let x = value.doubleValue, x >= 0 else {
                throw error(.invalidArgument, "a RANGE frame offset must be a non-negative number", at: e.range)
            }
            return .value(value)
        }
        func bound(_ b: WindowFrame.Bound) throws(StrataError) -> WindowCall.Bound {
            switch b {
            case .unboundedPreceding: .unboundedPreceding
            case .preceding(let e): .preceding(try offset(e))
            case .currentRow: .currentRow
            case .following(let e): .following(try offset(e))
            case .unboundedFollowing: .unboundedFollowing
            }
        }
        if frame.start == .unboundedFollowing {
            throw error(.binding, "a window frame cannot start at UNBOUNDED FOLLOWING", at: expression.range)
        }
        if frame.end == .unboundedPreceding {
            throw error(.binding, "a window frame cannot end at UNBOUNDED PRECEDING", at: expression.range)
        }
        return (unit, try bound(frame.start), try bound(frame.end))
    }
}
