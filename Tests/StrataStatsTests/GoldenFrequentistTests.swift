import StrataStats
import Testing

/// Welch and sequential tests against gbstats 0.8.0 on every frequentist case of the golden fixture, at 1e-9
/// relative. CUPED needs no looser tolerance: StrataStats uses gbstats 0.8.0's relative CUPED variance (the
/// unadjusted baseline mean in the delta method), not the later exact formula.
@Suite("Frequentist tests match gbstats")
struct GoldenFrequentistTests {
    @Test("The golden fixture loads and covers every kind of case")
    func fixtureLoads() throws {
        let fixture = try GoldenFixture.load()
        #expect(fixture.gbstats == "0.8.0")
        #expect(fixture.frequentist.count >= 30)
        #expect(fixture.frequentist.contains { $0.sequentialTuning != nil })
        #expect(fixture.frequentist.contains { $0.result.error != nil })
    }

    @Test("Each frequentist case matches gbstats", arguments: GoldenFixture.shared?.frequentist ?? [])
    func matches(_ golden: FrequentistCase) {
        let configuration = golden.configuration
        let outcome: Result<FrequentistResult, StatsError> = Result { () throws(StatsError) in
            try runPair(golden.baseline, golden.treatment) { pair throws(StatsError) in
                golden.sequentialTuning == nil
                    ? try pair.welch(configuration) : try pair.sequential(configuration)
            }
        }
        switch outcome {
        case .failure(let error):
            let accepted = golden.result.error.map(acceptedCodes(forGbstatsError:)) ?? []
            #expect(accepted.contains(error.code), "\(golden.name): unexpected \(error)")
        case .success(let result):
            guard golden.result.error == nil, let ci = golden.result.ci, let p = golden.result.pValue,
                let expected = golden.result.expected, let stddev = golden.result.stddev
            else {
                Issue.record("\(golden.name): expected \(golden.result.error ?? "?"), got \(result)")
                return
            }
            #expect(isClose(result.lift, expected, relative: 1e-9), "lift")
            #expect(isClose(result.standardError, stddev, relative: 1e-9), "standard error")
            #expect(isClose(result.ciLow, ci[0], relative: 1e-9), "ci low")
            #expect(isClose(result.ciHigh, ci[1], relative: 1e-9), "ci high")
            #expect(isClose(result.pValue, p, relative: 1e-9), "p-value \(result.pValue) vs \(p)")
            if let dof = golden.result.dof {
                #expect(isClose(result.degreesOfFreedom, dof, relative: 1e-9), "degrees of freedom")
            }
        }
    }
}
