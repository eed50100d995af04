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

    /// A DECIMAL(12, 2) literal.
    static func cents(_ units: Int128) -> Value { .decimal(DecimalValue(unscaled: units, precision: 12, scale: 2)) }

    @Test(
        "exposure and metric filters with OR, NOT, IN, LIKE, IS NULL, decimals and timestamps select the reference's rows",
        arguments: [(6, true, false), (7, true, true), (8, false, false)])
    func filterShapes(seed: UInt64, eventIndexed: Bool, tableUnits: Bool) throws {
        let start = ExperimentFixture.start
        let day = ExperimentFixture.day
        var spec = ExperimentFixture.spec(eventIndexed: eventIndexed, tableUnits: tableUnits)
        spec.metrics[0].type = .decimal(precision: 12, scale: 2)  // revenue
        var options = Database.Options()
        options.blockRowCount = 64
        let table = try Database.inMemory(options: options).createTable(spec)
        try table.append(ExperimentFixture.batch(ExperimentFixture.randomRows(seed: seed)))
        #expect(table.segments.count > 1)
        var analysis = ExperimentAnalysis(
            experiment: "exp",
            metrics: [
                // With a metric over every row, filters the index answers whole come from the bitmaps.
                ExperimentMetric("rows", .count(filter: nil)),
                ExperimentMetric("purchases", .count(filter: .equals("event", .string("purchase")))),
                ExperimentMetric(
                    "paid", .sum(column: "revenue", filter: .in("event", [.string("purchase"), .string("click")]))),
                ExperimentMetric(
                    "click_or_cheap",
                    .count(filter: .or([.like("event", "cl%"), .compare("revenue", .lessThan, Self.cents(2_000))]))),
                ExperimentMetric(
                    "big_revenue",
                    .sum(column: "revenue", filter: .compare("revenue", .greaterThanOrEqual, Self.cents(1_250))),
                    cupedLookback: day),
                ExperimentMetric(
                    "priced", .sum(column: "revenue", filter: .not(.isNull("revenue"))), capping: .percentile(0.9)),
                ExperimentMetric(
                    "web_or_unknown", .count(filter: .or([.isNull("platform"), .in("platform", [.string("web")])]))),
                ExperimentMetric(
                    "late_not_view",
                    .count(
                        filter: .and([
                            .not(.like("event", "vi%")), .compare("ts", .greaterThanOrEqual, .timestamp(start + day)),
                        ]))),
                // A NULL in the list: NOT IN is never TRUE.
                ExperimentMetric("not_in_null", .count(filter: .not(.in("event", [.string("view"), .null])))),
                ExperimentMetric(
                    "slow_purchase",
                    .binomial(
                        filter: .and([
                            .in("event", [.string("purchase"), .string("click")]),
                            .not(.compare("latency_ms", .lessThanOrEqual, .int64(250))),
                        ]))),
                ExperimentMetric(
                    "rate",
                    .ratio(
                        numerator: .sum(column: "latency_ms", filter: .not(.equals("event", .string("view")))),
                        denominator: .count(filter: .or([.equals("event", .string("click")), .isNull("revenue")])))),
            ])
        analysis.exposure.filter = .and([
            .or([.isNull("platform"), .not(.equals("platform", .string("android")))]),
            .compare("ts", .lessThan, .timestamp(start + 3 * day)),
        ])
        // A time range that cuts blocks: the scan keeps part of them.
        if seed != 6 { analysis.timeRange = (start + day / 2 + 7)..<(start + 3 * day - 11) }
        let report = try table.analyze(analysis)
        let reference = try ExperimentReference.sums(table, analysis)
        #expect(report.overall.units.reduce(0, +) > 0)
        for metric in report.overall.metrics {
            for variant in metric.variants {
                let expected = reference[metric.name]?[variant.variant] ?? ReferenceSums()
                let actual = ExperimentReference.sums(of: variant)
                #expect(ExperimentReference.close(actual, expected), "\(metric.name) \(variant.variant)")
            }
        }
        #expect(report.metric(named: "not_in_null")?.variants.allSatisfy { $0.sum == 0 } == true)
    }
}
