/// Statistics of a quantile metric (for example the 90th percentile of latency), as gbstats'
/// `QuantileStatistic` and `QuantileClusteredStatistic` model them.
///
/// The inputs are a sample quantile and a distribution-free 95% confidence interval [lower, upper] for it,
/// computed on `nStar` values. The per-event variance is (n* / n)(n − 1) ((upper − lower) / (2 z₀.₉₇₅))², floored
/// at 1e-5 once n ≥ 100. For event-level quantiles whose units (clusters) contribute several events, the
/// variance is inflated by the ratio of the clustered to the independent variance of the quantile level.
public struct QuantileStatistics: SampleStatistics, Hashable {
    /// Per-unit sums for event-level quantiles, where a unit contributes several events.
    public struct Clustering: Sendable, Hashable {
        /// Σ over units of the number of events at or below the quantile.
        public var mainSum: Double
        /// Σ over units of its square.
        public var mainSumSquares: Double
        /// Σ over units of the number of events.
        public var denominatorSum: Double
        /// Σ over units of its square.
        public var denominatorSumSquares: Double
        /// Σ over units of the product of the two.
        public var sumProducts: Double
        /// The number of units.
        public var clusters: Int

        /// Creates per-unit sums.
        ///
        /// - Parameters:
        ///   - mainSum: Σ events at or below the quantile, per unit.
        ///   - mainSumSquares: Σ of their squares.
        ///   - denominatorSum: Σ events per unit.
        ///   - denominatorSumSquares: Σ of their squares.
        ///   - sumProducts: Σ of the products.
        ///   - clusters: The number of units.
        public init(
            mainSum: Double,
            mainSumSquares: Double,
            denominatorSum: Double,
            denominatorSumSquares: Double,
            sumProducts: Double,
            clusters: Int
        ) {
            self.mainSum = mainSum
            self.mainSumSquares = mainSumSquares
            self.denominatorSum = denominatorSum
            self.denominatorSumSquares = denominatorSumSquares
            self.sumProducts = sumProducts
            self.clusters = clusters
        }
    }

    /// The number of values (events) the quantile was taken over.
    public var n: Int
    /// The sample size used for `lower` and `upper`.
    public var nStar: Int
    /// The quantile level ν in (0, 1), for example 0.9.
    public var level: Double
    /// The sample quantile.
    public var quantile: Double
    /// The lower bound of its 95% confidence interval.
    public var lower: Double
    /// The upper bound of its 95% confidence interval.
    public var upper: Double
    /// Per-unit sums for event-level quantiles; `nil` for unit-level quantiles.
    public var clustering: Clustering?

    /// Creates quantile statistics.
    ///
    /// - Parameters:
    ///   - n: The number of values (events).
    ///   - nStar: The sample size used for the interval.
    ///   - level: The quantile level ν in (0, 1).
    ///   - quantile: The sample quantile.
    ///   - lower: The lower 95% bound.
    ///   - upper: The upper 95% bound.
    ///   - clustering: Per-unit sums for event-level quantiles.
    public init(
        n: Int,
        nStar: Int,
        level: Double,
        quantile: Double,
        lower: Double,
        upper: Double,
        clustering: Clustering? = nil
    ) {
        self.n = n
        self.nStar = nStar
        self.level = level
        self.quantile = quantile
        self.lower = lower
        self.upper = upper
        self.clustering = clustering
    }

    static let z975 = NormalDistribution.quantile(0.975)

    /// The sample quantile.
    public var mean: Double { quantile }

    /// The per-event variance before the 1e-5 floor.
    public var initialVariance: Double {
        if n <= 1 { return 0 }
        let count = Double(n)
        let halfWidth = (upper - lower) / (2 * Self.z975)
        let independent = (Double(nStar) / count) * (count - 1) * (halfWidth * halfWidth)
        guard let clustering else { return independent }
        if level == 0 || clustering.clusters <= 1 || clustering.denominatorSum <= 0 { return 0 }
        let levelVariance = level * (1 - level) / count
        return independent * Self.clusterVariance(clustering) / levelVariance
    }

    /// The per-event variance, floored at 1e-5 once n ≥ 100.
    public var variance: Double {
        n < 100 ? initialVariance : max(initialVariance, 1e-5)
    }

    /// Zero when the interval cannot exist (too few events for the level) or the variance is zero with n < 1000.
    public var hasZeroVariance: Bool {
        let count = Double(n)
        let z2 = Self.z975 * Self.z975
        if count <= z2 * level / (1 - level) || count <= z2 * (1 - level) / level { return true }
        return !(initialVariance > 0) && n < 1000
    }

    /// The delta-method variance of the fraction of events at or below the quantile under clustering.
    private static func clusterVariance(_ c: Clustering) -> Double {
        let k = Double(c.clusters)
        let meanS = c.mainSum / k
        let meanN = c.denominatorSum / k
        let varianceS = (c.mainSumSquares / k - meanS * meanS) * k / (k - 1)
        let varianceN = (c.denominatorSumSquares / k - meanN * meanN) * k / (k - 1)
        let covariance = (c.sumProducts / k - meanS * meanN) * k / (k - 1)
        let numerator = varianceS - 2 * meanS * covariance / meanN + meanS * meanS * varianceN / (meanN * meanN)
        return numerator / (k * meanN * meanN)
    }
}
