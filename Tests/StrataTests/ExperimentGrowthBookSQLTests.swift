import Foundation
import Strata
import StrataCore
import Testing

/// The GrowthBook-shaped golden queries (`growthbook_*` in Fixtures/sql/queries.sql, whose rows
/// SQLGoldenTests checks against DuckDB) against `experiment_analysis(…)`: the same units per variant and
/// the same sufficient statistics, so the analysis means what a warehouse query in GrowthBook's shape means.
@Suite("GrowthBook-style experiment SQL and experiment_analysis agree")
struct ExperimentGrowthBookSQLTests {
    /// A golden query and the analysis it spells out: each metric `NAME` is the query's columns
    /// `NAME_sum` and `NAME_sum_squares`.
    struct Case: CustomTestStringConvertible, Sendable {
        var query: String
        var experiment: String
        var metrics: [String]

        var testDescription: String { query }
    }

    static let cases = [
        Case(
            query: "growthbook_fact_metrics_exp_000", experiment: "exp_000",
            metrics: [
                "converted=binomial(event = 'purchase') window=0d..3d", "revenue=sum(revenue) cap=0.99",
                "page_views=count(event = 'page_view') window=1h..7d cap=0.9",
            ]),
        Case(
            query: "growthbook_window_in_join_exp_002", experiment: "exp_002",
            metrics: ["clicks=count(event = 'click') window=0d..2d cap=0.95"]),
    ]

    static func sql(_ name: String) throws -> String {
        try #require(SQLGoldenTests.golden.first { $0.name == name }, "golden query \(name) is missing").sql
    }

    @Test("on the golden fixture: the query's rows equal experiment_analysis's", arguments: cases)
    func fixture(_ c: Case) throws {
        let db = try SQLGoldenTests.database.get()
        try Self.expectAgreement(db, sql: try Self.sql(c.query), experiment: c.experiment, metrics: c.metrics)
    }

    /// The fixture's experiments are small and clean (one exposure per unit, one variant each); the random
    /// table has repeated exposures, units in two variants, NULL revenue and rows of another experiment.
    @Test("on a random experiment table with repeated exposures and switched units", arguments: cases)
    func random(_ c: Case) throws {
        let db = try ExperimentSQLTests.database(seed: 29)
        // Its experiment is `exp`; it has `view` where the fixture has `page_view`.
        func adapt(_ text: String) -> String {
            text.replacingOccurrences(of: "'\(c.experiment)'", with: "'exp'")
                .replacingOccurrences(of: "'page_view'", with: "'view'")
        }
        let excluded = try Self.expectAgreement(
            db, sql: adapt(try Self.sql(c.query)), experiment: "exp", metrics: c.metrics.map(adapt))
        #expect(excluded > 0, "the random table should have units seen in both variants")
    }

    /// Checks the query's rows against the analysis' per metric and variant; returns its excluded units.
    @discardableResult
    static func expectAgreement(_ db: Database, sql: String, experiment: String, metrics: [String]) throws -> Int64 {
        let query = try db.query(sql)
        let analysis = try db.query(
            "SELECT metric, variant, units, sum, sum_squares, excluded_units FROM experiment_analysis('events', "
                + ([experiment] + metrics).map(ExperimentSQLTests.literal).joined(separator: ", ") + ")")
        let columns = query.columnNames
        let variantAt = try #require(columns.firstIndex(of: "variant"))
        let unitsAt = try #require(columns.firstIndex(of: "units"))
        for metric in metrics {
            let name = String(metric.prefix { $0 != "=" })
            let sumAt = try #require(columns.firstIndex(of: name + "_sum"))
            let squaresAt = try #require(columns.firstIndex(of: name + "_sum_squares"))
            let expected = analysis.rows.filter { $0[0] == .string(name) }
            #expect(query.rows.count == expected.count, "\(name): variants")
            for (row, want) in zip(query.rows, expected) {
                let variant = want[1].description
                #expect(row[variantAt] == want[1], "\(name)")
                #expect(row[unitsAt] == want[2], "\(name) \(variant): units")
                #expect(close(row[sumAt], want[3]), "\(name) \(variant): sum \(row[sumAt]) vs \(want[3])")
                #expect(
                    close(row[squaresAt], want[4]), "\(name) \(variant): sum_squares \(row[squaresAt]) vs \(want[4])")
            }
        }
        guard case .int64(let excluded)? = analysis.rows.first?[5] else { return 0 }
        return excluded
    }

    /// Equal to 1e-9 relative (the two sum in different orders).
    static func close(_ a: Value, _ b: Value) -> Bool {
        guard let x = a.doubleValue, let y = b.doubleValue else { return false }
        return GoldenCell.close(x, y, 1e-9)
    }
}
