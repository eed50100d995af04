/// Sufficient statistics of a ratio metric Σy / Σz (for example revenue per session), with the variance from
/// the delta method as in gbstats' `RatioStatistic`.
///
/// With means ȳ, z̄, variances s²_y, s²_z and covariance s_yz (n − 1 denominators), the per-unit variance of
/// the ratio is s²_y / z̄² − 2 s_yz ȳ / z̄³ + ȳ² s²_z / z̄⁴.
public struct RatioStatistics: SampleStatistics, Hashable {
    /// The number of units.
    public var n: Int
    /// The numerator's statistics (y).
    public var numerator: MeanStatistics
    /// The denominator's statistics (z).
    public var denominator: MeanStatistics
    /// Σ y·z over units.
    public var sumProducts: Double

    /// Creates ratio statistics from component statistics.
    ///
    /// - Parameters:
    ///   - n: The number of units.
    ///   - numerator: Statistics of y (continuous or binomial).
    ///   - denominator: Statistics of z (continuous or binomial).
    ///   - sumProducts: Σ y·z.
    public init(n: Int, numerator: MeanStatistics, denominator: MeanStatistics, sumProducts: Double) {
        self.n = n
        self.numerator = numerator
        self.denominator = denominator
        self.sumProducts = sumProducts
    }

    /// Creates ratio statistics of two continuous metrics.
    ///
    /// - Parameters:
    ///   - n: The number of units.
    ///   - numeratorSum: Σy.
    ///   - numeratorSumSquares: Σy².
    ///   - denominatorSum: Σz.
    ///   - denominatorSumSquares: Σz².
    ///   - sumProducts: Σ y·z.
    public init(
        n: Int,
        numeratorSum: Double,
        numeratorSumSquares: Double,
        denominatorSum: Double,
        denominatorSumSquares: Double,
        sumProducts: Double
    ) {
        self.init(
            n: n,
            numerator: MeanStatistics(n: n, sum: numeratorSum, sumSquares: numeratorSumSquares),
            denominator: MeanStatistics(n: n, sum: denominatorSum, sumSquares: denominatorSumSquares),
            sumProducts: sumProducts
        )
    }

    /// Σy / Σz, or 0 when Σz = 0.
    public var mean: Double {
        denominator.sum == 0 ? 0 : numerator.sum / denominator.sum
    }

    /// The sample covariance of y and z.
    public var covariance: Double {
        if n <= 1 { return 0 }
        let count = Double(n)
        return (sumProducts - numerator.sum * denominator.sum / count) / (count - 1)
    }

    /// The delta-method per-unit variance of the ratio (0 when z̄ = 0 or n ≤ 1).
    public var variance: Double {
        let meanZ = denominator.mean
        if meanZ == 0 || n <= 1 { return 0 }
        let meanY = numerator.mean
        return numerator.variance / (meanZ * meanZ)
            - 2 * covariance * meanY / (meanZ * meanZ * meanZ)
            + meanY * meanY * denominator.variance / (meanZ * meanZ * meanZ * meanZ)
    }
}
