import StrataStats
import Testing

/// The worked example of issue 6: a 5% relative lift on a mean metric, checked against gbstats 0.8.0.
@Suite("Worked example from the issue")
struct WorkedExampleTests {
    let control = MeanStatistics(n: 5000, sum: 10_000, sumSquares: 45_000)
    let treatment = MeanStatistics(n: 5050, sum: 10_605, sumSquares: 48_500)

    @Test("Welch t-test gives the relative lift, p-value and interval of gbstats")
    func relativeWelch() throws {
        let result = try WelchTTest.compare(baseline: control, treatment: treatment)
        #expect(isClose(result.lift, 0.05, relative: 1e-12))
        #expect(isClose(result.pValue, 0.0303324, relative: 2e-6))
        #expect(isClose(result.ciLow, 0.0047513, relative: 2e-5))
        #expect(isClose(result.ciHigh, 0.0952487, relative: 2e-6))
        #expect(isClose(result.pValue, 0.03033238719904152, relative: 1e-9))
        #expect(isClose(result.ciLow, 0.00475130250296428, relative: 1e-9))
        #expect(isClose(result.ciHigh, 0.09524869749703581, relative: 1e-9))
    }

    @Test("Absolute lift has gbstats' p-value")
    func absoluteWelch() throws {
        let configuration = TestConfiguration(difference: .absolute)
        let result = try WelchTTest.compare(baseline: control, treatment: treatment, configuration: configuration)
        #expect(isClose(result.lift, 0.1, relative: 1e-12))
        #expect(isClose(result.pValue, 0.0264356, relative: 2e-6))
        #expect(isClose(result.pValue, 0.026435601691879196, relative: 1e-9))
    }

    @Test("Bayesian chance to win under the flat prior")
    func bayesian() throws {
        let result = try BayesianTest.compare(baseline: control, treatment: treatment)
        #expect(isClose(result.chanceToWin, 0.984846, relative: 1e-6))
        #expect(isClose(result.chanceToWin, 0.9848455274398185, relative: 1e-9))
        #expect(isClose(result.risk.control, 0.0501241973968558, relative: 1e-9))
        #expect(isClose(result.risk.treatment, 0.00012419739685575807, relative: 1e-9))
    }

    @Test("Sequential interval with tuning 5000")
    func sequential() throws {
        let result = try SequentialTest.compare(baseline: control, treatment: treatment)
        #expect(isClose(result.ciLow, -0.0206786, relative: 1e-5))
        #expect(isClose(result.ciHigh, 0.1206786, relative: 1e-6))
        #expect(isClose(result.pValue, 0.4528138084987704, relative: 1e-9))
    }

    @Test("Sample ratio mismatch p-value for a 50/50 split")
    func sampleRatioMismatch() throws {
        let p = try SampleRatioMismatch.pValue(observed: [5000, 5050], expectedWeights: [0.5, 0.5])
        #expect(isClose(p, 0.617952, relative: 1e-6))
        #expect(isClose(p, 0.6179522266795625, relative: 1e-9))
    }
}
