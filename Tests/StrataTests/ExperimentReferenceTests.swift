import Strata
import StrataCore
import StrataStats
import Testing

@Suite("Experiment analysis against a row-at-a-time reference")
struct ExperimentReferenceTests {
    static let purchase = Filter.equals("event", "purchase")

    static func metrics() -> [ExperimentMetric] {
        let h = ExperimentFixture.hour
        return [
            ExperimentMetric("purchases", .count(filter: purchase)),
            ExperimentMetric("rows", .count(filter: nil)),
            ExperimentMetric("revenue", .sum(column: "revenue", filter: nil), capping: .percentile(0.9)),
            ExperimentMetric(
                "converted", .binomial(filter: purchase), window: MetricWindow(delay: h, duration: 30 * h)),
            ExperimentMetric(
                "big_orders", .count(filter: .and([purchase, .compare("revenue", .greaterThan, .double(40))])),
                cupedLookback: 2 * ExperimentFixture.day),
            ExperimentMetric(
                "aov",
                .ratio(
                    numerator: .sum(column: "revenue", filter: purchase),
                    denominator: .count(filter: .in("event", [.string("purchase"), .string("click")])))),
            ExperimentMetric(
                "latency", .sum(column: "latency_ms", filter: .not(.equals("event", "view"))),
                capping: .absolute(900), cupedLookback: ExperimentFixture.day),
            ExperimentMetric("clicked", .binomial(filter: .like("event", "cl%")), cupedLookback: ExperimentFixture.day),
        ]
    }

    @Test(
        "per-variant sufficient statistics equal the reference's, indexed or not, over several segments and blocks",
        arguments: [(1, true), (2, false), (3, true), (4, false), (5, true)])
    func differential(seed: UInt64, eventIndexed: Bool) throws {
        try check(seed: seed, eventIndexed: eventIndexed, tableUnits: false)
    }

    @Test(
        "with table-wide unit codes (a table dictionary) the statistics equal the reference's",
        arguments: [(3, true), (4, false)])
    func tableDictionaryUnits(seed: UInt64, eventIndexed: Bool) throws {
        try check(seed: seed, eventIndexed: eventIndexed, tableUnits: true)
    }

    func check(seed: UInt64, eventIndexed: Bool, tableUnits: Bool) throws {
        let rows = ExperimentFixture.randomRows(seed: seed)
        let table = try ExperimentFixture.table(
            rows, blockRows: 64, eventIndexed: eventIndexed, tableUnits: tableUnits)
        #expect(table.segments.count > 1)
        var analysis = ExperimentAnalysis(experiment: "exp", metrics: Self.metrics())
        if seed == 3 {
            analysis.timeRange = ExperimentFixture.start..<(ExperimentFixture.start + 3 * ExperimentFixture.day)
        }
        if seed == 4 { analysis.window = MetricWindow(delay: -ExperimentFixture.hour) }
        let report = try table.analyze(analysis)
        let reference = try ExperimentReference.sums(table, analysis)
        #expect(report.excludedUnits > 0)
        for metric in report.overall.metrics {
            for variant in metric.variants {
                let expected = reference[metric.name]?[variant.variant] ?? ReferenceSums()
                let actual = ExperimentReference.sums(of: variant)
                #expect(ExperimentReference.close(actual, expected), "\(metric.name) \(variant.variant)")
            }
        }
        // Breakdown sections add up to the overall statistics.
        analysis.breakdown = "platform"
        let broken = try table.analyze(analysis)
        for (m, metric) in broken.overall.metrics.enumerated() {
            for (v, variant) in metric.variants.enumerated() {
                let parts = broken.breakdown.map { $0.metrics[m].variants[v] }
                #expect(parts.reduce(0) { $0 + $1.units } == variant.units)
                if metric.cap == nil {
                    #expect(abs(parts.reduce(0) { $0 + $1.sum } - variant.sum) <= 1e-9 * max(1, abs(variant.sum)))
                }
            }
        }
    }

    @Test("a parsed exposure condition and a custom unit give the same units as the reference")
    func customExposure() throws {
        let rows = ExperimentFixture.randomRows(seed: 9)
        let table = try ExperimentFixture.table(rows, blockRows: 64)
        var analysis = ExperimentAnalysis(experiment: "exp", metrics: [ExperimentMetric("n", .count(filter: nil))])
        analysis.exposure.filter = try Filter.parse(condition: "event IN ('exposure', 'click') AND latency_ms >= 0")
        let report = try table.analyze(analysis)
        let reference = try ExperimentReference.sums(table, analysis)
        for v in report.metric(named: "n")!.variants {
            #expect(ExperimentReference.close(ExperimentReference.sums(of: v), reference["n"]![v.variant]!))
        }
    }
}
