import StrataCore

/// One aggregate function over groups: the hash aggregate hands it each batch's group of every row and
/// the argument's vector, and asks for one result per group at the end.
protocol VectorAggregate: AnyObject {
    /// Adds rows of `argument` to their groups: the rows in `rows` (`nil`: every row); `groups[i]` is row
    /// `i`'s group, below `groupCount`.
    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError)
    /// As ``update(_:groupCount:argument:rows:)`` for a call that reads several columns (a rollup's merge
    /// of moments): the argument's vector, then those of ``RollupMerge/extraArguments``.
    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) throws(StrataError)
    /// The value over everything added to `group`.
    func result(_ group: Int) throws(StrataError) -> Value
    /// Bytes held, roughly (for the memory limit).
    var bytes: Int { get }
    /// Adds another worker's state of the same aggregate: its group `g` is this one's `groups[g]`.
    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) throws(StrataError)
    /// Whether `merge` works (the row-at-a-time states cannot merge: their query runs on one worker).
    var mergeable: Bool { get }
}

extension VectorAggregate {
    var mergeable: Bool { true }

    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) throws(StrataError) {
        try update(groups, groupCount: groupCount, argument: arguments.first, rows: rows)
    }
}

extension AggregateCall {
    /// The vectorized state of this aggregate: typed loops for count, sum, avg, min, max, exact and
    /// approximate distinct counts, variance, co-moments, arg_max/arg_min, any_value, bool_and/bool_or, count_if, product,
    /// quantiles of numbers, quantile_disc, mode, string_agg, DISTINCT sums; the row-at-a-time states (one worker)
    /// for the rest: first and last (whose answer is the scan's order), other DISTINCT aggregates.
    func makeAggregate() -> any VectorAggregate {
        switch merge {
        case .count?: return RollupCountAggregate()
        case .moments?: return MomentsMergeAggregate(function: function)
        case .distinctSketch?: return DistinctSketchMergeAggregate()
        case .quantileSketch(let integer)?: return QuantileSketchMergeAggregate(fraction: fraction, integer: integer)
        case nil: break
        }
        switch function {
        case .countStar: return CountStarAggregate()
        case .count where isDistinct && !rowFields.isEmpty: return CountDistinctRowsAggregate()
        case .count where isDistinct: return CountDistinctAggregate()
        case .count: return CountAggregate()
        case .approxCountDistinct: return ApproxCountDistinctAggregate()
        case .sum where !isDistinct: return SumAggregate(call: self, average: false)
        case .avg where !isDistinct: return SumAggregate(call: self, average: true)
        case .sum, .avg: return SumDistinctAggregate(call: self)
        case .min where true, .max where true: return MinMaxAggregate(maximum: function == .max)
        case .varianceSample where !isDistinct, .standardDeviationSample where !isDistinct:
            return VarianceAggregate(standardDeviation: function == .standardDeviationSample)
        case .variancePopulation where !isDistinct, .standardDeviationPopulation where !isDistinct:
            return VarianceAggregate(standardDeviation: function == .standardDeviationPopulation, population: true)
        case .covariancePopulation, .covarianceSample, .correlation, .regressionSlope, .regressionIntercept,
            .regressionR2, .regressionCount, .regressionAverageX, .regressionAverageY, .regressionSXX, .regressionSYY,
            .regressionSXY:
            return CovarianceAggregate(function: function)
        case .argMax, .argMin: return ArgExtremeAggregate(maximum: function == .argMax, by: secondArgument?.type)
        case .anyValue where !isDistinct: return AnyValueAggregate()
        case .boolAnd where !isDistinct, .boolOr where !isDistinct:
            return BoolAggregate(conjunction: function == .boolAnd)
        case .countIf where !isDistinct: return CountIfAggregate()
        case .product where !isDistinct: return ProductAggregate()
        case .stringAgg: return StringAggAggregate(separator: separator ?? ",", order: order)
        case .first where !order.isEmpty, .last where !order.isEmpty:
            return OrderedFirstAggregate(last: function == .last, order: order)
        case .quantileDiscrete where !isDistinct:
            return QuantileDiscreteAggregate(fraction: fraction, fromTop: fromTop, type: argument?.type ?? .null)
        case .mode where !isDistinct: return ModeAggregate()
        case .quantile where !isDistinct && argument?.type == .bigint:
            return IntegerQuantileAggregate(fraction: fraction)
        case .quantile where !isDistinct && Self.numeric(argument):
            return QuantileAggregate(fraction: fraction)
        case .approxQuantile where !isDistinct && Self.numeric(argument):
            return ApproxQuantileAggregate(fraction: fraction, integer: argument?.type == .bigint)
        default: return BoxedAggregate(call: self)
        }
    }
}

extension AggregateCall {
    /// BIGINT and DOUBLE arguments: the typed quantile states read them as doubles.
    static func numeric(_ argument: BoundExpression?) -> Bool {
        argument?.type == .bigint || argument?.type == .double
    }
}

/// The rows to visit: `rows`, or all `count` of them (a loop without a closure, so that the states it
/// updates are plain local variables).
struct RowIndices: Sequence, IteratorProtocol {
    private let rows: [Int32]?
    private let count: Int
    private var position = 0

    init(_ rows: [Int32]?, _ count: Int) {
        self.rows = rows
        self.count = count
    }

    @inline(__always)
    mutating func next() -> Int? {
        if let rows {
            guard position < rows.count else { return nil }
            position += 1
            return Int(rows[position - 1])
        }
        guard position < count else { return nil }
        position += 1
        return position - 1
    }
}

/// Calls `body` with each row to visit: the rows in `rows` (every row below `count` when `nil`) that
/// `mask` does not mark NULL. Inlined, so each aggregate's loop is specialized for the three forms.
@inline(__always)
func forEachRow(_ rows: [Int32]?, _ count: Int, skipping mask: Bitset?, _ body: (Int) -> Void) {
    if let rows {
        rows.withUnsafeBufferPointer { rows in
            for r in rows {
                let i = Int(r)
                if let mask, !mask[i] { continue }
                body(i)
            }
        }
    } else if let mask {
        for i in 0..<count where mask[i] { body(i) }
    } else {
        for i in 0..<count { body(i) }
    }
}

/// Whether `groups` comes in runs long enough for ``forEachRun(_:_:)`` to pay (rows in time order grouped by
/// hour or day): at most one change of group in eight rows among the first 128. Rows of a few groups in no
/// order (by platform) would make its run loop mispredict on most rows.
@inline(__always)
func hasLongRuns(_ groups: UnsafeBufferPointer<UInt32>) -> Bool {
    let sample = min(groups.count, 128)
    var changes = 0
    for i in 1..<max(sample, 1) where groups[i] != groups[i - 1] { changes &+= 1 }
    return changes * 8 <= sample
}

/// Calls `body` with each run of consecutive rows of one group (time-ordered rows grouped by hour or day
/// come in long runs): the group and the run's rows. Inlined, so a state updated per run stays in registers.
@inline(__always)
func forEachRun(_ groups: UnsafeBufferPointer<UInt32>, _ body: (Int, Range<Int>) -> Void) {
    var i = 0
    while i < groups.count {
        let g = groups[i]
        var j = i &+ 1
        while j < groups.count, groups[j] == g { j &+= 1 }
        body(Int(g), i..<j)
        i = j
    }
}

/// Grows a per-group array to `count` entries.
@inline(__always)
func grow<T>(_ array: inout [T], to count: Int, with value: T) {
    if array.count < count { array.append(contentsOf: repeatElement(value, count: count - array.count)) }
}
