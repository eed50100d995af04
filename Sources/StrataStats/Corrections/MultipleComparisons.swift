/// Adjusted p-values for testing several variants or metrics at once.
///
/// gbstats 0.8.0 itself has no corrections (GrowthBook applies them outside the engine); the definitions are the
/// standard ones, identical to statsmodels' `multipletests` methods `holm` and `fdr_bh`.
public enum MultipleComparisons {
    /// Holm–Bonferroni step-down adjusted p-values, controlling the family-wise error rate.
    ///
    /// With the p-values sorted ascending, p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎).
    ///
    /// - Parameter pValues: The raw p-values, each in [0, 1].
    /// - Returns: The adjusted p-values, in the input order.
    /// - Throws: ``StatsError/Code/invalidInput`` if a p-value is outside [0, 1] or NaN.
    /// - Complexity: O(m log m).
    public static func holm(_ pValues: [Double]) throws(StatsError) -> [Double] {
        try validate(pValues)
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Benjamini–Hochberg step-up adjusted p-values (q-values), controlling the false discovery rate.
    ///
    /// With the p-values sorted ascending, p̃₍ᵢ₎ = min_{j ≥ i} min(1, m p₍ⱼ₎ / j).
    ///
    /// - Parameter pValues: The raw p-values, each in [0, 1].
    /// - Returns: The adjusted p-values, in the input order.
    /// - Throws: ``StatsError/Code/invalidInput`` if a p-value is outside [0, 1] or NaN.
    /// - Complexity: O(m log m).
    public static func benjaminiHochberg(_ pValues: [Double]) throws(StatsError) -> [Double] {
        try validate(pValues)
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 1.0
        for rank in stride(from: m - 1, through: 0, by: -1) {
            let index = order[rank]
            running = min(running, Double(m) * pValues[index] / Double(rank + 1))
            adjusted[index] = running
        }
        return adjusted
    }

    private static func validate(_ pValues: [Double]) throws(StatsError) {
        guard pValues.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw StatsError(.invalidInput, "p-values must lie in [0, 1].")
        }
    }
}
