/// Settings shared by the experiment tests.
public struct TestConfiguration: Sendable, Hashable {
    /// Whether lifts are reported relative to the baseline or as absolute differences.
    public enum Difference: Sendable, Hashable {
        /// (treatment − baseline) / baseline.
        case relative
        /// treatment − baseline.
        case absolute
    }

    /// The prior on the lift for Bayesian tests, expressed on the relative scale (as gbstats'
    /// `prior_type = "relative"`); it is rescaled by the baseline mean for absolute differences.
    public enum Prior: Sendable, Hashable {
        /// The improper flat prior: the posterior is the normal likelihood of the lift.
        case flat
        /// A proper normal prior N(mean, standardDeviation²) on the relative lift.
        case gaussian(mean: Double, standardDeviation: Double)
    }

    /// The significance level: intervals have coverage 1 − alpha. Must be in (0, 1).
    public var alpha: Double
    /// Relative or absolute lift.
    public var difference: Difference
    /// The tuning parameter of sequential (always-valid) tests, the sample size at which intervals are tightest.
    public var sequentialTuning: Double
    /// The prior of Bayesian tests.
    public var prior: Prior
    /// Whether a decrease of the metric is the desired outcome (gbstats' `inverse`): flips the chance to win and
    /// swaps the risks.
    public var lowerIsBetter: Bool

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - alpha: The significance level, default 0.05.
    ///   - difference: Relative (default) or absolute lift.
    ///   - sequentialTuning: The sequential tuning parameter, default 5000 as in gbstats.
    ///   - prior: The Bayesian prior, default flat.
    ///   - lowerIsBetter: Whether a decrease is good, default false.
    public init(
        alpha: Double = 0.05,
        difference: Difference = .relative,
        sequentialTuning: Double = 5000,
        prior: Prior = .flat,
        lowerIsBetter: Bool = false
    ) {
        self.alpha = alpha
        self.difference = difference
        self.sequentialTuning = sequentialTuning
        self.prior = prior
        self.lowerIsBetter = lowerIsBetter
    }

    func validatedAlpha() throws(StatsError) -> Double {
        guard alpha > 0, alpha < 1 else {
            throw StatsError(.invalidInput, "alpha must be in (0, 1), got \(alpha).")
        }
        return alpha
    }
}
