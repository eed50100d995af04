/// The sample-ratio-mismatch check: does the traffic split match the configured weights?
///
/// Pearson's chi-square statistic Σ (o − e)² / e over variants with positive weight, where
/// e = weight / Σ weights × Σ observed, against a chi-square distribution with (variants − 1) degrees of freedom,
/// as gbstats' `check_srm`.
public enum SampleRatioMismatch {
    /// The p-value of the observed split under the expected weights.
    ///
    /// A small p-value (gbstats warns below 0.001) means assignment or tracking is probably broken.
    ///
    /// - Parameters:
    ///   - observed: Units per variant.
    ///   - expectedWeights: The configured traffic weights, one per variant, in any scale; variants with a
    ///     weight of zero or less are left out of the statistic (but still count toward the degrees of freedom,
    ///     as in gbstats).
    /// - Returns: The chi-square p-value; 1 when no units were observed.
    /// - Throws: ``StatsError/Code/invalidInput`` for fewer than two variants, mismatched lengths, negative
    ///   counts, non-finite weights or no positive weight.
    public static func pValue(observed: [Int], expectedWeights: [Double]) throws(StatsError) -> Double {
        guard observed.count == expectedWeights.count else {
            throw StatsError(
                .invalidInput,
                "Got \(observed.count) observed counts but \(expectedWeights.count) weights.")
        }
        guard observed.count >= 2 else {
            throw StatsError(.invalidInput, "A sample ratio check needs at least two variants.")
        }
        guard observed.allSatisfy({ $0 >= 0 }) else {
            throw StatsError(.invalidInput, "Observed counts must not be negative.")
        }
        guard expectedWeights.allSatisfy(\.isFinite), expectedWeights.contains(where: { $0 > 0 }) else {
            throw StatsError(.invalidInput, "Weights must be finite and at least one must be positive.")
        }
        let totalObserved = Double(observed.reduce(0, +))
        if totalObserved == 0 { return 1 }
        let totalWeight = expectedWeights.reduce(0, +)
        var statistic = 0.0
        for (count, weight) in zip(observed, expectedWeights) where weight > 0 {
            let expected = weight / totalWeight * totalObserved
            let deviation = Double(count) - expected
            statistic += deviation * deviation / expected
        }
        return ChiSquareDistribution(degreesOfFreedom: Double(observed.count - 1)).survival(statistic)
    }
}
