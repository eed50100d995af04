/// Sufficient statistics of a per-unit metric: n, Σy and Σy².
///
/// Two flavours follow gbstats: a continuous metric uses the unbiased sample variance
/// (Σy² − (Σy)²/n) / (n − 1) (`SampleMeanStatistic`); a binomial metric (0/1 per unit, so Σy² = Σy) uses
/// p(1 − p) with p = Σy / n (`ProportionStatistic`).
public struct MeanStatistics: SampleStatistics, Hashable {
    /// How the variance is estimated.
    public enum Kind: Sendable, Hashable {
        /// Unbiased sample variance from Σy and Σy².
        case continuous
        /// Binomial variance p(1 − p).
        case binomial
    }

    /// The number of units.
    public var n: Int
    /// Σy over units.
    public var sum: Double
    /// Σy² over units (equal to ``sum`` for a binomial metric).
    public var sumSquares: Double
    /// The variance estimator.
    public var kind: Kind

    /// Creates statistics of a continuous metric.
    ///
    /// - Parameters:
    ///   - n: The number of units.
    ///   - sum: Σy.
    ///   - sumSquares: Σy².
    public init(n: Int, sum: Double, sumSquares: Double) {
        self.n = n
        self.sum = sum
        self.sumSquares = sumSquares
        self.kind = .continuous
    }

    /// Creates statistics of a binomial (conversion) metric.
    ///
    /// - Parameters:
    ///   - n: The number of units.
    ///   - successes: The number of units that converted (Σy of 0/1 values).
    /// - Returns: Statistics whose variance is p(1 − p).
    public static func binomial(n: Int, successes: Double) -> MeanStatistics {
        var statistics = MeanStatistics(n: n, sum: successes, sumSquares: successes)
        statistics.kind = .binomial
        return statistics
    }

    /// Σy / n, or 0 without units.
    public var mean: Double {
        n == 0 ? 0 : sum / Double(n)
    }

    /// The per-unit variance (0 when n ≤ 1 for a continuous metric).
    public var variance: Double {
        switch kind {
        case .continuous:
            if n <= 1 { return 0 }
            let count = Double(n)
            return (sumSquares - sum * sum / count) / (count - 1)
        case .binomial:
            let p = mean
            return p * (1 - p)
        }
    }

    /// The pooled statistics of two groups (used for the CUPED coefficient).
    func pooled(with other: MeanStatistics, n: Int) throws(StatsError) -> MeanStatistics {
        guard kind == other.kind else {
            throw StatsError(.invalidInput, "Cannot pool a binomial and a continuous metric across variants.")
        }
        switch kind {
        case .continuous:
            return MeanStatistics(n: n, sum: sum + other.sum, sumSquares: sumSquares + other.sumSquares)
        case .binomial:
            return .binomial(n: n, successes: sum + other.sum)
        }
    }
}
