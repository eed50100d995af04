import StrataStats
import Testing

/// Sample-ratio mismatch against gbstats' `check_srm`, and Holm / Benjamini–Hochberg against statsmodels.
@Suite("Traffic checks and corrections match the references")
struct GoldenCorrectionsTests {
    @Test("Sample ratio mismatch p-values", arguments: GoldenFixture.shared?.srm ?? [])
    func sampleRatioMismatch(_ golden: SampleRatioCase) throws {
        let p = try SampleRatioMismatch.pValue(observed: golden.observed, expectedWeights: golden.weights)
        #expect(isClose(p, golden.pValue, relative: 1e-9, absolute: 0), "\(p) vs \(golden.pValue)")
    }

    @Test("Holm–Bonferroni adjusted p-values", arguments: GoldenFixture.shared?.holm ?? [])
    func holm(_ golden: CorrectionCase) throws {
        let adjusted = try MultipleComparisons.holm(golden.pValues)
        #expect(adjusted.count == golden.adjusted.count)
        for (actual, expected) in zip(adjusted, golden.adjusted) {
            #expect(isClose(actual, expected, relative: 1e-12))
        }
    }

    @Test("Benjamini–Hochberg adjusted p-values", arguments: GoldenFixture.shared?.benjaminiHochberg ?? [])
    func benjaminiHochberg(_ golden: CorrectionCase) throws {
        let adjusted = try MultipleComparisons.benjaminiHochberg(golden.pValues)
        #expect(adjusted.count == golden.adjusted.count)
        for (actual, expected) in zip(adjusted, golden.adjusted) {
            #expect(isClose(actual, expected, relative: 1e-12))
        }
    }

    @Test("The fixture has SRM and correction cases")
    func coverage() throws {
        let fixture = try GoldenFixture.load()
        #expect(fixture.srm.count >= 5)
        #expect(!fixture.holm.isEmpty)
        #expect(!fixture.benjaminiHochberg.isEmpty)
    }
}
