import StrataStats
import Testing

/// The Bayesian test against gbstats 0.8.0 on every Bayesian case of the golden fixture, at 1e-9 relative
/// (with a 1e-14 absolute floor for probabilities gbstats computes as `1 − cdf`).
@Suite("Bayesian test matches gbstats")
struct GoldenBayesianTests {
    @Test("The fixture has Bayesian cases with both priors")
    func coversPriors() throws {
        let fixture = try GoldenFixture.load()
        #expect(fixture.bayesian.contains { $0.prior == nil && $0.result.error == nil })
        #expect(fixture.bayesian.contains { $0.prior != nil && $0.result.error == nil })
        #expect(fixture.bayesian.contains { $0.inverse })
    }

    @Test("Each Bayesian case matches gbstats", arguments: GoldenFixture.shared?.bayesian ?? [])
    func matches(_ golden: BayesianCase) {
        let configuration = golden.configuration
        let outcome: Result<BayesianResult, StatsError> = Result { () throws(StatsError) in
            try runPair(golden.baseline, golden.treatment) { pair throws(StatsError) in
                try pair.bayesian(configuration)
            }
        }
        switch outcome {
        case .failure(let error):
            let accepted = golden.result.error.map(acceptedCodes(forGbstatsError:)) ?? []
            #expect(accepted.contains(error.code), "\(golden.name): unexpected \(error)")
        case .success(let result):
            guard golden.result.error == nil, let ci = golden.result.ci, let risk = golden.result.risk,
                let expected = golden.result.expected, let stddev = golden.result.stddev,
                let chanceToWin = golden.result.chanceToWin
            else {
                Issue.record("\(golden.name): expected \(golden.result.error ?? "?"), got \(result)")
                return
            }
            #expect(isClose(result.expected, expected, relative: 1e-9), "expected")
            #expect(isClose(result.standardDeviation, stddev, relative: 1e-9), "standard deviation")
            #expect(isClose(result.chanceToWin, chanceToWin, relative: 1e-9), "chance to win")
            #expect(isClose(result.risk.control, risk[0], relative: 1e-9), "risk control \(result.risk.control)")
            #expect(isClose(result.risk.treatment, risk[1], relative: 1e-9), "risk treatment")
            #expect(isClose(result.ciLow, ci[0], relative: 1e-9), "ci low")
            #expect(isClose(result.ciHigh, ci[1], relative: 1e-9), "ci high")
        }
    }
}
