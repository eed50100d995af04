import Strata
import StrataCore
import StrataStats
import Testing

@Suite("Experiment metric syntax and report rendering")
struct ExperimentSyntaxTests {
    static let purchase = Filter.equals("event", "purchase")

    @Test("the documented metric forms parse to their kinds")
    func metricForms() throws {
        #expect(try ExperimentMetric.parse("purchases=count(event='purchase')").kind == .count(filter: Self.purchase))
        #expect(try ExperimentMetric.parse("rows=count(*)").kind == .count(filter: nil))
        #expect(try ExperimentMetric.parse("rows = count()").kind == .count(filter: nil))
        #expect(try ExperimentMetric.parse("revenue=sum(revenue)").kind == .sum(column: "revenue", filter: nil))
        #expect(
            try ExperimentMetric.parse("revenue=sum(revenue) FILTER (WHERE event = 'purchase')").kind
                == .sum(column: "revenue", filter: Self.purchase))
        #expect(
            try ExperimentMetric.parse("revenue=sum(revenue, event = 'purchase')").kind
                == .sum(column: "revenue", filter: Self.purchase))
        #expect(
            try ExperimentMetric.parse("converted=binomial(event='purchase')").kind == .binomial(filter: Self.purchase))
        #expect(
            try ExperimentMetric.parse("aov=ratio(sum(revenue), count(event='purchase'))").kind
                == .ratio(numerator: .sum(column: "revenue", filter: nil), denominator: .count(filter: Self.purchase)))
        #expect(
            try ExperimentMetric.parse("p95=quantile(latency_ms, 0.95)").kind
                == .quantile(column: "latency_ms", level: 0.95, filter: nil))
    }

    @Test("options set window, cap, CUPED and direction; strings keep their spaces")
    func options() throws {
        let m = try ExperimentMetric.parse(
            "r=sum(revenue, platform IN ('ios', 'a  b')) window=1h..7d cap=0.99 cuped=14d lower-is-better")
        #expect(m.kind == .sum(column: "revenue", filter: .in("platform", [.string("ios"), .string("a  b")])))
        #expect(m.window == MetricWindow(delay: 3_600_000, duration: 7 * 86_400_000 - 3_600_000))
        #expect(m.capping == .percentile(0.99))
        #expect(m.cupedLookback == 1_209_600_000)  // 14 days
        #expect(m.lowerIsBetter)
        #expect(try ExperimentMetric.parse("r=sum(revenue) cap=abs:500").capping == .absolute(500))
        #expect(try MetricWindow.parse("0d..") == MetricWindow())
        #expect(try MetricWindow.parse("-1d..0d") == MetricWindow(delay: -86_400_000, duration: 86_400_000))
    }

    @Test(
        "conditions become native filters",
        arguments: [
            ("event <> 'x'", Filter.compare("event", .notEqual, .string("x"))),
            ("revenue > 10.5", .compare("revenue", .greaterThan, .double(10.5))),
            ("10 < revenue", .compare("revenue", .greaterThan, .int64(10))),
            (
                "a = 1 AND b = 2 AND c = 3",
                .and([.equals("a", .int64(1)), .equals("b", .int64(2)), .equals("c", .int64(3))])
            ),
            ("NOT (a IS NULL OR b IS NOT NULL)", .not(.or([.isNull("a"), .not(.isNull("b"))]))),
            (
                "v BETWEEN -1 AND 2",
                .and([.compare("v", .greaterThanOrEqual, .int64(-1)), .compare("v", .lessThanOrEqual, .int64(2))])
            ),
            ("app_version LIKE '5.%'", .like("app_version", "5.%")),
            ("e NOT IN ('a', 'b')", .not(.in("e", [.string("a"), .string("b")]))),
        ])
    func conditions(text: String, expected: Filter) throws {
        #expect(try Filter.parse(condition: text) == expected)
    }

    @Test(
        "malformed metrics are errors with a reason",
        arguments: [
            "nothing", "x=avg(revenue)", "x=sum()", "x=ratio(sum(a))", "x=count(a + 1 = 2)", "x=sum(revenue",
            "x=count(a = b)",
            "x=count() cap=2", "x=quantile(latency_ms)", "bad name=count()",
        ])
    func malformed(text: String) {
        #expect(throws: StrataError.self) { try ExperimentMetric.parse(text) }
    }

    @Test("the JSON report holds per-variant sums and the comparison fields; text says the verdict")
    func rendering() throws {
        typealias Row = ExperimentFixture.Row
        var rows: [Row] = []
        for u in 0..<40 {
            let variant = u % 2 == 0 ? "control" : "treatment"
            rows.append(Row(t: 1000, user: "u\(u)", event: "exposure", variant: variant))
            for k in 0..<(u % 3) {
                rows.append(
                    Row(t: 2000, user: "u\(u)", event: "purchase", variant: variant, revenue: Double(10 + k + u)))
            }
        }
        let table = try ExperimentFixture.table(rows, blockRows: 64)
        var analysis = ExperimentAnalysis(
            experiment: "exp",
            metrics: [
                try ExperimentMetric.parse("revenue=sum(revenue)"),
                try ExperimentMetric.parse("aov=ratio(sum(revenue), count(event='purchase'))"),
                try ExperimentMetric.parse("zero=count(event='none')"),
            ])
        analysis.correction = .holm
        let report = try table.analyze(analysis)
        let json = report.json()
        for key in [
            "\"units\":{\"control\":20,\"treatment\":20}", "\"sum_squares\":", "\"denominator_sum\":", "\"lift\":",
            "\"ci_low\":", "\"ci_high\":", "\"p_value\":", "\"chance_to_win\":", "\"srm_p_value\":1",
            "\"excluded_units\":0", "\"verdict\":\"undefined\"", "\"adjusted_p_value\":",
        ] {
            #expect(json.contains(key), "\(key)")
        }
        #expect(!json.contains("nan") && !json.contains("inf"))
        let text = report.text()
        #expect(text.contains("not significant") || text.contains("significant (better)"))
        #expect(text.contains("undefined: "))
    }
}
