import Foundation
import Testing

/// `strata bench` on a small dataset: the dashboard suite of Benchmarks/queries/events.sql runs, the rollup
/// answers agree with the table's, and a failing query fails the command.
@Suite("strata bench")
struct BenchCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let suite = root.appendingPathComponent("Benchmarks/queries/events.sql").path

    @Test(
        "the dashboard suite runs on 3,000 rows: every query answers, on the table and on the rolled-up copy alike",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func suiteRuns() throws {
        let dir = TestDirectory()
        let run = try SQLReplTests.strata(
            [
                "bench", "--rows", "3000", "--runs", "1", "--format", "json", "--queries", Self.suite, "--data",
                dir.path + "/csv", "--db", dir.path + "/db",
            ], input: "")
        #expect(run.status == 0, "\(run.error)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let queries = try #require(report["queries"] as? [[String: Any]])
        #expect(queries.count >= 12)
        for query in queries {
            #expect(query["error"] == nil, "\(query["name"] ?? "?"): \(query["error"] ?? "")")
            #expect((query["latency"] as? [String: Any])?["runs"] as? Int == 1)
        }
        let ingest = try #require(report["ingest"] as? [[String: Any]])
        #expect(ingest.first?["rowsRead"] as? Int == 3000)
        #expect(ingest.first?["rowsStored"] as? Int == 3000)
        // Every query tagged for the rolled-up copy answers there (sketches included) and agrees.
        let rollupQueries = try #require(report["rollupQueries"] as? [[String: Any]])
        #expect(rollupQueries.count >= 10)
        for query in rollupQueries {
            #expect(query["error"] == nil, "\(query["name"] ?? "?"): \(query["error"] ?? "")")
            #expect(query["mismatch"] == nil, "\(query["name"] ?? "?"): \(query["mismatch"] ?? "")")
        }
        // The CSV stays for reuse, with its marker; the database directory given with --db stays too.
        #expect(FileManager.default.fileExists(atPath: dir.path + "/csv/.strata-bench"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/db/CATALOG"))
    }

    @Test(
        "a query that fails makes the exit status non-zero and is named in the report",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func failingQuery() throws {
        let dir = TestDirectory()
        let file = dir.path + "/suite.sql"
        try Data(
            """
            -- name: fine
            SELECT count(*) AS n FROM events;

            -- name: broken
            SELECT count(*) AS n FROM events WHERE contry = 'US';
            """.utf8
        ).write(to: URL(fileURLWithPath: file))
        let run = try SQLReplTests.strata(
            [
                "bench", "--rows", "500", "--runs", "1", "--queries", file, "--rollup-spec", "none", "--data",
                dir.path + "/csv",
            ], input: "")
        #expect(run.status != 0)
        #expect(run.output.contains("ERROR broken"))
        #expect(run.output.contains("did you mean 'country'"))
    }
}
