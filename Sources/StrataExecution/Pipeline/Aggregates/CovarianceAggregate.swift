import StrataCore

/// The aggregates of (y, x) pairs: `covar_pop`, `covar_samp`, `corr`, `regr_slope`, `regr_intercept`,
/// `regr_r2` and `regr_count`. Per group the count, both means, both sums of squared deviations and the
/// co-moment Σ(x − x̄)(y − ȳ), updated as Welford's variance is (no cancellation of large sums); workers'
/// states combine with Chan's formulas, as DuckDB's do. A pair with a NULL adds nothing.
final class CovarianceAggregate: VectorAggregate {
    private let function: AggregateCall.Function
    private var counts: [Int64] = []
    private var meanX: [Double] = []
    private var meanY: [Double] = []
    private var m2X: [Double] = []
    private var m2Y: [Double] = []
    private var coMoment: [Double] = []

    init(function: AggregateCall.Function) { self.function = function }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        throw StrataError(.internal, "\(function.rawValue)() needs two arguments")
    }

    /// The values of a numeric vector as doubles (DECIMAL and the rest boxed, value by value).
    private static func doubles(_ vector: Vector) -> [Double] {
        if vector.type == .double || vector.type == .bigint, let v = vector.doubleBuffer() { return v }
        return (0..<vector.count).map { vector.value(at: $0).doubleValue ?? .nan }
    }

    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) throws(StrataError) {
        guard arguments.count == 2 else { throw StrataError(.internal, "\(function.rawValue)() needs two arguments") }
        let ys = Self.doubles(arguments[0]), xs = Self.doubles(arguments[1])
        // Rows where both are present.
        var mask = arguments[0].nullMask()
        if let other = arguments[1].nullMask() {
            if var both = mask {
                for i in 0..<both.count where !other[i] { both[i] = false }
                mask = both
            } else {
                mask = other
            }
        }
        var counts = self.counts, meanX = self.meanX, meanY = self.meanY
        var m2X = self.m2X, m2Y = self.m2Y, coMoment = self.coMoment
        (self.counts, self.meanX, self.meanY, self.m2X, self.m2Y, self.coMoment) = ([], [], [], [], [], [])
        defer {
            (self.counts, self.meanX, self.meanY) = (counts, meanX, meanY)
            (self.m2X, self.m2Y, self.coMoment) = (m2X, m2Y, coMoment)
        }
        grow(&counts, to: groupCount, with: 0)
        grow(&meanX, to: groupCount, with: 0)
        grow(&meanY, to: groupCount, with: 0)
        grow(&m2X, to: groupCount, with: 0)
        grow(&m2Y, to: groupCount, with: 0)
        grow(&coMoment, to: groupCount, with: 0)
        let boxed = arguments.contains { !($0.type == .double || $0.type == .bigint) }
        forEachRow(rows, groups.count, skipping: mask) { i in
            let (y, x) = (ys[i], xs[i])
            // A boxed value without a double (none in practice) adds nothing, as row at a time.
            if boxed, arguments[0].value(at: i).doubleValue == nil || arguments[1].value(at: i).doubleValue == nil {
                return
            }
            let g = Int(groups[i])
            counts[g] &+= 1
            let n = Double(counts[g])
            let dx = x - meanX[g]
            meanX[g] += dx / n
            let dy = y - meanY[g]
            meanY[g] += dy / n
            m2X[g] += dx * (x - meanX[g])
            m2Y[g] += dy * (y - meanY[g])
            coMoment[g] += dx * (y - meanY[g])
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? CovarianceAggregate else { return }
        grow(&counts, to: groupCount, with: 0)
        grow(&meanX, to: groupCount, with: 0)
        grow(&meanY, to: groupCount, with: 0)
        grow(&m2X, to: groupCount, with: 0)
        grow(&m2Y, to: groupCount, with: 0)
        grow(&coMoment, to: groupCount, with: 0)
        for g in other.counts.indices where other.counts[g] > 0 {
            let t = Int(groups[g])
            let (na, nb) = (Double(counts[t]), Double(other.counts[g]))
            let n = na + nb
            let dx = other.meanX[g] - meanX[t]
            let dy = other.meanY[g] - meanY[t]
            let weight = na * nb / n
            m2X[t] += other.m2X[g] + dx * dx * weight
            m2Y[t] += other.m2Y[g] + dy * dy * weight
            coMoment[t] += other.coMoment[g] + dx * dy * weight
            meanX[t] += dx * nb / n
            meanY[t] += dy * nb / n
            counts[t] += other.counts[g]
        }
    }

    func result(_ g: Int) -> Value {
        guard g < counts.count else {
            return AggregateState.coMomentResult(function, count: 0, meanY: 0, meanX: 0, m2Y: 0, m2X: 0, coMoment: 0)
        }
        return AggregateState.coMomentResult(
            function, count: counts[g], meanY: meanY[g], meanX: meanX[g], m2Y: m2Y[g], m2X: m2X[g],
            coMoment: coMoment[g])
    }

    var bytes: Int { counts.count * 48 }
}
