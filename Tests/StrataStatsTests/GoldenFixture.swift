import Foundation
import StrataStats

/// The reference results in `Fixtures/stats/golden.json`, written by `Fixtures/stats/make_golden.py` from
/// gbstats 0.8.0 (and statsmodels for the corrections).
struct GoldenFixture: Decodable, Sendable {
    let gbstats: String
    let frequentist: [FrequentistCase]
    let bayesian: [BayesianCase]
    let srm: [SampleRatioCase]
    let holm: [CorrectionCase]
    let benjaminiHochberg: [CorrectionCase]
    let distributions: DistributionReference

    enum CodingKeys: String, CodingKey {
        case gbstats, frequentist, bayesian, srm, holm, distributions
        case benjaminiHochberg = "benjamini_hochberg"
    }

    /// The repository root, found from this file's path: Tests/StrataStatsTests/GoldenFixture.swift.
    static let url: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/stats/golden.json")

    /// The fixture, or `nil` when it cannot be read (a dedicated test reports that).
    static let shared: GoldenFixture? = {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(GoldenFixture.self, from: data)
    }()

    static func load() throws -> GoldenFixture {
        try JSONDecoder().decode(GoldenFixture.self, from: Data(contentsOf: url))
    }
}

/// One variant's statistics as the fixture spells them.
indirect enum StatisticsSpec: Decodable, Sendable {
    case mean(MeanStatistics)
    case ratio(RatioStatistics)
    case cuped(CUPEDStatistics)
    case quantile(QuantileStatistics)

    private enum Keys: String, CodingKey {
        case type, n, sum, numerator, denominator, post, pre, nu, quantile, lower, upper, clustering
        case sumSquares = "sum_squares"
        case sumProducts = "sum_products"
        case nStar = "n_star"
    }

    private enum ClusteringKeys: String, CodingKey {
        case clusters
        case mainSum = "main_sum"
        case mainSumSquares = "main_sum_squares"
        case denominatorSum = "denominator_sum"
        case denominatorSumSquares = "denominator_sum_squares"
        case sumProducts = "sum_products"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let n = try c.decode(Int.self, forKey: .n)
        switch try c.decode(String.self, forKey: .type) {
        case "mean":
            let sum = try c.decode(Double.self, forKey: .sum)
            self = .mean(MeanStatistics(n: n, sum: sum, sumSquares: try c.decode(Double.self, forKey: .sumSquares)))
        case "binomial":
            self = .mean(.binomial(n: n, successes: try c.decode(Double.self, forKey: .sum)))
        case "ratio":
            self = .ratio(
                RatioStatistics(
                    n: n,
                    numerator: try Self.component(c, .numerator),
                    denominator: try Self.component(c, .denominator),
                    sumProducts: try c.decode(Double.self, forKey: .sumProducts)
                ))
        case "cuped":
            self = .cuped(
                CUPEDStatistics(
                    n: n,
                    post: try Self.component(c, .post),
                    pre: try Self.component(c, .pre),
                    sumProducts: try c.decode(Double.self, forKey: .sumProducts)
                ))
        case "quantile":
            var clustering: QuantileStatistics.Clustering?
            if c.contains(.clustering) {
                let k = try c.nestedContainer(keyedBy: ClusteringKeys.self, forKey: .clustering)
                clustering = QuantileStatistics.Clustering(
                    mainSum: try k.decode(Double.self, forKey: .mainSum),
                    mainSumSquares: try k.decode(Double.self, forKey: .mainSumSquares),
                    denominatorSum: try k.decode(Double.self, forKey: .denominatorSum),
                    denominatorSumSquares: try k.decode(Double.self, forKey: .denominatorSumSquares),
                    sumProducts: try k.decode(Double.self, forKey: .sumProducts),
                    clusters: try k.decode(Int.self, forKey: .clusters)
                )
            }
            self = .quantile(
                QuantileStatistics(
                    n: n,
                    nStar: try c.decode(Int.self, forKey: .nStar),
                    level: try c.decode(Double.self, forKey: .nu),
                    quantile: try c.decode(Double.self, forKey: .quantile),
                    lower: try c.decode(Double.self, forKey: .lower),
                    upper: try c.decode(Double.self, forKey: .upper),
                    clustering: clustering
                ))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown type \(other)")
        }
    }

    private static func component(_ c: KeyedDecodingContainer<Keys>, _ key: Keys) throws -> MeanStatistics {
        guard case .mean(let statistics) = try c.decode(StatisticsSpec.self, forKey: key) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "component must be a mean")
        }
        return statistics
    }
}

/// Runs a test on a pair of fixture statistics of the same kind.
func runPair<R>(
    _ baseline: StatisticsSpec,
    _ treatment: StatisticsSpec,
    _ body: (any SampleStatisticsPair) throws(StatsError) -> R
) throws(StatsError) -> R {
    switch (baseline, treatment) {
    case (.mean(let a), .mean(let b)): return try body(Pair(baseline: a, treatment: b))
    case (.ratio(let a), .ratio(let b)): return try body(Pair(baseline: a, treatment: b))
    case (.cuped(let a), .cuped(let b)): return try body(Pair(baseline: a, treatment: b))
    case (.quantile(let a), .quantile(let b)): return try body(Pair(baseline: a, treatment: b))
    default: throw StatsError(.invalidInput, "fixture pairs statistics of different kinds")
    }
}

/// A baseline/treatment pair of one statistics type, erased so the fixture can hold any kind.
protocol SampleStatisticsPair {
    func welch(_ configuration: TestConfiguration) throws(StatsError) -> FrequentistResult
    func sequential(_ configuration: TestConfiguration) throws(StatsError) -> FrequentistResult
    func bayesian(_ configuration: TestConfiguration) throws(StatsError) -> BayesianResult
}

struct Pair<S: SampleStatistics>: SampleStatisticsPair {
    let baseline: S
    let treatment: S

    func welch(_ configuration: TestConfiguration) throws(StatsError) -> FrequentistResult {
        try WelchTTest.compare(baseline: baseline, treatment: treatment, configuration: configuration)
    }

    func sequential(_ configuration: TestConfiguration) throws(StatsError) -> FrequentistResult {
        try SequentialTest.compare(baseline: baseline, treatment: treatment, configuration: configuration)
    }

    func bayesian(_ configuration: TestConfiguration) throws(StatsError) -> BayesianResult {
        try BayesianTest.compare(baseline: baseline, treatment: treatment, configuration: configuration)
    }
}

struct FrequentistCase: Decodable, Sendable, CustomStringConvertible {
    struct Expected: Decodable, Sendable {
        let error: String?
        let expected: Double?
        let ci: [Double]?
        let pValue: Double?
        let stddev: Double?
        let dof: Double?

        enum CodingKeys: String, CodingKey {
            case error, expected, ci, stddev, dof
            case pValue = "p_value"
        }
    }

    let name: String
    let baseline: StatisticsSpec
    let treatment: StatisticsSpec
    let difference: String
    let alpha: Double
    let sequentialTuning: Double?
    let result: Expected

    enum CodingKeys: String, CodingKey {
        case name, baseline, treatment, difference, alpha, result
        case sequentialTuning = "sequential_tuning"
    }

    var description: String { name }

    var configuration: TestConfiguration {
        TestConfiguration(
            alpha: alpha,
            difference: difference == "absolute" ? .absolute : .relative,
            sequentialTuning: sequentialTuning ?? 5000
        )
    }
}

struct BayesianCase: Decodable, Sendable, CustomStringConvertible {
    struct Prior: Decodable, Sendable {
        let mean: Double
        let stddev: Double
    }

    struct Expected: Decodable, Sendable {
        let error: String?
        let expected: Double?
        let ci: [Double]?
        let chanceToWin: Double?
        let risk: [Double]?
        let stddev: Double?

        enum CodingKeys: String, CodingKey {
            case error, expected, ci, risk, stddev
            case chanceToWin = "chance_to_win"
        }
    }

    let name: String
    let baseline: StatisticsSpec
    let treatment: StatisticsSpec
    let difference: String
    let alpha: Double
    let prior: Prior?
    let inverse: Bool
    let result: Expected

    var description: String { name }

    var configuration: TestConfiguration {
        TestConfiguration(
            alpha: alpha,
            difference: difference == "absolute" ? .absolute : .relative,
            prior: prior.map { .gaussian(mean: $0.mean, standardDeviation: $0.stddev) } ?? .flat,
            lowerIsBetter: inverse
        )
    }
}

struct SampleRatioCase: Decodable, Sendable, CustomStringConvertible {
    let observed: [Int]
    let weights: [Double]
    let pValue: Double

    enum CodingKeys: String, CodingKey {
        case observed, weights
        case pValue = "p_value"
    }

    var description: String { "\(observed) against \(weights)" }
}

struct CorrectionCase: Decodable, Sendable, CustomStringConvertible {
    let pValues: [Double]
    let adjusted: [Double]

    enum CodingKeys: String, CodingKey {
        case adjusted
        case pValues = "p_values"
    }

    var description: String { "\(pValues)" }
}

/// The StrataStats codes that stand for a gbstats error message. gbstats reports fewer than two units as zero
/// variance; StrataStats says `insufficientSample`.
func acceptedCodes(forGbstatsError message: String) -> Set<StatsError.Code> {
    switch message {
    case "ZERO_NEGATIVE_BASELINE_VARIATION": [.zeroBaselineMean]
    case "ZERO_NEGATIVE_VARIANCE": [.zeroVariance, .insufficientSample]
    case "NO_UNITS_IN_VARIATION": [.emptyVariant]
    default: []
    }
}

/// scipy's values of the distribution functions gbstats calls.
struct DistributionReference: Decodable, Sendable {
    struct Normal: Decodable, Sendable {
        let x: [Double]
        let cdf: [Double]
        let sf: [Double]
        let p: [Double]
        let ppf: [Double]
    }

    struct StudentT: Decodable, Sendable, CustomStringConvertible {
        let df: Double
        let x: [Double]
        let cdf: [Double]
        let sf: [Double]
        let p: [Double]
        let ppf: [Double]

        var description: String { "ν = \(df)" }
    }

    struct ChiSquare: Decodable, Sendable, CustomStringConvertible {
        let df: Double
        let x: [Double]
        let sf: [Double]

        var description: String { "k = \(df)" }
    }

    let normal: Normal
    let studentT: [StudentT]
    let chiSquare: [ChiSquare]

    enum CodingKeys: String, CodingKey {
        case normal
        case studentT = "student_t"
        case chiSquare = "chi_square"
    }
}
