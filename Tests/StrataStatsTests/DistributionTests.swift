import StrataStats
import Testing

/// StrataStats' own normal, Student t and chi-square functions against scipy, to 1e-12 relative (the p-values
/// and quantiles of the tests inherit this accuracy).
@Suite("Distribution functions match scipy")
struct DistributionTests {
    @Test("Normal distribution function, survival function and quantile")
    func normal() throws {
        let reference = try GoldenFixture.load().distributions.normal
        for (x, (cdf, sf)) in zip(reference.x, zip(reference.cdf, reference.sf)) {
            #expect(isClose(NormalDistribution.cdf(x), cdf, relative: 1e-12, absolute: 0), "Φ(\(x))")
            #expect(isClose(NormalDistribution.survival(x), sf, relative: 1e-12, absolute: 0), "1 − Φ(\(x))")
        }
        for (p, quantile) in zip(reference.p, reference.ppf) {
            #expect(isClose(NormalDistribution.quantile(p), quantile, relative: 1e-13), "Φ⁻¹(\(p))")
        }
    }

    @Test(
        "Student t distribution function, survival function and quantile",
        arguments: GoldenFixture.shared?.distributions.studentT ?? [])
    func studentT(_ reference: DistributionReference.StudentT) {
        let distribution = StudentTDistribution(degreesOfFreedom: reference.df)
        for (x, (cdf, sf)) in zip(reference.x, zip(reference.cdf, reference.sf)) {
            #expect(isClose(distribution.cdf(x), cdf, relative: 1e-12, absolute: 1e-300), "F(\(x))")
            #expect(isClose(distribution.survival(x), sf, relative: 1e-12, absolute: 1e-300), "1 − F(\(x))")
        }
        for (p, quantile) in zip(reference.p, reference.ppf) {
            #expect(isClose(distribution.quantile(p), quantile, relative: 1e-12), "F⁻¹(\(p))")
        }
    }

    @Test("Chi-square survival function", arguments: GoldenFixture.shared?.distributions.chiSquare ?? [])
    func chiSquare(_ reference: DistributionReference.ChiSquare) {
        let distribution = ChiSquareDistribution(degreesOfFreedom: reference.df)
        for (x, sf) in zip(reference.x, reference.sf) {
            #expect(isClose(distribution.survival(x), sf, relative: 1e-12, absolute: 1e-300), "Q(\(x))")
        }
    }

    @Test("Quantiles invert the distribution functions")
    func roundTrip() {
        for nu in [1.0, 2.5, 7.0, 40.0, 5000.0] {
            let distribution = StudentTDistribution(degreesOfFreedom: nu)
            for p in [1e-12, 0.01, 0.2, 0.5, 0.9, 0.999] {
                #expect(isClose(distribution.cdf(distribution.quantile(p)), p, relative: 1e-12), "ν \(nu), p \(p)")
            }
        }
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(StudentTDistribution(degreesOfFreedom: 3).quantile(0.5) == 0)
    }
}
