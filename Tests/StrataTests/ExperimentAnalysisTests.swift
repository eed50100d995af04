import Strata
import StrataCore
import StrataStats
import Testing

@Suite("Experiment analysis on hand-built tables")
struct ExperimentAnalysisTests {
    typealias Row = ExperimentFixture.Row
    let h = ExperimentFixture.hour
    let d = ExperimentFixture.day

    static let purchase = Filter.equals("event", "purchase")

    func analysis(_ metrics: [ExperimentMetric]) -> ExperimentAnalysis {
        ExperimentAnalysis(experiment: "exp", metrics: metrics)
    }

    @Test("first exposure fixes variant and start; multi-variant units are excluded and counted; no events is 0")
    func unitsAndExclusion() throws {
        let table = try ExperimentFixture.table([
            Row(t: 10 * h, user: "a", event: "exposure"),
            Row(t: 30 * h, user: "a", event: "exposure"),  // second exposure, same variant
            Row(t: 9 * h, user: "a", event: "purchase", revenue: 5),  // before the first exposure
            Row(t: 11 * h, user: "a", event: "purchase", revenue: 7),
            Row(t: 31 * h, user: "a", event: "purchase", experiment: "other", revenue: 3),  // any experiment tag
            Row(t: 1 * h, user: "b", event: "exposure"),
            Row(t: 2 * h, user: "b", event: "exposure", variant: "treatment"),  // seen in two variants
            Row(t: 3 * h, user: "b", event: "purchase", revenue: 100),
            Row(t: 5 * h, user: "c", event: "exposure", variant: "treatment"),
            Row(t: 6 * h, user: "c", event: "purchase", variant: "treatment", revenue: 2),
            Row(t: 7 * h, user: "c", event: "purchase", variant: "treatment", revenue: nil),
            Row(t: 2 * h, user: "e", event: "exposure"),  // no metric rows: counts as 0
            Row(t: 3 * h, user: "f", event: "exposure", variant: "treatment", experiment: "other"),
            Row(t: 3 * h, user: "g", event: "exposure", variant: "treatment"),
        ])
        let report = try table.analyze(
            analysis([
                ExperimentMetric("purchases", .count(filter: Self.purchase)),
                ExperimentMetric("revenue", .sum(column: "revenue", filter: nil)),
                ExperimentMetric("converted", .binomial(filter: Self.purchase)),
            ]))
        #expect(report.variants == ["control", "treatment"])
        #expect(report.overall.units == [2, 2])
        #expect(report.excludedUnits == 1)
        #expect(report.exposureRows == 7)
        let purchases = try #require(report.metric(named: "purchases"))
        #expect(purchases.variant("control")?.sum == 2)  // a: 11h and 31h
        #expect(purchases.variant("control")?.sumSquares == 4)
        #expect(purchases.variant("treatment")?.sum == 2)  // c: 6h and 7h
        let revenue = try #require(report.metric(named: "revenue"))
        #expect(revenue.variant("control")?.sum == 10)
        #expect(revenue.variant("control")?.sumSquares == 100)
        #expect(revenue.variant("treatment")?.sum == 2)  // NULL revenue ignored
        let converted = try #require(report.metric(named: "converted"))
        #expect(converted.variant("control")?.sum == 1)
        #expect(converted.variant("treatment")?.sum == 1)
        #expect(converted.variant("treatment")?.mean == 0.5)
        #expect(report.overall.srmPValue != nil)
    }

    @Test("windows are half-open [exposure + delay, exposure + delay + duration)")
    func windowBoundaries() throws {
        let table = try ExperimentFixture.table([
            Row(t: 10 * h, user: "a", event: "exposure"),
            Row(t: 10 * h, user: "a", event: "purchase"),  // at the exposure: inside [0, 1h)
            Row(t: 11 * h - 1, user: "a", event: "purchase"),  // last millisecond inside
            Row(t: 11 * h, user: "a", event: "purchase"),  // first millisecond outside [0, 1h), inside [1h, 2h)
            Row(t: 12 * h, user: "a", event: "purchase"),  // outside both
            Row(t: 10 * h, user: "b", event: "exposure", variant: "treatment"),
        ])
        func count(_ window: MetricWindow) throws -> Double {
            var a = analysis([ExperimentMetric("p", .count(filter: Self.purchase))])
            a.window = window
            return try #require(try table.analyze(a).metric(named: "p")?.variant("control")?.sum)
        }
        #expect(try count(MetricWindow()) == 4)
        #expect(try count(MetricWindow(delay: 0, duration: h)) == 2)
        #expect(try count(MetricWindow(delay: h, duration: h)) == 1)
        #expect(try count(MetricWindow(delay: h)) == 2)
        #expect(try count(MetricWindow(delay: -h, duration: h)) == 0)
        // A per-metric window overrides the analysis window.
        var a = analysis([ExperimentMetric("p", .count(filter: Self.purchase), window: MetricWindow(duration: h))])
        a.window = MetricWindow(delay: 5 * h)
        #expect(try table.analyze(a).metric(named: "p")?.variant("control")?.sum == 2)
        // The analysis time range cuts exposures and metric rows alike.
        a = analysis([ExperimentMetric("p", .count(filter: Self.purchase))])
        a.timeRange = ExperimentFixture.start..<(ExperimentFixture.start + 11 * h)
        #expect(try table.analyze(a).metric(named: "p")?.variant("control")?.sum == 2)
    }

    @Test("absolute and percentile capping of per-unit values, pooled over arms")
    func capping() throws {
        var rows: [Row] = []
        for (i, amount) in [1.0, 2, 3, 4, 100].enumerated() {
            rows.append(Row(t: h, user: "c\(i)", event: "exposure"))
            rows.append(Row(t: 2 * h, user: "c\(i)", event: "purchase", revenue: amount))
            rows.append(Row(t: h, user: "t\(i)", event: "exposure", variant: "treatment"))
            rows.append(Row(t: 2 * h, user: "t\(i)", event: "purchase", variant: "treatment", revenue: amount * 2))
        }
        let table = try ExperimentFixture.table(rows)
        let absolute = try table.analyze(
            analysis([ExperimentMetric("r", .sum(column: "revenue", filter: nil), capping: .absolute(5))]))
        #expect(absolute.metric(named: "r")?.variant("control")?.sum == 15)  // 1+2+3+4+5
        #expect(absolute.metric(named: "r")?.variant("treatment")?.sum == 21)  // 2+4+5+5+5
        let percentile = try table.analyze(
            analysis([ExperimentMetric("r", .sum(column: "revenue", filter: nil), capping: .percentile(0.5))]))
        // Pooled values 1,2,2,3,4,4,6,8,100,200: the median (quantile_cont) is 4.
        let r = try #require(percentile.metric(named: "r"))
        #expect(r.cap == 4)
        #expect(r.variant("control")?.sum == 14)  // 1+2+3+4+4
        #expect(r.variant("treatment")?.sum == 18)  // 2+4+4+4+4
        #expect(throws: StrataError.self) {
            try table.analyze(analysis([ExperimentMetric("b", .binomial(filter: nil), capping: .absolute(1))]))
        }
    }

    @Test("CUPED covariate sums come from the pre-exposure window")
    func cupedPreWindow() throws {
        let table = try ExperimentFixture.table([
            Row(t: 3 * d, user: "a", event: "exposure"),
            Row(t: 3 * d - 2 * h, user: "a", event: "purchase", revenue: 4),  // pre, inside 1d
            Row(t: 3 * d - 2 * d, user: "a", event: "purchase", revenue: 8),  // pre, outside 1d
            Row(t: 3 * d + h, user: "a", event: "purchase", revenue: 10),  // post
            Row(t: 3 * d, user: "b", event: "exposure"),
            Row(t: 3 * d - h, user: "b", event: "purchase", revenue: 1),
            Row(t: 3 * d, user: "c", event: "exposure", variant: "treatment"),
            Row(t: 3 * d + 2 * h, user: "c", event: "purchase", variant: "treatment", revenue: 6),
            Row(t: 3 * d, user: "e", event: "exposure", variant: "treatment"),
        ])
        let report = try table.analyze(
            analysis([ExperimentMetric("r", .sum(column: "revenue", filter: Self.purchase), cupedLookback: d)]))
        let control = try #require(report.metric(named: "r")?.variant("control"))
        #expect(control.sum == 10)
        #expect(control.covariate?.sum == 5)
        #expect(control.covariate?.sumSquares == 17)
        #expect(control.covariate?.sumProducts == 40)
        let treatment = try #require(report.metric(named: "r")?.variant("treatment"))
        #expect(treatment.covariate?.sum == 0)
        #expect(throws: StrataError.self) {
            try table.analyze(
                analysis([
                    ExperimentMetric(
                        "q", .ratio(numerator: .count(filter: nil), denominator: .count(filter: nil)), cupedLookback: d)
                ]))
        }
    }

    @Test("ratio metrics carry Σz, Σz² and Σyz")
    func ratio() throws {
        let table = try ExperimentFixture.table([
            Row(t: h, user: "a", event: "exposure"),
            Row(t: 2 * h, user: "a", event: "purchase", revenue: 10),
            Row(t: 3 * h, user: "a", event: "purchase", revenue: 20),
            Row(t: h, user: "b", event: "exposure"),
            Row(t: 2 * h, user: "b", event: "purchase", revenue: 5),
            Row(t: h, user: "c", event: "exposure"),
        ])
        let report = try table.analyze(
            analysis([
                ExperimentMetric(
                    "aov",
                    .ratio(
                        numerator: .sum(column: "revenue", filter: Self.purchase),
                        denominator: .count(filter: Self.purchase)))
            ]))
        let control = try #require(report.metric(named: "aov")?.variant("control"))
        #expect(control.units == 3)
        #expect(control.sum == 35)
        #expect(control.sumSquares == 925)
        #expect(control.ratio?.denominatorSum == 3)
        #expect(control.ratio?.denominatorSumSquares == 5)
        #expect(control.ratio?.sumProducts == 65)
        #expect(abs(control.mean - 35.0 / 3) < 1e-12)
    }

    @Test("breakdown sections take each unit's value at its first exposure")
    func breakdown() throws {
        let table = try ExperimentFixture.table([
            Row(t: h, user: "a", event: "exposure", platform: "ios"),
            Row(t: 2 * h, user: "a", event: "exposure", platform: "web"),
            Row(t: 3 * h, user: "a", event: "purchase", platform: "web"),
            Row(t: h, user: "b", event: "exposure", platform: "web"),
            Row(t: h, user: "c", event: "exposure", variant: "treatment", platform: nil),
            Row(t: 2 * h, user: "c", event: "purchase", variant: "treatment", platform: nil),
            Row(t: h, user: "e", event: "exposure", variant: "treatment", platform: "ios"),
        ])
        var a = analysis([ExperimentMetric("p", .count(filter: Self.purchase))])
        a.breakdown = "platform"
        let report = try table.analyze(a)
        #expect(report.breakdownDimension == "platform")
        #expect(report.breakdown.map(\.label) == ["ios", "web", nil])
        #expect(report.breakdown.map(\.units) == [[1, 1], [1, 0], [0, 1]])
        #expect(report.breakdown[0].metrics[0].variant("control")?.sum == 1)
        #expect(report.breakdown[1].metrics[0].variant("control")?.sum == 0)
        #expect(report.breakdown[2].isNullValue)
        #expect(report.breakdown[2].metrics[0].variant("treatment")?.sum == 1)
        #expect(report.overall.units == [2, 2])
    }

    @Test("quantile metrics report gbstats' clustered quantile inputs")
    func quantile() throws {
        var rows: [Row] = []
        for u in 0..<20 {
            let variant = u % 2 == 0 ? "control" : "treatment"
            rows.append(Row(t: h, user: "u\(u)", event: "exposure", variant: variant))
            for k in 0..<(u % 4) {
                rows.append(
                    Row(t: 2 * h, user: "u\(u)", event: "view", variant: variant, latency: Int64(10 * (u + k))))
            }
        }
        let table = try ExperimentFixture.table(rows)
        let report = try table.analyze(
            analysis([
                ExperimentMetric("p50", .quantile(column: "latency_ms", level: 0.5, filter: .equals("event", "view")))
            ]))
        let control = try #require(report.metric(named: "p50")?.variant("control"))
        // Control units 0,2,…,18 have 0 or 2 views: units 2,6,10,14,18 → latencies 10u and 10(u+1).
        let latencies = [2, 6, 10, 14, 18].flatMap { [Double(10 * $0), Double(10 * ($0 + 1))] }.sorted()
        let q = try #require(control.quantile)
        #expect(q.n == 10)
        #expect(q.quantile == ExperimentReference.quantile(latencies, 0.5))
        #expect(q.clustering?.clusters == 10)
        #expect(q.clustering?.denominatorSum == 10)
        #expect(control.sum == Double(latencies.filter { $0 <= q.quantile }.count))
    }

    @Test("errors name the problem: unknown columns, wrong types, missing baseline, bad settings")
    func errors() throws {
        let table = try ExperimentFixture.table([Row(t: h, user: "a", event: "exposure", variant: "treatment")])
        func code(_ a: ExperimentAnalysis) -> StrataError.Code? {
            do {
                _ = try table.analyze(a)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(analysis([])) == .notFound)  // nobody saw 'control'
        var a = analysis([ExperimentMetric("r", .sum(column: "revenu", filter: nil))])
        a.baseline = "treatment"
        #expect(code(a) == .binding)
        a.metrics = [ExperimentMetric("r", .sum(column: "platform", filter: nil))]
        #expect(code(a) == .type)
        a.metrics = [ExperimentMetric("r", .count(filter: nil), capping: .percentile(1.5))]
        #expect(code(a) == .invalidArgument)
        a.metrics = [ExperimentMetric("r", .count(filter: nil)), ExperimentMetric("r", .count(filter: nil))]
        #expect(code(a) == .invalidArgument)
        a.metrics = []
        a.exposure.variantColumn = "latency_ms"
        #expect(code(a) == .type)
        // A single variant gives statistics but no comparison and no SRM p-value.
        a = ExperimentAnalysis(
            experiment: "exp", metrics: [ExperimentMetric("n", .count(filter: nil))], baseline: "treatment")
        let report = try table.analyze(a)
        #expect(report.overall.units == [1])
        #expect(report.metric(named: "n")?.comparisons.isEmpty == true)
        #expect(report.overall.srmPValue == nil)
    }
}
