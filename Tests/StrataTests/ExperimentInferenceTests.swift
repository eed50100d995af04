import Foundation
import Strata
import StrataCore
import StrataStats
import StrataTestSupport
import Testing

/// Generated experiments with known effects: the analysis finds real effects, flags about alpha of
/// the null ones, and its sequential intervals keep their coverage when looked at repeatedly.
@Suite("Experiment inference on generated experiments")
struct ExperimentInferenceTests {
    static let purchase = Filter.equals("event", "purchase")

    /// Units alternate between control and treatment, are exposed uniformly over `days` days, and
    /// convert with the arm's probability within 12 hours of exposure, spending exponential(30) × `spend`.
    static func experiment(
        units: Int, seed: UInt64, conversion: (Double, Double), spend: (Double, Double) = (1, 1), days: Int = 10
    ) throws -> Table {
        var rng = SplitMix64(seed: seed)
        var ts: [Int64] = []
        var user: [String] = []
        var event: [String] = []
        var variant: [String] = []
        var revenue: [Double] = []
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        for u in 0..<units {
            let treated = u % 2 == 1
            let arm = treated ? "treatment" : "control"
            let exposed = ExperimentFixture.start + Int64(uniform() * Double(Int64(days) * ExperimentFixture.day))
            ts.append(exposed)
            user.append("u\(u)")
            event.append("exposure")
            variant.append(arm)
            revenue.append(0)
            if uniform() < (treated ? conversion.1 : conversion.0) {
                ts.append(exposed + Int64(uniform() * Double(12 * ExperimentFixture.hour)))
                user.append("u\(u)")
                event.append("purchase")
                variant.append(arm)
                revenue.append((-30 * log1p(-uniform()) * (treated ? spend.1 : spend.0) * 100).rounded() / 100)
            }
        }
        let n = ts.count
        let db = Database.inMemory()
        let table = try db.createTable(ExperimentFixture.spec())
        try table.append(
            ColumnBatch([
                "ts": .timestamp(ts), "user_id": .string(user), "event": .string(event),
                "experiment": .string([String](repeating: "exp", count: n)), "variant": .string(variant),
                "platform": .string([String](repeating: "ios", count: n)), "revenue": .double(revenue),
                "latency_ms": .int64([Int64](repeating: 100, count: n)),
            ]))
        return table
    }

    @Test("a +20% conversion lift at 10k units per arm is reported significant, with the lift in the interval")
    func plantedEffect() throws {
        let table = try Self.experiment(units: 20_000, seed: 7, conversion: (0.10, 0.12))
        let report = try table.analyze(
            ExperimentAnalysis(
                experiment: "exp",
                metrics: [
                    ExperimentMetric("converted", .binomial(filter: Self.purchase)),
                    ExperimentMetric("revenue", .sum(column: "revenue", filter: Self.purchase)),
                ]))
        #expect(report.overall.units == [10_000, 10_000])
        let converted = try #require(report.metric(named: "converted")?.comparison("treatment"))
        #expect(converted.verdict == .better)
        let interval = try #require(converted.frequentist)
        #expect(interval.pValue < 0.001)
        #expect(interval.ciLow < 0.2 && 0.2 < interval.ciHigh)
        #expect(try #require(converted.bayesian).chanceToWin > 0.99)
        #expect(report.metric(named: "revenue")?.comparison("treatment")?.verdict == .better)
        #expect(try #require(report.overall.srmPValue) > 0.5)
    }

    @Test("over 200 A/A experiments about alpha of them are flagged")
    func aaFalsePositives() throws {
        var flagged = (conversion: 0, revenue: 0)
        for seed in 0..<200 {
            let table = try Self.experiment(units: 300, seed: UInt64(1000 + seed), conversion: (0.3, 0.3))
            let report = try table.analyze(
                ExperimentAnalysis(
                    experiment: "exp",
                    metrics: [
                        ExperimentMetric("converted", .binomial(filter: Self.purchase)),
                        ExperimentMetric("revenue", .sum(column: "revenue", filter: nil)),
                    ]))
            if report.metric(named: "converted")?.comparison("treatment")?.verdict != .notSignificant {
                flagged.conversion += 1
            }
            if report.metric(named: "revenue")?.comparison("treatment")?.verdict != .notSignificant {
                flagged.revenue += 1
            }
        }
        // Binomial(200, 0.05): mean 10, P(X > 20) < 0.002.
        #expect((1...20).contains(flagged.conversion), "flagged \(flagged.conversion) of 200")
        #expect((1...20).contains(flagged.revenue), "flagged \(flagged.revenue) of 200")
    }

    @Test("sequential intervals cover the true lift at every one of repeated looks")
    func sequentialCoverage() throws {
        var missedSequential = 0
        var missedFixed = 0
        let looks = [2, 4, 6, 8, 10]
        for seed in 0..<100 {
            // True relative lift: 0.33 / 0.30 − 1 = 10%.
            let table = try Self.experiment(units: 800, seed: UInt64(5000 + seed), conversion: (0.30, 0.33))
            var analysis = ExperimentAnalysis(
                experiment: "exp", metrics: [ExperimentMetric("converted", .binomial(filter: Self.purchase))])
            analysis.sequential = true
            var missed = (sequential: false, fixed: false)
            for day in looks {
                analysis.timeRange =
                    ExperimentFixture.start..<(ExperimentFixture.start + Int64(day) * ExperimentFixture.day)
                let comparison = try #require(
                    try table.analyze(analysis).metric(named: "converted")?.comparison("treatment"))
                let sequential = try #require(comparison.sequential)
                let fixed = try #require(comparison.frequentist)
                #expect(sequential.ciLow <= fixed.ciLow && fixed.ciHigh <= sequential.ciHigh)
                if !(sequential.ciLow...sequential.ciHigh).contains(0.1) { missed.sequential = true }
                if !(fixed.ciLow...fixed.ciHigh).contains(0.1) { missed.fixed = true }
            }
            if missed.sequential { missedSequential += 1 }
            if missed.fixed { missedFixed += 1 }
        }
        // Always-valid: the chance that any look misses is at most alpha (5 of 100, plus binomial slack).
        #expect(missedSequential <= 10, "sequential missed in \(missedSequential) of 100")
        #expect(missedSequential <= missedFixed)
    }
}
