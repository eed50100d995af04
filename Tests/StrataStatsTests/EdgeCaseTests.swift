import StrataStats
import Testing

/// Degenerate input gives a `StatsError` with a clear code, never NaN and never a trap.
@Suite("Edge cases give clear errors")
struct EdgeCaseTests {
    let control = MeanStatistics(n: 5000, sum: 10_000, sumSquares: 45_000)
    let treatment = MeanStatistics(n: 5050, sum: 10_605, sumSquares: 48_500)

    @Test("A zero baseline mean is refused for relative lifts")
    func zeroBaseline() {
        let zero = MeanStatistics(n: 1000, sum: 0, sumSquares: 500)
        #expect(throws: StatsError.Code.zeroBaselineMean) {
            try code { () throws(StatsError) in _ = try WelchTTest.compare(baseline: zero, treatment: treatment) }
        }
        #expect(throws: StatsError.Code.zeroBaselineMean) {
            try code { () throws(StatsError) in _ = try BayesianTest.compare(baseline: zero, treatment: treatment) }
        }
    }

    @Test("A Bayesian absolute lift over a zero baseline works with the flat prior, unlike gbstats 0.8.0")
    func zeroBaselineAbsoluteBayesian() throws {
        let zero = MeanStatistics(n: 1000, sum: 0, sumSquares: 500)
        let flat = TestConfiguration(difference: .absolute)
        let result = try BayesianTest.compare(baseline: zero, treatment: treatment, configuration: flat)
        #expect(isClose(result.expected, treatment.mean, relative: 1e-12))
        let proper = TestConfiguration(difference: .absolute, prior: .gaussian(mean: 0, standardDeviation: 0.1))
        #expect(throws: StatsError.Code.invalidInput) {
            try code { () throws(StatsError) in
                _ = try BayesianTest.compare(baseline: zero, treatment: treatment, configuration: proper)
            }
        }
    }

    @Test("Fewer than two units is an insufficient sample, no units an empty variant")
    func smallSamples() {
        let one = MeanStatistics(n: 1, sum: 3, sumSquares: 9)
        let none = MeanStatistics(n: 0, sum: 0, sumSquares: 0)
        #expect(throws: StatsError.Code.insufficientSample) {
            try code { () throws(StatsError) in _ = try WelchTTest.compare(baseline: control, treatment: one) }
        }
        #expect(throws: StatsError.Code.insufficientSample) {
            try code { () throws(StatsError) in _ = try SequentialTest.compare(baseline: control, treatment: one) }
        }
        #expect(throws: StatsError.Code.emptyVariant) {
            try code { () throws(StatsError) in _ = try BayesianTest.compare(baseline: control, treatment: none) }
        }
        #expect(throws: StatsError.Code.zeroBaselineMean) {
            try code { () throws(StatsError) in _ = try WelchTTest.compare(baseline: none, treatment: control) }
        }
    }

    @Test("Constant values have zero variance")
    func zeroVariance() {
        let constant = MeanStatistics(n: 1000, sum: 2000, sumSquares: 4000)
        let noConversions = MeanStatistics.binomial(n: 1000, successes: 0)
        let conversions = MeanStatistics.binomial(n: 1000, successes: 100)
        #expect(throws: StatsError.Code.zeroVariance) {
            try code { () throws(StatsError) in _ = try WelchTTest.compare(baseline: control, treatment: constant) }
        }
        #expect(throws: StatsError.Code.zeroVariance) {
            try code { () throws(StatsError) in
                _ = try BayesianTest.compare(baseline: conversions, treatment: noConversions)
            }
        }
    }

    @Test("Non-finite sums, negative counts and bad settings are invalid input")
    func invalidInput() {
        let nan = MeanStatistics(n: 100, sum: .nan, sumSquares: 5)
        let negative = MeanStatistics(n: -3, sum: 1, sumSquares: 1)
        #expect(throws: StatsError.Code.invalidInput) {
            try code { () throws(StatsError) in _ = try WelchTTest.compare(baseline: control, treatment: nan) }
        }
        #expect(throws: StatsError.Code.invalidInput) {
            try code { () throws(StatsError) in _ = try BayesianTest.compare(baseline: negative, treatment: control) }
        }
        for alpha in [0.0, 1.0, -0.1, Double.nan] {
            #expect(throws: StatsError.Code.invalidInput) {
                try code { () throws(StatsError) in
                    _ = try WelchTTest.compare(
                        baseline: control, treatment: treatment, configuration: TestConfiguration(alpha: alpha))
                }
            }
        }
        #expect(throws: StatsError.Code.invalidInput) {
            try code { () throws(StatsError) in
                _ = try SequentialTest.compare(
                    baseline: control, treatment: treatment, configuration: TestConfiguration(sequentialTuning: 0))
            }
        }
    }

    @Test("CUPED refuses to pool binomial with continuous components")
    func cupedMixedKinds() {
        let binomial = CUPEDStatistics(
            n: 100, post: .binomial(n: 100, successes: 10), pre: .binomial(n: 100, successes: 12), sumProducts: 5)
        let continuous = CUPEDStatistics(
            n: 100, sum: 10, sumSquares: 30, covariateSum: 12, covariateSumSquares: 40, sumProducts: 8)
        #expect(throws: StatsError.Code.invalidInput) {
            try code { () throws(StatsError) in _ = try WelchTTest.compare(baseline: binomial, treatment: continuous) }
        }
    }

    @Test("Sample ratio checks validate their arguments")
    func sampleRatioMismatch() throws {
        for (observed, weights) in [
            ([10], [1.0]), ([10, 20], [1.0]), ([10, -1], [1.0, 1.0]), ([10, 20], [0.0, 0.0]),
        ] {
            #expect(throws: StatsError.Code.invalidInput) {
                try code { () throws(StatsError) in
                    _ = try SampleRatioMismatch.pValue(observed: observed, expectedWeights: weights)
                }
            }
        }
        #expect(try SampleRatioMismatch.pValue(observed: [0, 0, 0], expectedWeights: [1, 1, 1]) == 1)
    }

    @Test("Corrections validate p-values and accept an empty family")
    func corrections() throws {
        #expect(try MultipleComparisons.holm([]) == [])
        #expect(try MultipleComparisons.benjaminiHochberg([]) == [])
        for bad in [[0.5, 1.5], [-0.1], [Double.nan]] {
            #expect(throws: StatsError.Code.invalidInput) {
                try code { () throws(StatsError) in _ = try MultipleComparisons.holm(bad) }
            }
            #expect(throws: StatsError.Code.invalidInput) {
                try code { () throws(StatsError) in _ = try MultipleComparisons.benjaminiHochberg(bad) }
            }
        }
    }

    @Test("Arbitrary sums give finite results or an error, never NaN")
    func neverNaN() {
        var generator = SplitMix64(seed: 6)
        for _ in 0..<2000 {
            let a = randomStatistics(&generator)
            let b = randomStatistics(&generator)
            let configuration = TestConfiguration(
                alpha: [0.01, 0.05, 0.2].randomElement(using: &generator)!,
                difference: Bool.random(using: &generator) ? .relative : .absolute,
                prior: Bool.random(using: &generator) ? .flat : .gaussian(mean: 0, standardDeviation: 0.1),
                lowerIsBetter: Bool.random(using: &generator)
            )
            if let r = try? WelchTTest.compare(baseline: a, treatment: b, configuration: configuration) {
                #expect(allFinite([r.lift, r.standardError, r.ciLow, r.ciHigh, r.pValue, r.degreesOfFreedom]))
                #expect(r.pValue >= 0 && r.pValue <= 1)
            }
            if let r = try? SequentialTest.compare(baseline: a, treatment: b, configuration: configuration) {
                #expect(allFinite([r.lift, r.ciLow, r.ciHigh, r.pValue]))
            }
            if let r = try? BayesianTest.compare(baseline: a, treatment: b, configuration: configuration) {
                let values = [r.expected, r.standardDeviation, r.chanceToWin, r.risk.control, r.risk.treatment]
                #expect(allFinite(values + [r.ciLow, r.ciHigh]))
                #expect(r.chanceToWin >= 0 && r.chanceToWin <= 1)
                #expect(r.risk.control >= 0 && r.risk.treatment >= 0)
            }
        }
    }

    private func randomStatistics(_ generator: inout SplitMix64) -> MeanStatistics {
        let n = [0, 1, 2, 3, 50, 10_000, 5_000_000].randomElement(using: &generator)!
        let mean = [0.0, -3, 1e-9, 0.5, 2, 1e6].randomElement(using: &generator)!
        let spread = [0.0, 1e-6, 1, 100, 1e8].randomElement(using: &generator)!
        let sum = mean * Double(n)
        let sumSquares = Double(n) * (mean * mean + spread)
        if Bool.random(using: &generator), n > 0 {
            return .binomial(n: n, successes: Double(Int.random(in: 0...n, using: &generator)))
        }
        return MeanStatistics(n: n, sum: sum, sumSquares: sumSquares)
    }
}

func allFinite(_ values: [Double]) -> Bool {
    values.allSatisfy { $0.isFinite }
}

/// Runs `body` and rethrows only the error's code, so `#expect(throws:)` can compare codes.
func code(_ body: () throws(StatsError) -> Void) throws(StatsError.Code) {
    do {
        try body()
    } catch {
        throw error.code
    }
}

extension StatsError.Code: Error {}

/// A small deterministic generator so the randomized test replays identically.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
