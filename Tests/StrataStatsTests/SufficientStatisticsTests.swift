import StrataStats
import Testing

/// The sufficient statistics against the obvious computation on raw per-unit values.
@Suite("Sufficient statistics agree with raw data")
struct SufficientStatisticsTests {
    let controlY: [Double] = [3, 5, 2, 8, 6, 4, 7, 5, 3, 9]
    let controlX: [Double] = [2, 5, 1, 7, 6, 3, 6, 4, 2, 8]
    let treatmentY: [Double] = [6, 4, 9, 7, 8, 5, 10, 6]
    let treatmentX: [Double] = [5, 3, 8, 5, 7, 5, 9, 4]

    private func sums(_ values: [Double]) -> (Double, Double) {
        (values.reduce(0, +), values.reduce(0) { $0 + $1 * $1 })
    }

    private func products(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private func cuped(_ y: [Double], _ x: [Double]) -> CUPEDStatistics {
        let (sy, syy) = sums(y)
        let (sx, sxx) = sums(x)
        return CUPEDStatistics(
            n: y.count, sum: sy, sumSquares: syy, covariateSum: sx, covariateSumSquares: sxx,
            sumProducts: products(x, y))
    }

    @Test("Mean and unbiased variance of a continuous metric")
    func meanAndVariance() {
        let (s, ss) = sums(controlY)
        let statistics = MeanStatistics(n: controlY.count, sum: s, sumSquares: ss)
        let mean = s / 10
        let variance = controlY.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 9
        #expect(isClose(statistics.mean, mean, relative: 1e-14))
        #expect(isClose(statistics.variance, variance, relative: 1e-12))
    }

    @Test("Binomial variance is p(1 − p)")
    func binomialVariance() {
        let statistics = MeanStatistics.binomial(n: 200, successes: 30)
        #expect(statistics.variance == 0.15 * 0.85)
        #expect(statistics.sumSquares == statistics.sum)
    }

    @Test("Ratio mean is Σy / Σz and its covariance is the sample covariance")
    func ratio() {
        let (sy, syy) = sums(controlY)
        let (sz, szz) = sums(controlX)
        let statistics = RatioStatistics(
            n: 10, numeratorSum: sy, numeratorSumSquares: syy, denominatorSum: sz, denominatorSumSquares: szz,
            sumProducts: products(controlY, controlX))
        #expect(isClose(statistics.mean, sy / sz, relative: 1e-14))
        let meanY = sy / 10
        let meanZ = sz / 10
        let covariance = zip(controlY, controlX).reduce(0) { $0 + ($1.0 - meanY) * ($1.1 - meanZ) } / 9
        #expect(isClose(statistics.covariance, covariance, relative: 1e-12))
    }

    @Test("CUPED θ is the least-squares slope of y on x over both arms pooled")
    func cupedTheta() throws {
        let y = controlY + treatmentY
        let x = controlX + treatmentX
        let meanY = y.reduce(0, +) / Double(y.count)
        let meanX = x.reduce(0, +) / Double(x.count)
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let sxx = x.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
        let theta = try CUPEDStatistics.pooledTheta(cuped(controlY, controlX), cuped(treatmentY, treatmentX))
        #expect(isClose(theta, sxy / sxx, relative: 1e-12))
    }

    @Test("CUPED narrows the interval of a correlated metric")
    func cupedNarrows() throws {
        let adjusted = try WelchTTest.compare(
            baseline: cuped(controlY, controlX), treatment: cuped(treatmentY, treatmentX),
            configuration: TestConfiguration(difference: .absolute))
        let (cy, cyy) = sums(controlY)
        let (ty, tyy) = sums(treatmentY)
        let plain = try WelchTTest.compare(
            baseline: MeanStatistics(n: 10, sum: cy, sumSquares: cyy),
            treatment: MeanStatistics(n: 8, sum: ty, sumSquares: tyy),
            configuration: TestConfiguration(difference: .absolute))
        #expect(adjusted.standardError < plain.standardError / 2)
    }
}
