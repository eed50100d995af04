/// Sufficient statistics for CUPED (regression adjustment on a pre-exposure covariate x), as gbstats'
/// `RegressionAdjustedStatistic`.
///
/// The adjusted mean is ȳ − θ x̄ and the per-unit variance s²_y + θ² s²_x − 2θ s_xy. θ is pooled over the two
/// arms being compared: θ = cov(y, x) / var(x) on the union of both arms, computed by
/// ``prepared(baseline:treatment:)``. When the pooled pre- or post-period variance is zero, θ = 0 and the test
/// falls back to the unadjusted metric.
///
/// For relative lifts gbstats 0.8.0 divides by the *unadjusted* baseline mean and uses the unadjusted means in
/// the delta-method variance; StrataStats follows that formula exactly (later gbstats versions add covariance
/// terms between the adjusted numerator and the unadjusted denominator).
public struct CUPEDStatistics: SampleStatistics, Hashable {
    /// The number of units.
    public var n: Int
    /// Statistics of the metric after exposure (y).
    public var post: MeanStatistics
    /// Statistics of the pre-exposure covariate (x).
    public var pre: MeanStatistics
    /// Σ x·y over units.
    public var sumProducts: Double
    /// The regression coefficient; 0 until ``prepared(baseline:treatment:)`` pools it over a pair.
    public var theta: Double

    /// Creates CUPED statistics from component statistics.
    ///
    /// - Parameters:
    ///   - n: The number of units.
    ///   - post: Statistics of the metric (continuous or binomial).
    ///   - pre: Statistics of the covariate (continuous or binomial).
    ///   - sumProducts: Σ x·y.
    ///   - theta: The coefficient, normally left at 0 and pooled by the test.
    public init(n: Int, post: MeanStatistics, pre: MeanStatistics, sumProducts: Double, theta: Double = 0) {
        self.n = n
        self.post = post
        self.pre = pre
        self.sumProducts = sumProducts
        self.theta = theta
    }

    /// Creates CUPED statistics of a continuous metric and covariate.
    ///
    /// - Parameters:
    ///   - n: The number of units.
    ///   - sum: Σy.
    ///   - sumSquares: Σy².
    ///   - covariateSum: Σx.
    ///   - covariateSumSquares: Σx².
    ///   - sumProducts: Σ x·y.
    public init(
        n: Int,
        sum: Double,
        sumSquares: Double,
        covariateSum: Double,
        covariateSumSquares: Double,
        sumProducts: Double
    ) {
        self.init(
            n: n,
            post: MeanStatistics(n: n, sum: sum, sumSquares: sumSquares),
            pre: MeanStatistics(n: n, sum: covariateSum, sumSquares: covariateSumSquares),
            sumProducts: sumProducts
        )
    }

    /// ȳ − θ x̄.
    public var mean: Double {
        post.mean - theta * pre.mean
    }

    /// ȳ, the metric without adjustment.
    public var unadjustedMean: Double {
        post.mean
    }

    /// The sample covariance of y and x.
    public var covariance: Double {
        if n <= 1 { return 0 }
        let count = Double(n)
        return (sumProducts - post.sum * pre.sum / count) / (count - 1)
    }

    /// s²_y + θ² s²_x − 2θ s_xy (0 when n ≤ 1).
    public var variance: Double {
        if n <= 1 { return 0 }
        return post.variance + theta * theta * pre.variance - 2 * theta * covariance
    }

    /// The coefficient θ pooled over two arms (0 if either pooled variance is zero).
    ///
    /// - Parameters:
    ///   - baseline: One arm.
    ///   - treatment: The other arm.
    /// - Returns: cov(y, x) / var(x) over the union of both arms.
    /// - Throws: ``StatsError/Code/invalidInput`` if the arms mix binomial and continuous components.
    public static func pooledTheta(_ baseline: CUPEDStatistics, _ treatment: CUPEDStatistics) throws(StatsError)
        -> Double
    {
        let n = baseline.n + treatment.n
        let post = try baseline.post.pooled(with: treatment.post, n: n)
        let pre = try baseline.pre.pooled(with: treatment.pre, n: n)
        if pre.variance == 0 || post.variance == 0 { return 0 }
        let joint = CUPEDStatistics(
            n: n, post: post, pre: pre, sumProducts: baseline.sumProducts + treatment.sumProducts)
        return joint.covariance / pre.variance
    }

    /// Sets the pooled θ on both arms.
    ///
    /// - Parameters:
    ///   - baseline: The control variant.
    ///   - treatment: The variant compared with it.
    /// - Returns: Both arms with the same pooled θ.
    /// - Throws: ``StatsError/Code/invalidInput`` if the arms mix binomial and continuous components.
    public static func prepared(baseline: CUPEDStatistics, treatment: CUPEDStatistics) throws(StatsError)
        -> (baseline: CUPEDStatistics, treatment: CUPEDStatistics)
    {
        let theta = try pooledTheta(baseline, treatment)
        var baseline = baseline
        var treatment = treatment
        baseline.theta = theta
        treatment.theta = theta
        return (baseline, treatment)
    }
}
