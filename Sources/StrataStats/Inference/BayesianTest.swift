/// The Bayesian test of gbstats' `EffectBayesianABTest`: a normal posterior for the lift.
///
/// The likelihood of the lift is normal with the delta-method mean and variance (as in ``WelchTTest``). Under
/// the flat prior the posterior is that likelihood; under a proper prior N(μ₀, σ₀²) it is normal with precision
/// 1/V + 1/σ₀² and mean (d/V + μ₀/σ₀²) / precision. The chance to win is P(lift > 0); the risks are the expected
/// losses E[max(lift, 0)] of keeping the control and E[max(−lift, 0)] of shipping the treatment, computed in
/// closed form (σ (φ(z) ∓ z Q(±z)) with z = mean / sd) instead of gbstats' truncated-normal means, which agrees
/// to rounding and keeps small risks accurate.
public enum BayesianTest {
    /// Compares a treatment with the baseline.
    ///
    /// - Parameters:
    ///   - baseline: The control variant's statistics.
    ///   - treatment: The treatment variant's statistics.
    ///   - configuration: alpha (for the credible interval), relative/absolute lift, prior, lower-is-better.
    /// - Returns: The posterior mean and deviation, chance to win, risks and credible interval.
    /// - Throws: ``StatsError`` for a zero baseline mean (relative lifts only), an empty variant, fewer than two
    ///   units, zero variance, a proper prior with non-positive deviation, non-finite input or bad alpha.
    public static func compare<S: SampleStatistics>(
        baseline: S,
        treatment: S,
        configuration: TestConfiguration = TestConfiguration()
    ) throws(StatsError) -> BayesianResult {
        let alpha = try configuration.validatedAlpha()
        let comparison = try Comparison(baseline: baseline, treatment: treatment)
        let relative = configuration.difference == .relative
        try comparison.checkBayesian(relative: relative)
        let dataMean = comparison.pointEstimate(relative: relative)
        let dataVariance = comparison.variance(relative: relative)

        var mean = dataMean
        var precision = 1 / dataVariance
        if case .gaussian(let priorMean, let priorDeviation) = configuration.prior {
            // The prior is on the relative scale; rescale it by the baseline mean for absolute lifts.
            let scale = relative ? 1 : abs(comparison.baselineUnadjustedMean)
            let priorVariance = priorDeviation * priorDeviation * scale * scale
            guard priorVariance > 0, priorVariance.isFinite, priorMean.isFinite else {
                throw StatsError(.invalidInput, "A proper prior needs a finite mean and a positive deviation.")
            }
            precision += 1 / priorVariance
            mean = (dataMean / dataVariance + priorMean * scale / priorVariance) / precision
        }
        let deviation = (1 / precision).squareRoot()
        try requireFinite(mean, deviation)

        let z = mean / deviation
        var chanceToWin = NormalDistribution.cdf(z)
        var risk = BayesianResult.Risk(
            control: deviation * expectedShortfall(-z),
            treatment: deviation * expectedShortfall(z)
        )
        if configuration.lowerIsBetter {
            chanceToWin = NormalDistribution.cdf(-z)
            risk = BayesianResult.Risk(control: risk.treatment, treatment: risk.control)
        }
        let zInterval = NormalDistribution.quantile(1 - alpha / 2)
        return BayesianResult(
            expected: mean,
            standardDeviation: deviation,
            chanceToWin: chanceToWin,
            risk: risk,
            ciLow: mean - zInterval * deviation,
            ciHigh: mean + zInterval * deviation
        )
    }

    /// g(w) = E[max(Z − w, 0)] = φ(w) − w Q(w) for a standard normal Z.
    ///
    /// For w ≥ 2 the difference cancels, so it is computed from Laplace's continued fraction for the Mills
    /// ratio: Q/φ = 1 / (w + T) with T = 1 / (w + 2 / (w + 3 / ...)), hence g = φ T / (w + T).
    static func expectedShortfall(_ w: Double) -> Double {
        if w < 2 {
            return NormalDistribution.density(w) - w * NormalDistribution.survival(w)
        }
        var tail = 0.0
        for k in stride(from: 300, through: 2, by: -1) {
            tail = Double(k) / (w + tail)
        }
        let t = 1 / (w + tail)
        return NormalDistribution.density(w) * t / (w + t)
    }
}
