/// The two arms of a comparison reduced to what the tests need: counts, means and per-unit variances, with the
/// delta-method lift and variance and the Welch–Satterthwaite degrees of freedom (gbstats `frequentist_diff`,
/// `frequentist_variance` and `TTest.dof`).
struct Comparison: Sendable {
    let baselineN: Double
    let treatmentN: Double
    let baselineMean: Double
    let treatmentMean: Double
    let baselineUnadjustedMean: Double
    let treatmentUnadjustedMean: Double
    let baselineVariance: Double
    let treatmentVariance: Double
    let hasZeroVariance: Bool
    let smallestN: Int

    init<S: SampleStatistics>(baseline: S, treatment: S) throws(StatsError) {
        guard baseline.n >= 0, treatment.n >= 0 else {
            throw StatsError(.invalidInput, "Unit counts must not be negative.")
        }
        let (a, b) = try S.prepared(baseline: baseline, treatment: treatment)
        baselineN = Double(a.n)
        treatmentN = Double(b.n)
        baselineMean = a.mean
        treatmentMean = b.mean
        baselineUnadjustedMean = a.unadjustedMean
        treatmentUnadjustedMean = b.unadjustedMean
        baselineVariance = a.variance
        treatmentVariance = b.variance
        hasZeroVariance = a.hasZeroVariance || b.hasZeroVariance
        smallestN = min(a.n, b.n)
        let values = [
            baselineMean, treatmentMean, baselineUnadjustedMean, treatmentUnadjustedMean, baselineVariance,
            treatmentVariance,
        ]
        guard values.allSatisfy(\.isFinite) else {
            throw StatsError(.invalidInput, "Sufficient statistics must be finite.")
        }
    }

    /// The lift of the treatment over the baseline.
    func pointEstimate(relative: Bool) -> Double {
        guard relative else { return treatmentMean - baselineMean }
        let denominator = baselineUnadjustedMean == 0 ? baselineMean : baselineUnadjustedMean
        return (treatmentMean - baselineMean) / denominator
    }

    /// The delta-method variance of the lift.
    func variance(relative: Bool) -> Double {
        guard relative else {
            return treatmentVariance / treatmentN + baselineVariance / baselineN
        }
        let m = baselineUnadjustedMean
        let m2 = m * m
        return treatmentVariance / (m2 * treatmentN)
            + baselineVariance * (treatmentUnadjustedMean * treatmentUnadjustedMean) / (m2 * m2 * baselineN)
    }

    /// Welch–Satterthwaite degrees of freedom of the difference.
    var degreesOfFreedom: Double {
        let a = baselineVariance / baselineN
        let b = treatmentVariance / treatmentN
        let numerator = (a + b) * (a + b)
        let denominator =
            treatmentVariance * treatmentVariance / (treatmentN * treatmentN * (treatmentN - 1))
            + baselineVariance * baselineVariance / (baselineN * baselineN * (baselineN - 1))
        return numerator / denominator
    }

    /// The frequentist checks of gbstats, in its order: zero baseline mean, then variance.
    func checkFrequentist() throws(StatsError) {
        if baselineMean == 0 || baselineUnadjustedMean == 0 {
            throw StatsError(.zeroBaselineMean, "The baseline mean is zero; the lift is undefined.")
        }
        try checkSampleAndVariance()
    }

    /// The Bayesian checks of gbstats, in its order: zero baseline mean (relative only), empty arm, variance.
    func checkBayesian(relative: Bool) throws(StatsError) {
        if relative && (baselineMean == 0 || baselineUnadjustedMean == 0) {
            throw StatsError(.zeroBaselineMean, "The baseline mean is zero; the relative lift is undefined.")
        }
        if baselineN == 0 || treatmentN == 0 {
            throw StatsError(.emptyVariant, "A variant has no units.")
        }
        try checkSampleAndVariance()
    }

    private func checkSampleAndVariance() throws(StatsError) {
        if smallestN < 2 {
            throw StatsError(.insufficientSample, "Each variant needs at least two units to estimate a variance.")
        }
        if hasZeroVariance {
            throw StatsError(.zeroVariance, "A variant has zero variance; the test is undefined.")
        }
    }
}

/// Throws unless every value is finite, so that no NaN or infinity leaks into a result.
func requireFinite(_ values: Double...) throws(StatsError) {
    guard values.allSatisfy(\.isFinite) else {
        throw StatsError(.invalidInput, "The statistics are too extreme to give a finite result.")
    }
}
