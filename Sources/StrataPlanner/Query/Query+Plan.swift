import StrataCore
import StrataExecution
import StrataStorage

/// A native ``Query`` as pipeline operators: the scan (intervals as its time range, the filter in it),
/// the hash aggregation, then — over the aggregation's rows — gap filling, post-aggregations (a
/// projection), HAVING (a filter), ORDER BY and LIMIT. The binding checks what the native API always
/// checked, with its error codes and messages, and the result keeps the native API's column types (see
/// ``resultType(_:spec:)``).
struct QueryPlan {
    /// Scan, filter and aggregation: the output row is the group keys, then the aggregations.
    let aggregation: PlanNode
    /// The steps after the aggregation, as a function of their input (the aggregation's rows).
    private let steps: Steps
    /// The result's columns: keys, aggregations, post-aggregations.
    let columns: [QueryResult.Column]

    private struct Steps {
        var gapFill: GapFiller?
        var projection: (expressions: [BoundExpression], columns: [SQLScope.Column])?
        var having: BoundExpression?
        var order: [PlanNode.SortKey] = []
        var limit: Int?
        var offset = 0

        var isEmpty: Bool {
            gapFill == nil && projection == nil && having == nil && order.isEmpty && limit == nil && offset == 0
        }
    }

    /// Whether anything runs after the aggregation.
    var hasSteps: Bool { !steps.isEmpty }

    init(_ query: Query, snapshot: TableSnapshot, counters: ScanCounters?) throws(StrataError) {
        let spec = snapshot.spec
        let stored = spec.storedColumns
        let queryable = spec.queryableColumns
        /// A stored column holding values (not sketches): group keys and filters read these.
        func valueColumn(_ name: String) throws(StrataError) -> Int { try spec.valueColumn(name) }
        func column(_ p: Int) -> BoundExpression {
            .column(p, SQLValueType(queryable[p].type), name: queryable[p].name)
        }
        let time = column(0)
        /// A filter over stored columns (``Filter/bound(in:)`` resolves names among them only, so an input
        /// metric of a rolled-up table is unknown, as it was to the native binder).
        func rowFilter(_ filter: Filter) throws(StrataError) -> BoundExpression { try filter.bound(in: spec) }

        // WHERE: the intervals (one is the scan's time range alone), then the filter.
        var conjuncts: [BoundExpression] = []
        if let filter = query.filter { conjuncts.append(try rowFilter(filter)) }
        // A table without time has every row at the epoch: intervals do not apply to it.
        let (timeRange, inIntervals) =
            spec.hasTime ? TimeBounds.of(query.intervals, time: stored[0].name) : (nil, nil)
        if let inIntervals { conjuncts.insert(inIntervals, at: 0) }
        let filter: BoundExpression? = conjuncts.isEmpty ? nil : conjuncts.count == 1 ? conjuncts[0] : .and(conjuncts)

        // GROUP BY.
        var keys: [BoundExpression] = []
        var columns: [QueryResult.Column] = []
        for key in query.groupBy {
            switch key {
            case .column(let name):
                let p = try valueColumn(name)
                keys.append(column(p))
                columns.append(.init(name: key.name, type: stored[p].type))
            case .timeBucket where !spec.hasTime, .fixedBucket where !spec.hasTime:
                throw StrataError(
                    .binding, "table '\(spec.name)' has no time column: group by '\(key.name)' needs one")
            case .timeBucket(let unit):
                keys.append(.function(.dateTrunc(unit), [time], .timestamp))
                columns.append(.init(name: key.name, type: .timestamp))
            case .fixedBucket(let width):
                guard width > 0 else { throw StrataError(.invalidArgument, "a time bucket must be positive") }
                keys.append(.function(.epochBucket(width), [time], .timestamp))
                columns.append(.init(name: key.name, type: .timestamp))
            }
        }

        // Aggregations.
        var calls: [AggregateCall] = []
        for a in query.aggregations {
            calls.append(try Self.call(a, spec: spec, column: column, filter: rowFilter))
        }
        var select = BoundSelect(
            source: .table(snapshot), filter: filter, grouped: true, keys: keys, aggregates: calls, outputs: [],
            outputNames: [], hiddenCount: 0, isDistinct: false, order: [], limit: nil, offset: 0)
        // Over a rolled-up table, aggregates of the input metrics merge the stored states.
        calls = try SQLPlanner.rollupAggregates(select, snapshot: snapshot)
        select.aggregates = calls
        for (a, call) in zip(query.aggregations, calls) {
            columns.append(.init(name: a.name, type: Self.resultType(call, spec: spec)))
        }

        // The scan reads only the columns used, renumbered in stored order.
        var used: Set<Int> = filter?.columns ?? []
        for key in keys { used.formUnion(key.columns) }
        for call in calls {
            used.formUnion(call.argument?.columns ?? [])
            used.formUnion(call.filter?.columns ?? [])
            used.formUnion(call.mergeColumns)
        }
        if used.isEmpty { used = [0] }
        let needed = used.sorted()
        if let metric = needed.first(where: { $0 >= stored.count }) {
            throw spec.unknownColumn(queryable[metric].name)
        }
        var position: [Int: Int] = [:]
        for (i, c) in needed.enumerated() { position[c] = i }
        let remap = { (p: Int) in position[p] ?? p }
        var scan = ScanNode(snapshot: snapshot, storedColumns: needed, timeRange: timeRange)
        scan.indexFilters = filter.map { SQLPlanner.indexFilters(of: $0, stored: stored) } ?? []
        scan.filter = filter?.remapped(remap)
        scan.counters = counters
        let aggregates = calls.map { call in
            var copy = call
            copy.argument = call.argument?.remapped(remap)
            copy.filter = call.filter?.remapped(remap)
            copy.merge = call.merge?.remapped(remap)
            return copy
        }
        aggregation = .aggregate(.scan(scan), keys: keys.map { $0.remapped(remap) }, aggregates: aggregates)

        var steps = Steps()
        if let gapFill = query.gapFill {
            steps.gapFill = try Self.gapFiller(gapFill, query: query)
        }
        // Post-aggregations: a projection of the row and the values computed from it.
        var rowColumns = aggregation.columns
        if !query.postAggregations.isEmpty {
            var names = columns.map { $0.name.lowercased() }
            var expressions = rowColumns.indices.map { i in
                BoundExpression.column(i, rowColumns[i].type, name: columns[i].name)
            }
            for post in query.postAggregations {
                for c in post.expression.columns where !names.contains(c.lowercased()) {
                    throw StrataError(.binding, "post-aggregation '\(post.name)' uses unknown output column '\(c)'")
                }
                expressions.append(Self.expression(post.expression, names: names, row: expressions))
                names.append(post.name.lowercased())
                columns.append(.init(name: post.name, type: .double))
            }
            rowColumns = zip(expressions, columns).map { SQLScope.Column(name: $1.name, type: $0.type) }
            steps.projection = (expressions, rowColumns)
        }
        let names = columns.map { $0.name.lowercased() }
        func output(_ name: String) throws(StrataError) -> Int {
            guard let p = names.firstIndex(of: name.lowercased()) else {
                throw StrataError(
                    .binding, "no output column '\(name)' (have: \(columns.map(\.name).joined(separator: ", ")))")
            }
            return p
        }
        if let having = query.having {
            steps.having = try Self.having(having, position: output, columns: rowColumns)
        }
        for key in query.orderBy {
            steps.order.append(
                PlanNode.SortKey(column: try output(key.column), descending: key.descending, nullsFirst: key.nullsFirst))
        }
        steps.limit = query.limit.map { max(0, $0) }
        steps.offset = max(0, query.offset)
        self.steps = steps
        self.columns = columns
    }

    /// The steps after the aggregation over `input` (its rows).
    func shaped(_ input: PlanNode) -> PlanNode {
        var plan = input
        if let gapFill = steps.gapFill { plan = .gapFill(plan, gapFill) }
        if let (expressions, columns) = steps.projection { plan = .project(plan, expressions, columns: columns) }
        if let having = steps.having { plan = .filter(plan, having) }
        if !steps.order.isEmpty { plan = .sort(plan, steps.order) }
        if steps.limit != nil || steps.offset > 0 { plan = .limit(plan, limit: steps.limit, offset: steps.offset) }
        return plan
    }

    /// The aggregate call of a native aggregation, checked as the native binder checked it.
    private static func call(
        _ a: Aggregation, spec: TableSpec, column: (Int) -> BoundExpression,
        filter: (Filter) throws(StrataError) -> BoundExpression
    ) throws(StrataError) -> AggregateCall {
        let stored = spec.storedColumns
        let queryable = spec.queryableColumns
        let condition = try a.filter.map { f throws(StrataError) in try filter(f) }
        guard let name = a.column else {
            guard a.function == .count else {
                throw StrataError(.binding, "aggregation '\(a.name)' (\(a.function)) needs a column")
            }
            return AggregateCall(function: .countStar, isDistinct: false, filter: condition, text: a.name)
        }
        let p = try spec.position(of: name, among: queryable.map(\.name))
        let type = queryable[p].type
        func checkFraction(_ q: Double) throws(StrataError) {
            guard (0...1).contains(q) else {
                throw StrataError(.invalidArgument, "quantile must be between 0 and 1, got \(q) ('\(a.name)')")
            }
        }
        if p < stored.count, stored[p].isSketch {
            // Stored sketches merge: HLL states answer approx_count_distinct, quantile states approx_quantile.
            switch (stored[p].role, a.function) {
            case (.aggregate(.hll, _), .approxCountDistinct): break
            case (.aggregate(.quantile, _), .approxQuantile(let q)): try checkFraction(q)
            default: throw stored[p].sketchMisuse
            }
        } else {
            let numeric = type == .int64 || type == .double || type.decimalScale != nil
            switch a.function {
            case .quantile(let q), .approxQuantile(let q):
                try checkFraction(q)
                if case .approxQuantile = a.function, type.decimalScale != nil {
                    throw StrataError(
                        .unsupported,
                        "the native query API does not compute approx_quantile of decimal column '\(queryable[p].name)' "
                            + "yet; use SQL (db.query)")
                }
                guard numeric else {
                    throw StrataError(.type, "quantiles need a numeric column; '\(queryable[p].name)' is \(type)")
                }
            case .sum, .avg, .varianceSample, .standardDeviationSample:
                guard numeric else {
                    throw StrataError(
                        .type, "\(a.function) needs a numeric column; '\(queryable[p].name)' is \(type)")
                }
            default: break
            }
        }
        var argument = column(p)
        let function: AggregateCall.Function
        var distinct = false
        var fraction: Double?
        switch a.function {
        case .count: function = .count
        case .countDistinct:
            function = .count
            distinct = true
        case .sum: function = .sum
        case .min: function = .min
        case .max: function = .max
        case .avg: function = .avg
        case .varianceSample: function = .varianceSample
        case .standardDeviationSample: function = .standardDeviationSample
        case .approxCountDistinct: function = .approxCountDistinct
        case .quantile(let q):
            function = .quantile
            fraction = q
            // The native quantile of decimals is a DOUBLE interpolated between the values (SQL's is a
            // DECIMAL truncated to a unit): the values as doubles give it.
            if type.decimalScale != nil { argument = .cast(argument, .double) }
        case .approxQuantile(let q):
            function = .approxQuantile
            fraction = q
        }
        return AggregateCall(
            function: function, argument: argument, isDistinct: distinct, filter: condition, fraction: fraction,
            text: a.name)
    }

    /// The native API's result type of an aggregate: SQL types integer sums HUGEINT (as DuckDB), the
    /// native API `int64` (the value stays a 128-bit integer only past 64 bits; see ``converted(_:)``).
    static func resultType(_ call: AggregateCall, spec: TableSpec) -> DataType? {
        switch call.merge {
        case .count?, .distinctSketch?: return .int64
        case .moments?: return .double
        case .quantileSketch(let integer)?: return integer ? .int64 : .double
        case nil: break
        }
        let argument: DataType? =
            if case .column(let p, _, _)? = call.argument { spec.queryableColumns[p].type } else { nil }
        switch call.function {
        case .countStar, .count, .approxCountDistinct: return .int64
        case .quantile: return .double
        case .approxQuantile: return argument == .int64 ? .int64 : .double
        case .sum:
            switch argument {
            case .double?: return .double
            case .decimal(_, let s)?: return .decimal(precision: DecimalValue.maxPrecision, scale: s)
            default: return .int64
            }
        case .avg, .varianceSample, .standardDeviationSample: return .double
        case .min, .max: return argument
        // The aggregates only SQL reaches (the native Query has no case for them).
        default: return nil
        }
    }

    /// The result rows in the native types: an integer sum that fits 64 bits is `int64`, as the native
    /// engine gave it (the pipeline may carry it as a 128-bit integer).
    func converted(_ rows: [[Value]]) -> [[Value]] {
        let narrow = columns.indices.filter { columns[$0].type == .int64 }
        guard !narrow.isEmpty else { return rows }
        var rows = rows
        for r in rows.indices {
            for c in narrow where c < rows[r].count {
                if case .hugeint(let x) = rows[r][c], let small = Int64(exactly: x) { rows[r][c] = .int64(small) }
            }
        }
        return rows
    }

    /// The gap filling of `query`: its time-bucket key, intervals and fill values.
    private static func gapFiller(_ gapFill: GapFill, query: Query) throws(StrataError) -> GapFiller {
        guard let p = query.groupBy.firstIndex(where: { if case .column = $0 { false } else { true } }) else {
            throw StrataError(.invalidArgument, "gap filling needs a time-bucket group key")
        }
        guard !query.intervals.isEmpty else {
            throw StrataError(.invalidArgument, "gap filling needs query intervals to know which buckets to fill")
        }
        let buckets: GapFiller.Buckets
        switch query.groupBy[p] {
        case .timeBucket(let unit): buckets = .calendar(unit)
        case .fixedBucket(let width): buckets = .fixed(milliseconds: width)
        case .column: throw StrataError(.internal, "gap filling found a column where it found a time bucket")
        }
        let fills: [Value] = query.aggregations.map { a in
            if let v = gapFill.values[a.name] { return v }
            switch a.function {
            case .count, .countDistinct, .approxCountDistinct: return .int64(0)
            default: return .null
            }
        }
        return GapFiller(
            timeKey: p, keyCount: query.groupBy.count, buckets: buckets, intervals: query.intervals, fills: fills)
    }

    /// A post-aggregation over the row `row` (by output name in `names`): arithmetic in doubles, as
    /// ``PostAggregation/Expression/evaluate(_:)`` computes it — an operand without a number is NULL, and so
    /// is a quotient by zero.
    private static func expression(_ e: PostAggregation.Expression, names: [String], row: [BoundExpression])
        -> BoundExpression
    {
        func bound(_ e: PostAggregation.Expression) -> BoundExpression {
            switch e {
            case .column(let c):
                // Checked by the caller; an earlier post-aggregation is its expression.
                let p = names.firstIndex(of: c.lowercased()) ?? 0
                return row[p]
            case .constant(let x): return .constant(.double(x), .double)
            case .add(let a, let b): return .arithmetic(.add, bound(a), bound(b), .double)
            case .subtract(let a, let b): return .arithmetic(.subtract, bound(a), bound(b), .double)
            case .multiply(let a, let b): return .arithmetic(.multiply, bound(a), bound(b), .double)
            case .divide(let a, let b):
                let divisor = bound(b)
                // `divisor + 0.0`: a DOUBLE compared with a DOUBLE zero, whatever the column's type.
                let isZero = BoundExpression.compare(
                    .equal, .arithmetic(.add, divisor, .constant(.double(0), .double), .double),
                    .constant(.double(0), .double))
                return .caseWhen(
                    [BoundExpression.CaseBranch(condition: isZero, result: .constant(.null, .double))],
                    elseResult: .arithmetic(.divide, bound(a), divisor, .double), .double)
            }
        }
        return bound(e)
    }

    /// HAVING over the output row: comparisons as ``Filter/evaluate(_:)`` makes them (``ValueOrder``,
    /// no coercion of the literal), which is how SQL's row rules compare too.
    private static func having(
        _ filter: Filter, position: (String) throws(StrataError) -> Int, columns: [SQLScope.Column]
    ) throws(StrataError) -> BoundExpression {
        func column(_ name: String) throws(StrataError) -> BoundExpression {
            let p = try position(name)
            return .column(p, columns[p].type, name: columns[p].name)
        }
        func literal(_ value: Value) -> BoundExpression {
            let type: SQLValueType =
                switch value {
                case .null: .null
                case .bool: .boolean
                case .int64: .bigint
                case .hugeint: .hugeint
                case .double: .double
                case .string: .varchar
                case .timestamp: .timestamp
                case .decimal(let d): .decimal(precision: d.precision, scale: d.scale)
                }
            return .constant(value, type)
        }
        let unknown = BoundExpression.constant(.null, .boolean)
        switch filter {
        case .compare(let name, let op, let value):
            let c = try column(name)
            return value.isNull ? unknown : .compare(op, c, literal(value))
        case .in(let name, let list):
            let c = try column(name)
            // No value is in an empty list, not even NULL.
            guard !list.isEmpty else { return .constant(.bool(false), .boolean) }
            return .or(list.map { .compare(.equal, c, literal($0)) })
        case .like(let name, let pattern):
            let c = try column(name)
            guard c.type == .varchar else { return unknown }
            return .like(c, pattern: .constant(.string(pattern), .varchar), negated: false, caseInsensitive: false)
        case .isNull(let name):
            return .isNull(try column(name), negated: false)
        case .and(let parts):
            var out: [BoundExpression] = []
            for part in parts { out.append(try having(part, position: position, columns: columns)) }
            return out.isEmpty ? .constant(.bool(true), .boolean) : .and(out)
        case .or(let parts):
            var out: [BoundExpression] = []
            for part in parts { out.append(try having(part, position: position, columns: columns)) }
            return out.isEmpty ? .constant(.bool(false), .boolean) : .or(out)
        case .not(let inner):
            return .not(try having(inner, position: position, columns: columns))
        }
    }
}
