package import StrataCore

/// A bound aggregate call: `sum(x)`, `count(DISTINCT u) FILTER (WHERE …)`. Arguments and filter read
/// the input rows.
package struct AggregateCall: Hashable, Sendable {
    package enum Function: String, Hashable, Sendable {
        case countStar = "count_star"
        case count, sum, min, max, avg
        case varianceSample = "var_samp"
        case standardDeviationSample = "stddev_samp"
        /// HyperLogLog in the engine; exact on the general path (within the sketch's bound).
        case approxCountDistinct = "approx_count_distinct"
        /// `quantile_cont(x, q)`: exact, interpolated.
        case quantile = "quantile_cont"
        /// `approx_quantile(x, q)`: a DDSketch in the engine (1% relative accuracy); exact on the general path.
        case approxQuantile = "approx_quantile"
        case variancePopulation = "var_pop"
        case standardDeviationPopulation = "stddev_pop"
        /// Two-argument aggregates of (y, x) pairs where neither is NULL, from co-moments (``CovarianceAggregate``).
        case covariancePopulation = "covar_pop"
        case covarianceSample = "covar_samp"
        case correlation = "corr"
        case regressionSlope = "regr_slope"
        case regressionIntercept = "regr_intercept"
        case regressionR2 = "regr_r2"
        case regressionCount = "regr_count"
        case regressionAverageX = "regr_avgx"
        case regressionAverageY = "regr_avgy"
        case regressionSXX = "regr_sxx"
        case regressionSYY = "regr_syy"
        case regressionSXY = "regr_sxy"
        /// `arg_max(x, by)` / `arg_min(x, by)`: `x` of the row with the largest (smallest) `by`, rows where
        /// either is NULL skipped, ties to the first row met.
        case argMax = "arg_max"
        case argMin = "arg_min"
        /// The first non-NULL value met.
        case anyValue = "any_value"
        /// The value of the first (last) row in input order, NULL included: scan order, one worker.
        case first, last
        case boolAnd = "bool_and"
        case boolOr = "bool_or"
        /// The number of rows where the condition is true: HUGEINT, NULL without a non-NULL condition.
        case countIf = "count_if"
        /// `quantile_disc(x, q)`: the value at position ⌈n·q⌉ − 1 of the sorted values.
        case quantileDiscrete = "quantile_disc"
        /// The most frequent value; ties to the value met first.
        case mode
        /// `string_agg(x, sep [ORDER BY …])` (`listagg`, `group_concat`): the non-NULL strings joined by `sep`, in
        /// the ORDER BY's order, else in scan order (then on one worker).
        case stringAgg = "string_agg"
        /// `product(x)`: the product of the non-NULL values, as a DOUBLE (DuckDB's, whatever the numeric input).
        case product

        /// Every SQL name of a supported aggregate, aliases included.
        package static let byName: [String: Function] = [
            "count": .count, "sum": .sum, "min": .min, "max": .max, "avg": .avg, "mean": .avg,
            "var_samp": .varianceSample, "variance": .varianceSample, "stddev_samp": .standardDeviationSample,
            "stddev": .standardDeviationSample, "approx_count_distinct": .approxCountDistinct,
            "quantile_cont": .quantile, "quantile": .quantile, "median": .quantile, "approx_quantile": .approxQuantile,
            "var_pop": .variancePopulation, "stddev_pop": .standardDeviationPopulation,
            "covar_pop": .covariancePopulation, "covar_samp": .covarianceSample, "corr": .correlation,
            "regr_slope": .regressionSlope, "regr_intercept": .regressionIntercept, "regr_r2": .regressionR2,
            "regr_count": .regressionCount, "regr_avgx": .regressionAverageX, "regr_avgy": .regressionAverageY,
            "regr_sxx": .regressionSXX, "regr_syy": .regressionSYY, "regr_sxy": .regressionSXY, "arg_max": .argMax,
            "max_by": .argMax, "argmax": .argMax,
            "arg_min": .argMin, "min_by": .argMin, "argmin": .argMin, "any_value": .anyValue, "first": .first,
            "arbitrary": .first, "last": .last, "bool_and": .boolAnd, "bool_or": .boolOr, "count_if": .countIf,
            "quantile_disc": .quantileDiscrete, "mode": .mode, "string_agg": .stringAgg, "listagg": .stringAgg,
            "group_concat": .stringAgg, "product": .product,
        ]
        /// Aggregates of DuckDB's dialect that the engine does not compute yet.
        package static let unsupported: Set<String> = [
            "list", "array_agg", "percentile_cont", "percentile_disc",
        ]
        package static var names: [String] { Array(byName.keys) + Array(unsupported) }

        /// Whether the general path keeps every value (an exact quantile).
        package var keepsValues: Bool {
            self == .quantile || self == .approxQuantile || self == .quantileDiscrete || self == .mode
        }

        /// Whether it takes two arguments: (y, x) of the co-moment aggregates, (x, by) of arg_max and arg_min.
        package var isBinary: Bool {
            switch self {
            case .covariancePopulation, .covarianceSample, .correlation, .regressionSlope, .regressionIntercept,
                .regressionR2, .regressionCount, .regressionAverageX, .regressionAverageY, .regressionSXX,
                .regressionSYY, .regressionSXY, .argMax, .argMin:
                true
            default: false
            }
        }

        /// Whether its answer depends on the order rows arrive in (first, last): it runs on one worker, so that
        /// the order is the scan's.
        package var dependsOnOrder: Bool { self == .first || self == .last || self == .stringAgg }

        /// Whether an ORDER BY inside the call would pick among ties (mode, any_value, arg_max, arg_min), which the
        /// engine does not do yet.
        package var orderSensitiveTies: Bool {
            self == .mode || self == .anyValue || self == .argMax || self == .argMin
        }
    }

    package var function: Function
    package var argument: BoundExpression?
    /// The second argument of a two-argument aggregate (``Function/isBinary``): `x` of `corr(y, x)`, `by` of
    /// `arg_max(x, by)`.
    package var secondArgument: BoundExpression?
    package var isDistinct: Bool
    /// `count(DISTINCT (a, b, …))`: the row's fields after the first (which is ``argument``).
    package var rowFields: [BoundExpression] = []
    /// The keys of `string_agg(x, sep ORDER BY …)`, in order; empty when not written.
    package var order: [AggregateOrderKey] = []
    /// The separator of `string_agg` (a constant).
    package var separator: String?
    package var filter: BoundExpression?
    /// The fraction of a quantile, in [0, 1].
    package var fraction: Double?
    /// `percentile_disc(q) WITHIN GROUP (ORDER BY x DESC)`: the position counts from the largest value.
    package var fromTop = false
    /// The SQL text, for plans.
    package var text: String
    /// Over a rolled-up table: the stored states this call merges (``RollupMerge``).
    package var merge: RollupMerge?

    package init(
        function: Function, argument: BoundExpression? = nil, isDistinct: Bool, filter: BoundExpression? = nil,
        fraction: Double? = nil, text: String
    ) {
        self.function = function
        self.argument = argument
        self.isDistinct = isDistinct
        self.filter = filter
        self.fraction = fraction
        self.text = text
    }

    /// The result type, as DuckDB gives it: integer sums are HUGEINT (exact in 128 bits), sums of
    /// DECIMAL(p,s) are DECIMAL(38,s).
    package var type: SQLValueType {
        switch merge {
        case .count?, .distinctSketch?: return .bigint
        case .moments?: return .double
        case .quantileSketch(let integer)?: return integer ? .bigint : .double
        case nil: break
        }
        return switch function {
        case .countStar, .count, .approxCountDistinct: .bigint
        case .quantile:
            // DuckDB keeps a DECIMAL argument's type (interpolating in units).
            if case .decimal? = argument?.type { argument?.type ?? .double } else { .double }
        case .approxQuantile:
            // DuckDB's approx_quantile keeps an integer or DECIMAL input's type.
            switch argument?.type {
            case .bigint?: .bigint
            case .decimal?: argument?.type ?? .double
            default: .double
            }
        case .sum:
            switch argument?.type {
            case .double?: .double
            case .decimal(_, let s)?: .decimal(precision: DecimalValue.maxPrecision, scale: s)
            default: .hugeint
            }
        case .avg, .varianceSample, .standardDeviationSample, .variancePopulation, .standardDeviationPopulation,
            .covariancePopulation, .covarianceSample, .correlation, .regressionSlope, .regressionIntercept,
            .regressionR2, .regressionAverageX, .regressionAverageY, .regressionSXX, .regressionSYY, .regressionSXY,
            .product:
            .double
        case .stringAgg: .varchar
        // DuckDB's regr_count is UINTEGER; Strata's integers are BIGINT.
        case .regressionCount: .bigint
        case .countIf: .hugeint
        case .boolAnd, .boolOr: .boolean
        case .min, .max, .argMax, .argMin, .anyValue, .first, .last, .quantileDiscrete, .mode: argument?.type ?? .null
        }
    }

    package static func == (lhs: AggregateCall, rhs: AggregateCall) -> Bool {
        lhs.function == rhs.function && lhs.argument == rhs.argument && lhs.secondArgument == rhs.secondArgument
            && lhs.rowFields == rhs.rowFields && lhs.order == rhs.order && lhs.separator == rhs.separator
            && lhs.isDistinct == rhs.isDistinct && lhs.filter == rhs.filter && lhs.fraction == rhs.fraction
            && lhs.fromTop == rhs.fromTop && lhs.merge == rhs.merge
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(function)
        hasher.combine(argument)
        hasher.combine(secondArgument)
        hasher.combine(rowFields)
        hasher.combine(order)
        hasher.combine(separator)
        hasher.combine(isDistinct)
        hasher.combine(filter)
        hasher.combine(fraction)
        hasher.combine(fromTop)
        hasher.combine(merge)
    }
}

/// A key of an ordered aggregate's ORDER BY.
package struct AggregateOrderKey: Hashable, Sendable {
    package var expression: BoundExpression
    package var descending: Bool
    package var nullsFirst: Bool

    package init(expression: BoundExpression, descending: Bool, nullsFirst: Bool) {
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

extension AggregateOrderKey {
    /// How two rows' key tuples compare under `keys` (negative: `a` first): NULLs where NULLS FIRST/LAST puts
    /// them, DESC reversing the values but not where the NULLs go.
    static func compare(_ a: [Value], _ b: [Value], _ keys: [AggregateOrderKey]) -> Int {
        for (k, key) in keys.enumerated() {
            var c = ValueOrder.sortOrder(a[k], b[k], nullsFirst: key.nullsFirst)
            if key.descending, !a[k].isNull, !b[k].isNull { c = -c }
            if c != 0 { return c }
        }
        return 0
    }
}

extension AggregateCall {
    /// The inputs read besides ``argument``: the second argument, a row's other fields, then the ORDER BY keys.
    package var moreArguments: [BoundExpression] {
        (secondArgument.map { [$0] } ?? []) + rowFields + order.map(\.expression)
    }

    /// The same call over renumbered input columns (its argument, second argument, ORDER BY keys and filter).
    package func remappedInputs(_ map: (Int) -> Int) -> AggregateCall {
        var copy = self
        copy.argument = argument?.remapped(map)
        copy.secondArgument = secondArgument?.remapped(map)
        copy.rowFields = rowFields.map { $0.remapped(map) }
        copy.order = order.map { key in
            var copy = key
            copy.expression = key.expression.remapped(map)
            return copy
        }
        copy.filter = filter?.remapped(map)
        return copy
    }
}

/// The running state of one aggregate for one group, row at a time (the general path).
package struct AggregateState {
    var count: Int64 = 0
    var integerSum: Int128 = 0
    var doubleSum: Double = 0
    /// product's running product.
    var product: Double = 1
    var sumIsDouble = false
    /// The scale of the decimals summed, when they are decimals.
    var sumScale: Int?
    /// The integer sum left 128 bits: the sum is an error.
    package var overflow = false
    var mean: Double = 0
    var m2: Double = 0
    var extreme: Value = .null
    /// The `by` value of arg_max and arg_min's `extreme`.
    var extremeBy: Value = .null
    /// Whether first has its row.
    var seen = false
    /// The co-moments of (y, x) pairs: y's mean and M2 are `mean` and `m2`.
    var meanX: Double = 0
    var m2X: Double = 0
    var coMoment: Double = 0
    /// The values of quantile_disc and mode, in input order.
    var kept: [Value] = []
    var distinct: Set<Value>?
    /// The values of a quantile.
    var values: [Double] = []
    /// The values of a quantile of decimals, in units, with their type.
    var decimalUnits: [Int128] = []
    var decimalType: (precision: Int, scale: Int)?
    var distinctSketch: HyperLogLog?
    var quantileSketch: QuantileSketch?
    /// `approx_quantile` of a BIGINT: the estimate is rounded back to an integer.
    var integerQuantile = false
    /// quantile_disc counted from the largest value (``AggregateCall/fromTop``).
    var fromTop = false

    package init(distinct: Bool) {
        if distinct { self.distinct = [] }
    }

    /// The values the state keeps (DISTINCT sets, exact quantiles), for the memory limit.
    package var keptValues: Int { (distinct?.count ?? 0) + values.count + decimalUnits.count + kept.count }

    package init(_ call: AggregateCall) {
        self.init(distinct: call.isDistinct && call.function != .approxCountDistinct)
        // The engine's sketches, so the general path gives the native path's answers.
        if call.function == .approxCountDistinct { distinctSketch = HyperLogLog() }
        if call.function == .approxQuantile { quantileSketch = QuantileSketch() }
        integerQuantile = call.function == .approxQuantile && call.argument?.type == .bigint
        fromTop = call.fromTop
    }

    package mutating func add(_ value: Value, _ function: AggregateCall.Function) {
        if function == .countStar {
            count &+= 1
            return
        }
        // first and last keep NULLs: the value of the first (last) row, whatever it is.
        if function == .first || function == .last {
            if function == .last || !seen { extreme = value }
            seen = true
            return
        }
        guard !value.isNull else { return }
        if distinct != nil {
            distinct!.insert(value)
            return
        }
        accumulate(value, function)
    }

    /// Adds a row of a two-argument aggregate (``AggregateCall/Function/isBinary``): `first` and `second` are
    /// (y, x) of the co-moment aggregates, (x, by) of arg_max and arg_min. A row with a NULL adds nothing.
    package mutating func add(_ first: Value, _ second: Value, _ function: AggregateCall.Function) {
        guard !first.isNull, !second.isNull else { return }
        switch function {
        case .argMax, .argMin:
            count &+= 1
            if extremeBy.isNull {
                (extreme, extremeBy) = (first, second)
            } else if let order = ValueOrder.compare(second, extremeBy), function == .argMin ? order < 0 : order > 0 {
                (extreme, extremeBy) = (first, second)
            }
        default:
            guard let y = first.doubleValue, let x = second.doubleValue else { return }
            count &+= 1
            let n = Double(count)
            let dx = x - meanX
            meanX += dx / n
            let dy = y - mean
            mean += dy / n
            m2X += dx * (x - meanX)
            m2 += dy * (y - mean)
            coMoment += dx * (y - mean)
        }
    }

    private mutating func accumulate(_ value: Value, _ function: AggregateCall.Function) {
        count &+= 1
        switch function {
        case .countStar, .count, .first, .last, .stringAgg, .covariancePopulation, .covarianceSample, .correlation,
            .regressionSlope, .regressionIntercept, .regressionR2, .regressionCount, .regressionAverageX,
            .regressionAverageY, .regressionSXX, .regressionSYY, .regressionSXY, .argMax, .argMin:
            break
        case .anyValue:
            if count == 1 { extreme = value }
        case .boolAnd, .boolOr:
            guard case .bool(let b) = value else { return }
            if case .bool(let a) = extreme {
                extreme = .bool(function == .boolAnd ? a && b : a || b)
            } else {
                extreme = .bool(b)
            }
        case .countIf:
            if value == .bool(true) { integerSum += 1 }
        case .product:
            if let x = value.doubleValue { product *= x }
        case .quantileDiscrete, .mode:
            kept.append(value)
        case .approxCountDistinct:
            switch value {
            case .string(let text): distinctSketch?.insert(text)
            case .int64(let x), .timestamp(let x): distinctSketch?.insert(x)
            case .double(let x): distinctSketch?.insert(x)
            // A decimal hashes its units, as the engine hashes a decimal column's int64 units.
            case .decimal(let d): distinctSketch?.insert(Int64(truncatingIfNeeded: d.unscaled))
            case .hugeint: distinctSketch?.insert(value.description)
            case .bool(let b): distinctSketch?.insert(Int64(b ? 1 : 0))
            case .null: break
            }
        case .quantile:
            if case .decimal(let d) = value {
                decimalUnits.append(d.unscaled)
                decimalType = (d.precision, d.scale)
            } else if let x = value.doubleValue {
                values.append(x)
            }
        case .approxQuantile:
            if case .decimal(let d) = value { decimalType = (d.precision, d.scale) }
            if let x = value.doubleValue { quantileSketch?.insert(x) }
        case .sum, .avg:
            switch value {
            case .int64(let x): addExact(Int128(x))
            case .hugeint(let x): addExact(x)
            case .decimal(let d):
                sumScale = d.scale
                addExact(d.unscaled)
            case .double(let x):
                sumIsDouble = true
                doubleSum += x
            default: break
            }
        case .varianceSample, .standardDeviationSample, .variancePopulation, .standardDeviationPopulation:
            guard let x = value.doubleValue else { return }
            let delta = x - mean
            mean += delta / Double(count)
            m2 += delta * (x - mean)
        case .min, .max:
            if extreme.isNull {
                extreme = value
            } else if let order = ValueOrder.compare(value, extreme), function == .min ? order < 0 : order > 0 {
                extreme = value
            }
        }
    }

    /// DuckDB's `quantile_cont` of decimals: between the order statistics around (n − 1)·q, the lower one
    /// plus the difference times the fraction, truncated to a unit (1.01 and 1.02 at 0.9 give 1.01).
    static func decimalQuantile(_ units: [Int128], q: Double, type: (precision: Int, scale: Int)) -> Value {
        guard !units.isEmpty else { return .null }
        let sorted = units.sorted()
        let position = Double(sorted.count - 1) * q
        let lower = Int(position.rounded(.down))
        let upper = Int(position.rounded(.up))
        var result = sorted[max(0, min(lower, sorted.count - 1))]
        if upper != lower, upper < sorted.count {
            let delta = Double(sorted[upper] - result) * (position - Double(lower))
            result += Int128(delta.rounded(.towardZero))
        }
        return .decimal(DecimalValue(unscaled: result, precision: type.precision, scale: type.scale))
    }

    private mutating func addExact(_ x: Int128) {
        let (sum, overflowed) = integerSum.addingReportingOverflow(x)
        integerSum = sum
        overflow = overflow || overflowed
    }

    /// The aggregate's value over everything added.
    package func result(_ function: AggregateCall.Function, fraction: Double? = nil) -> Value {
        if let distinct {
            var state = AggregateState(distinct: false)
            state.quantileSketch = quantileSketch
            state.integerQuantile = integerQuantile
            state.fromTop = fromTop
            // A deterministic order so that floating-point sums do not depend on hashing.
            for value in distinct.sorted(by: { ValueOrder.sortOrder($0, $1, nullsFirst: false) < 0 }) {
                state.accumulate(value, function)
            }
            return state.result(function, fraction: fraction)
        }
        switch function {
        case .countStar, .count:
            return .int64(count)
        case .approxCountDistinct:
            return .int64(distinctSketch?.estimate ?? 0)
        case .quantile:
            if let decimalType {
                return Self.decimalQuantile(decimalUnits, q: fraction ?? 0.5, type: decimalType)
            }
            // DuckDB's quantile_cont: interpolate between the order statistics around (n − 1)·q.
            guard let q = fraction,
                let x = try? ExactQuantile.continuous(sorted: values.sorted(by: ExactQuantile.precedes), q: q)
            else { return .null }
            return .double(x)
        case .approxQuantile:
            guard let q = fraction, let x = (try? quantileSketch?.quantile(q)) ?? nil else { return .null }
            if let (p, s) = decimalType {
                return DecimalValue.from(x, precision: p, scale: s).map {
                    .decimal(DecimalValue(unscaled: $0, precision: p, scale: s))
                } ?? .null
            }
            return integerQuantile ? .int64(QuantileSketch.integerValue(x)) : .double(x)
        case .sum:
            guard count > 0 else { return .null }
            if sumIsDouble { return .double(doubleSum) }
            if let scale = sumScale {
                return .decimal(DecimalValue(unscaled: integerSum, precision: DecimalValue.maxPrecision, scale: scale))
            }
            // Callers that type the sum HUGEINT (SQL) widen an int64 result; the native API keeps int64
            // while the sum fits.
            return Int64(exactly: integerSum).map { .int64($0) } ?? .hugeint(integerSum)
        case .avg:
            guard count > 0 else { return .null }
            if sumIsDouble { return .double(doubleSum / Double(count)) }
            guard let sumScale else { return .double(Double(integerSum) / Double(count)) }
            let scale = DecimalValue.power(sumScale)
            // Exact quotient and remainder first, so that a sum past 2^53 keeps its precision.
            let (q, r) = integerSum.quotientAndRemainder(dividingBy: Int128(count))
            return .double((Double(q) + Double(r) / Double(count)) / Double(scale))
        case .varianceSample, .standardDeviationSample:
            guard count > 1 else { return .null }
            let variance = m2 / Double(count - 1)
            return .double(function == .varianceSample ? variance : variance.squareRoot())
        case .variancePopulation, .standardDeviationPopulation:
            guard count > 0 else { return .null }
            let variance = m2 / Double(count)
            return .double(function == .variancePopulation ? variance : variance.squareRoot())
        case .covariancePopulation, .covarianceSample, .correlation, .regressionSlope, .regressionIntercept,
            .regressionR2, .regressionCount, .regressionAverageX, .regressionAverageY, .regressionSXX, .regressionSYY,
            .regressionSXY:
            return Self.coMomentResult(
                function, count: count, meanY: mean, meanX: meanX, m2Y: m2, m2X: m2X, coMoment: coMoment)
        case .countIf:
            return count > 0 ? .hugeint(integerSum) : .null
        case .product:
            return count > 0 ? .double(product) : .null
        case .quantileDiscrete:
            guard !kept.isEmpty, let q = fraction else { return .null }
            let sorted = kept.sorted { ValueOrder.sortOrder($0, $1, nullsFirst: false) < 0 }
            return sorted[Self.discreteIndex(count: sorted.count, q: q, fromTop: fromTop)]
        case .mode:
            return Self.mode(of: kept)
        case .stringAgg:
            // Only the vectorized state (``StringAggAggregate``) computes it; windows refuse it.
            return .null
        case .min, .max, .argMax, .argMin, .anyValue, .first, .last, .boolAnd, .boolOr:
            return extreme
        }
    }
}

extension AggregateState {
    /// The co-moment aggregates' answers as DuckDB gives them: NULL without pairs (covar_samp: fewer than two);
    /// a division by a zero variance is NaN for corr and regr_slope, NULL for regr_intercept and regr_r2 (which
    /// is 1 when only y is constant).
    static func coMomentResult(
        _ function: AggregateCall.Function, count: Int64, meanY: Double, meanX: Double, m2Y: Double, m2X: Double,
        coMoment: Double
    ) -> Value {
        if function == .regressionCount { return .int64(count) }
        guard count > 0 else { return .null }
        let n = Double(count)
        let covariance = coMoment / n
        let varianceX = m2X / n, varianceY = m2Y / n
        switch function {
        case .covariancePopulation: return .double(covariance)
        case .regressionAverageX: return .double(meanX)
        case .regressionAverageY: return .double(meanY)
        case .regressionSXX: return .double(m2X)
        case .regressionSYY: return .double(m2Y)
        case .regressionSXY: return .double(coMoment)
        case .covarianceSample: return count > 1 ? .double(coMoment / (n - 1)) : .null
        case .correlation: return .double(covariance / (varianceX.squareRoot() * varianceY.squareRoot()))
        case .regressionSlope: return .double(covariance / varianceX)
        case .regressionIntercept:
            let slope = covariance / varianceX
            return slope.isFinite ? .double(meanY - slope * meanX) : .null
        case .regressionR2:
            guard varianceX != 0 else { return .null }
            guard varianceY != 0 else { return .double(1) }
            let r = covariance / (varianceX.squareRoot() * varianceY.squareRoot())
            return .double(r * r)
        default: return .null
        }
    }

    /// quantile_disc's position among `count` ascending values: ⌈n·q⌉ − 1, at least 0 (DuckDB's); counted from
    /// the largest value (`fromTop`, a descending WITHIN GROUP), n − ⌈n·q⌉.
    static func discreteIndex(count: Int, q: Double, fromTop: Bool = false) -> Int {
        let rank = Int((Double(count) * q).rounded(.up))
        return max(0, min(count - 1, fromTop ? count - rank : rank - 1))
    }

    /// The most frequent of `values`; of equally frequent ones, the one met first (DuckDB's mode).
    static func mode(of values: [Value]) -> Value {
        var counts: [Value: (count: Int, first: Int)] = [:]
        for (i, v) in values.enumerated() {
            counts[v, default: (0, i)].count += 1
        }
        var best: (value: Value, count: Int, first: Int)?
        for (v, c) in counts {
            if let b = best, c.count < b.count || (c.count == b.count && c.first > b.first) { continue }
            best = (v, c.count, c.first)
        }
        return best?.value ?? .null
    }
}
