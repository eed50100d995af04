import Strata
import StrataCore
import StrataDatasets
import StrataStats
import Testing

@Suite("Experiment analysis of the events dataset")
struct ExperimentEventsTests {
    static let purchase = Filter.equals("event", "purchase")

    static let table: Table = {
        let db = Database.inMemory()
        let table = try! db.createTable(EventsDataset.tableSpec())
        let generator = try! EventsDataset(rows: 200_000, seed: 42).makeGenerator()
        for day in 0..<EventsDataset.dayCount { try! table.append(generator.batch(dayIndex: day).columnBatch) }
        return table
    }()

    @Test(
        "the planted +3% revenue lift of exp_000…exp_004 is not significant and lies inside the interval",
        arguments: ["exp_000", "exp_001", "exp_002", "exp_003", "exp_004"])
    func revenueLift(experiment: String) throws {
        let report = try Self.table.analyze(
            ExperimentAnalysis(
                experiment: experiment, metrics: [ExperimentMetric("revenue", .sum(column: "revenue", filter: nil))]))
        #expect(report.excludedUnits == 0)
        let comparison = try #require(report.metric(named: "revenue")?.comparison("treatment"))
        #expect(comparison.verdict == .notSignificant)
        let interval = try #require(comparison.frequentist)
        #expect(interval.ciLow < 0.03 && 0.03 < interval.ciHigh)
        #expect(report.text().contains("not significant"))
    }

    @Test("exp_000's sufficient statistics equal the row-at-a-time reference; every unit is counted once")
    func reference() throws {
        let analysis = ExperimentAnalysis(
            experiment: "exp_000",
            metrics: [
                ExperimentMetric("converted", .binomial(filter: Self.purchase)),
                ExperimentMetric("revenue", .sum(column: "revenue", filter: nil)),
                ExperimentMetric("purchases", .count(filter: Self.purchase)),
                // Every row: enough units per segment that the code map switches from lookups to a merge.
                ExperimentMetric("rows", .count(filter: nil), cupedLookback: 7 * 86_400_000),
            ])
        let report = try Self.table.analyze(analysis)
        #expect(report.variants == ["control", "treatment", "treatment_b"])
        let reference = try ExperimentReference.sums(Self.table, analysis)
        for metric in report.overall.metrics {
            for v in metric.variants {
                #expect(ExperimentReference.close(ExperimentReference.sums(of: v), reference[metric.name]![v.variant]!))
            }
        }
        // One exposure row per (user, experiment) pair in this dataset.
        #expect(report.exposureRows == report.overall.units.reduce(0, +))
        #expect(try #require(report.overall.srmPValue) > 0.001)
    }
}
