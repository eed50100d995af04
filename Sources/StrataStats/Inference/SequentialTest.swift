#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Always-valid (sequential) intervals and p-values, as gbstats' `SequentialTwoSidedTTest`.
///
/// The test is the normal mixture sequential probability ratio test of Waudby-Smith et al. (2023,
/// arXiv:2103.06476v7). With N = n_baseline + n_treatment, lift variance V and tuning parameter τ:
/// ρ² = (−2 log α + log(1 − 2 log α)) / τ (eq. 161), the interval half-width is
/// √(N V) √(2 (Nρ² + 1) log(√(Nρ² + 1) / α) / (Nρ)²) (eq. 9), and the p-value is the reciprocal of the e-value
/// exp(ρ² S / (2 (Nρ² + 1))) / √(Nρ² + 1) with S = lift² N / V (eq. 155), capped at 1.
public enum SequentialTest {
    /// Compares a treatment with the baseline with always-valid inference.
    ///
    /// - Parameters:
    ///   - baseline: The control variant's statistics.
    ///   - treatment: The treatment variant's statistics.
    ///   - configuration: alpha, relative/absolute lift and the sequential tuning parameter (default 5000).
    /// - Returns: The lift with its always-valid interval and p-value; the degrees of freedom are Welch's, for
    ///   reference only.
    /// - Throws: ``StatsError`` as ``WelchTTest/compare(baseline:treatment:configuration:)``, and
    ///   ``StatsError/Code/invalidInput`` for a tuning parameter that is not positive.
    public static func compare<S: SampleStatistics>(
        baseline: S,
        treatment: S,
        configuration: TestConfiguration = TestConfiguration()
    ) throws(StatsError) -> FrequentistResult {
        let alpha = try configuration.validatedAlpha()
        let tuning = configuration.sequentialTuning
        guard tuning > 0, tuning.isFinite else {
            throw StatsError(.invalidInput, "The sequential tuning parameter must be positive, got \(tuning).")
        }
        let comparison = try Comparison(baseline: baseline, treatment: treatment)
        try comparison.checkFrequentist()
        let relative = configuration.difference == .relative
        let lift = comparison.pointEstimate(relative: relative)
        let variance = comparison.variance(relative: relative)
        let total = comparison.baselineN + comparison.treatmentN
        let rho2 = (-2 * log(alpha) + log(-2 * log(alpha) + 1)) / tuning
        let mixture = total * rho2 + 1
        let width =
            (variance * total).squareRoot()
            * (2 * mixture * log(mixture.squareRoot() / alpha) / (total * total * rho2)).squareRoot()
        let statistic = lift * lift * total / variance
        let pValue = min(1, mixture.squareRoot() * exp(-rho2 * statistic / (2 * mixture)))
        let degreesOfFreedom = comparison.degreesOfFreedom
        try requireFinite(lift, variance, width, pValue, degreesOfFreedom)
        return FrequentistResult(
            lift: lift,
            standardError: variance.squareRoot(),
            ciLow: lift - width,
            ciHigh: lift + width,
            pValue: pValue,
            degreesOfFreedom: degreesOfFreedom
        )
    }
}
