/// The two-sided Welch t-test of gbstats' `TwoSidedTTest`, for absolute or relative lifts.
///
/// The lift's variance comes from the delta method, the degrees of freedom from Welch–Satterthwaite, and the
/// p-value and interval from Student's t.
public enum WelchTTest {
    /// Compares a treatment with the baseline.
    ///
    /// - Parameters:
    ///   - baseline: The control variant's statistics.
    ///   - treatment: The treatment variant's statistics.
    ///   - configuration: alpha and relative/absolute lift (other settings are ignored).
    /// - Returns: The lift with its standard error, confidence interval, p-value and degrees of freedom.
    /// - Throws: ``StatsError`` for a zero baseline mean (gbstats refuses it even for absolute lifts), fewer
    ///   than two units, zero variance, non-finite input or alpha outside (0, 1).
    public static func compare<S: SampleStatistics>(
        baseline: S,
        treatment: S,
        configuration: TestConfiguration = TestConfiguration()
    ) throws(StatsError) -> FrequentistResult {
        let alpha = try configuration.validatedAlpha()
        let comparison = try Comparison(baseline: baseline, treatment: treatment)
        try comparison.checkFrequentist()
        let relative = configuration.difference == .relative
        let lift = comparison.pointEstimate(relative: relative)
        let standardError = comparison.variance(relative: relative).squareRoot()
        let degreesOfFreedom = comparison.degreesOfFreedom
        try requireFinite(lift, standardError, degreesOfFreedom)
        let distribution = StudentTDistribution(degreesOfFreedom: degreesOfFreedom)
        let pValue = distribution.twoSidedTail(lift / standardError)
        let width = distribution.quantile(1 - alpha / 2) * standardError
        try requireFinite(pValue, width)
        return FrequentistResult(
            lift: lift,
            standardError: standardError,
            ciLow: lift - width,
            ciHigh: lift + width,
            pValue: pValue,
            degreesOfFreedom: degreesOfFreedom
        )
    }
}
