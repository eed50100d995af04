import Foundation
import Testing

/// `strata bench` on a small dataset: both suite files run on the tuned and the plain spec, the rollup answers
/// agree with the table's, DuckDB's answers are checked per suite file, and a failing query fails the command.
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
            ], input: "", in: Self.root)
        #expect(run.status == 0, "\(run.error)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let queries = try #require(report["queries"] as? [[String: Any]])
        #expect(queries.count >= 12)
        for query in queries {
            #expect(query["error"] == nil, "\(query["name"] ?? "?"): \(query["error"] ?? "")")
            #expect((query["latency"] as? [String: Any])?["runs"] as? Int == 1)
        }
        #expect((report["spec"] as? [String: Any])?["name"] as? String == "tuned")
        #expect(queries.allSatisfy { $0["file"] as? String == Self.suite })
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
            ], input: "", in: Self.root)
        #expect(run.status != 0)
        #expect(run.output.contains("ERROR broken"))
        #expect(run.output.contains("did you mean 'country'"))
    }

    @Test(
        "by default both suite files run; on the plain spec without a rolled-up copy, each query named with its file",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func bothFilesOnPlainSpec() throws {
        let dir = TestDirectory()
        let run = try SQLReplTests.strata(
            ["bench", "--rows", "2000", "--runs", "1", "--format", "json", "--spec", "plain", "--data", dir.path],
            input: "", in: Self.root)
        #expect(run.status == 0, "\(run.error)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let spec = try #require(report["spec"] as? [String: Any])
        #expect(spec["name"] as? String == "plain")
        #expect(spec["path"] as? String == "Benchmarks/queries/events-plain-spec.json")
        let files = ["Benchmarks/queries/events.sql", "Benchmarks/queries/dashboard.sql"]
        #expect(report["queryFiles"] as? [String] == files)
        let queries = try #require(report["queries"] as? [[String: Any]])
        let byFile = Dictionary(grouping: queries) { $0["file"] as? String ?? "" }
        #expect(byFile.keys.sorted() == files.sorted())
        #expect(byFile[files[1]]?.contains { $0["name"] as? String == "select_star_limit" } == true)
        for query in queries {
            #expect(query["error"] == nil, "\(query["name"] ?? "?"): \(query["error"] ?? "")")
        }
        // The two files share no name today, so none is prefixed; every name is unique.
        #expect(Set(queries.compactMap { $0["name"] as? String }).count == queries.count)
        #expect((report["rollupQueries"] as? [Any])?.isEmpty == true)
        #expect((report["ingest"] as? [Any])?.count == 1)
    }

    @Test(
        "names two suite files share get the file's stem; --spec PATH is read; the table names spec and files",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func sharedNamesAndSpecPath() throws {
        let dir = TestDirectory()
        try Data("-- name: n\nSELECT count(*) AS n FROM events;\n".utf8)
            .write(to: URL(fileURLWithPath: dir.path + "/first.sql"))
        try Data(
            """
            -- name: n
            SELECT count(*) AS n FROM events WHERE platform = 'ios';

            -- name: star
            -- check: shape
            SELECT * FROM events LIMIT 5;
            """.utf8
        ).write(to: URL(fileURLWithPath: dir.path + "/second.sql"))
        let arguments = [
            "bench", "--rows", "500", "--runs", "1", "--data", dir.path + "/csv", "--spec",
            Self.root.appendingPathComponent("Benchmarks/queries/events-plain-spec.json").path,
            "--queries", dir.path + "/first.sql", "--queries", dir.path + "/second.sql",
        ]
        let run = try SQLReplTests.strata(arguments + ["--format", "json"], input: "")
        #expect(run.status == 0, "\(run.error)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let queries = try #require(report["queries"] as? [[String: Any]])
        #expect(queries.map { $0["name"] as? String ?? "" } == ["first/n", "second/n", "star"])
        let second = dir.path + "/second.sql"
        #expect(queries.map { $0["file"] as? String ?? "" } == [dir.path + "/first.sql", second, second])
        #expect((report["rollupQueries"] as? [Any])?.isEmpty == true)

        let table = try SQLReplTests.strata(arguments, input: "")
        #expect(table.status == 0, "\(table.error)")
        #expect(table.output.contains("spec: " + arguments[8] + "\n"))
        #expect(table.output.contains(dir.path + "/second.sql on events"))
    }

    @Test(
        "a spec that cannot be read, a spec of another table and a file named twice are refused",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func refusedArguments() throws {
        let dir = TestDirectory()
        let base = ["bench", "--rows", "200", "--runs", "1", "--data", dir.path + "/csv", "--queries", Self.suite]
        let missing = try SQLReplTests.strata(base + ["--spec", dir.path + "/none.json"], input: "")
        #expect(missing.status != 0)
        #expect(missing.error.contains("cannot read the spec"))

        let other = dir.path + "/other-spec.json"
        try Data(#"{"name": "other", "timestamp": {"column": "ts"}, "dimensions": [], "metrics": []}"#.utf8)
            .write(to: URL(fileURLWithPath: other))
        let otherRun = try SQLReplTests.strata(base + ["--spec", other], input: "")
        #expect(otherRun.status != 0)
        #expect(otherRun.error.contains("the suites read 'events'"))

        let twice = try SQLReplTests.strata(base + ["--queries", Self.suite], input: "", in: Self.root)
        #expect(twice.status != 0)
        #expect(twice.error.contains("given twice"))
    }

    @Test(
        "--answers applies to its own suite file: a shape-only query compares counts, a wrong value fails the run",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func answersPerSuiteFile() throws {
        let dir = TestDirectory()
        let suite = dir.path + "/small.sql"
        try Data(
            """
            -- name: n
            SELECT count(*) AS n FROM events;

            -- name: star
            -- check: shape
            SELECT * FROM events LIMIT 2;
            """.utf8
        ).write(to: URL(fileURLWithPath: suite))
        try Data("-- name: unchecked\nSELECT count(*) AS m FROM events;\n".utf8)
            .write(to: URL(fileURLWithPath: dir.path + "/other.sql"))
        // DuckDB's rows of a shape-only query have no order: junk of the right shape must pass.
        func answers(count: Int) throws -> String {
            let path = dir.path + "/small-answers-300-\(count).json"
            let junk = "[" + Array(repeating: "0", count: 11).joined(separator: ",") + "]"
            let columns = "[" + Array(repeating: #""c""#, count: 11).joined(separator: ",") + "]"
            try Data(
                """
                {"rows": 300, "queries": {
                 "n": {"columns": ["n"], "rows": [[\(count)]], "approximate": false},
                 "star": {"columns": \(columns), "rows": [\(junk), \(junk)], "approximate": false}}}
                """.utf8
            ).write(to: URL(fileURLWithPath: path))
            return path
        }
        let base = [
            "bench", "--rows", "300", "--runs", "1", "--data", dir.path + "/csv", "--rollup-spec", "none",
            "--queries", suite, "--queries", dir.path + "/other.sql", "--answers",
        ]
        let right = try SQLReplTests.strata(base + [try answers(count: 300)], input: "", in: Self.root)
        #expect(right.status == 0, "\(right.output)\(right.error)")

        let wrong = try SQLReplTests.strata(base + [try answers(count: 299)], input: "", in: Self.root)
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("MISMATCH n: row 1, column 'n': 300, DuckDB 299"))
        #expect(!wrong.output.contains("MISMATCH star"))

        // An answers file is for the suite its name (or its "suite" field) gives, which must run.
        let notRun = try SQLReplTests.strata(
            [
                "bench", "--rows", "300", "--runs", "1", "--data", dir.path + "/csv", "--queries",
                dir.path + "/other.sql", "--answers", try answers(count: 300),
            ], input: "", in: Self.root)
        #expect(notRun.status != 0)
        #expect(notRun.error.contains("is for small.sql, which no --queries file is"))
    }
}
