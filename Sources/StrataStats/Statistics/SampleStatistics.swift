/// Per-variant sufficient statistics that the experiment tests can compare.
///
/// A conforming type reduces its sums to the quantities gbstats uses: the unit count `n`, a point estimate
/// `mean` (regression-adjusted for CUPED), the `unadjustedMean` used as the delta-method denominator, and a
/// per-unit `variance` (the variance of the estimate is `variance / n`).
public protocol SampleStatistics: Sendable {
    /// The number of units (for quantile metrics, the number of events).
    var n: Int { get }
    /// The point estimate of the metric for this variant.
    var mean: Double { get }
    /// The metric without any regression adjustment; equals ``mean`` except for CUPED.
    var unadjustedMean: Double { get }
    /// The per-unit variance; zero when it cannot be estimated.
    var variance: Double { get }
    /// Whether the variance is zero, negative or otherwise unusable for a test.
    var hasZeroVariance: Bool { get }

    /// Prepares a baseline/treatment pair for comparison.
    ///
    /// Most statistics return the pair unchanged; CUPED statistics set the pooled regression coefficient θ.
    ///
    /// - Parameters:
    ///   - baseline: The control variant.
    ///   - treatment: The variant compared with it.
    /// - Returns: The pair to test.
    /// - Throws: ``StatsError`` with ``StatsError/Code/invalidInput`` when the two cannot be compared.
    static func prepared(baseline: Self, treatment: Self) throws(StatsError) -> (baseline: Self, treatment: Self)
}

extension SampleStatistics {
    /// The mean itself, for statistics without regression adjustment.
    public var unadjustedMean: Double { mean }

    /// True when the variance is not strictly positive (including NaN).
    public var hasZeroVariance: Bool { !(variance > 0) }

    /// The pair unchanged: only CUPED needs pair-wide preparation.
    ///
    /// - Parameters:
    ///   - baseline: The control variant.
    ///   - treatment: The variant compared with it.
    /// - Returns: `(baseline, treatment)`.
    public static func prepared(baseline: Self, treatment: Self) throws(StatsError) -> (baseline: Self, treatment: Self)
    {
        (baseline, treatment)
    }
}
