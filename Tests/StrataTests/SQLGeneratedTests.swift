import Foundation
import Testing

/// Generated queries (Benchmarks/peers/sql_generated.py: expressions of every kind in SELECT, WHERE, GROUP BY,
/// aggregates, FILTER, HAVING, DISTINCT over the `events` fixture) against DuckDB's answers in
/// Fixtures/sql/generated-golden.json, cell by cell, with SQLGoldenTests' database and comparison.
@Suite("SQL generated queries against DuckDB")
struct SQLGeneratedTests {
    static let generated: [GoldenQuery] = SQLGoldenTests.load("sql/generated-golden.json")

    /// Generated queries Strata cannot answer yet, and why (a gap that starts passing fails the test).
    static let knownGaps: [String: String] = [:]

    @Test("the generated file holds at least 250 queries; DuckDB answers all but those named error_*")
    func generatedFileIsComplete() {
        #expect(Self.generated.count >= 250)
        for query in Self.generated {
            #expect(
                (query.error != nil) == query.name.hasPrefix("error_"), "\(query.name): \(query.error ?? "answered")")
        }
    }

    @Test("Strata's answer matches DuckDB's", arguments: generated)
    func matchesDuckDB(_ query: GoldenQuery) throws {
        try SQLGoldenTests.expectMatch(query, knownGaps: Self.knownGaps, tolerance: 1e-9)
    }
}
