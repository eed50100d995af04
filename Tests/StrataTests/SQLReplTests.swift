import Foundation
import Strata
import StrataCore
import Testing

/// `strata repl` and `strata query` driven as a user would: the built executable, fed through a pipe.
@Suite("strata repl and strata query through a pipe")
struct SQLReplTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A database directory holding the SQL fixture as table `events`.
    static func fixtureDatabase(_ dir: TestDirectory) throws -> String {
        let path = dir.path + "/db"
        let db = try Database.open(at: path)
        let spec = try TableSpec.decode(
            json: try Data(contentsOf: root.appendingPathComponent("Fixtures/events-spec.json")))
        _ = try db.createTable(spec).ingest(csv: root.appendingPathComponent("Fixtures/sql/events.csv").path)
        return path
    }

    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs the executable in `directory` (default: the test process's own), for paths relative to the repository.
    static func strata(_ arguments: [String], input: String, in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: IngestRoundTripTests.strataExecutable!)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            error: String(decoding: error, as: UTF8.self))
    }

    /// The README's REPL session: the input of its `strata repl` block and the output shown after it.
    static func readmeSession() throws -> (input: String, output: String) {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- repl-session: the tests run this exactly -->"))
        let rest = readme[marker.upperBound...]
        let start = try #require(rest.range(of: "<<'SQL'\n"))
        let end = try #require(rest.range(of: "\nSQL\n", range: start.upperBound..<rest.endIndex))
        let input = String(rest[start.upperBound..<end.lowerBound]) + "\n"
        let open = try #require(rest.range(of: "```text\n", range: end.upperBound..<rest.endIndex))
        let close = try #require(rest.range(of: "```\n", range: open.upperBound..<rest.endIndex))
        return (input, String(rest[open.upperBound..<close.lowerBound]))
    }

    @Test(
        "the README's REPL session prints what the README shows",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func readme() throws {
        let dir = TestDirectory()
        let db = try Self.fixtureDatabase(dir)
        let session = try Self.readmeSession()
        let run = try Self.strata(["repl", "--db", db], input: session.input)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.isEmpty)
        #expect(run.output == session.output)
    }

    @Test(
        "piped statements that fail: the error with its caret on stderr, the rest still runs, exit status 1",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func failingScript() throws {
        let dir = TestDirectory()
        let db = try Self.fixtureDatabase(dir)
        let script = """
            SELECT contry
            FROM events;
            .mode json
            SELECT count(*) AS n,
              -- a comment; with a semicolon
              'a;b' AS s FROM events;
            .nonsense
            """
        let run = try Self.strata(["repl", "--db", db], input: script)
        #expect(run.status == 1)
        #expect(run.output == "[\n{\"n\":2000,\"s\":\"a;b\"}\n]\n")
        #expect(
            run.error.contains(
                "1:8: binding error: no column named 'contry' in 'events'; did you mean 'country'?\nSELECT contry\n       ^"
            ))
        #expect(run.error.contains("unknown command '.nonsense'"))
    }

    @Test(
        "strata query: formats, --repeat and --timing, errors with a caret and a non-zero status",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func query() throws {
        let dir = TestDirectory()
        let db = try Self.fixtureDatabase(dir)
        let sql = "SELECT platform, count(*) AS n FROM events GROUP BY 1 ORDER BY 1"
        let csv = try Self.strata(["query", "--db", db, "--format", "csv", sql], input: "")
        #expect(csv.status == 0)
        #expect(csv.output == "platform,n\nandroid,1106\nios,577\nweb,317\n")
        let json = try Self.strata(["query", "--db", db, "--format", "json", sql + " LIMIT 1"], input: "")
        #expect(json.output == "[\n{\"platform\":\"android\",\"n\":1106}\n]\n")
        let timed = try Self.strata(["query", "--db", db, "--timing", "--repeat", "3", sql], input: "")
        let lines = timed.error.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.prefix(3).allSatisfy { $0.hasPrefix("time_ms=") && Double($0.dropFirst(8)) != nil })
        #expect(lines.last?.hasPrefix("median_ms=") == true)
        #expect(timed.output.hasSuffix("(3 rows)\n"))
        let bad = try Self.strata(["query", "--db", db, "SELECT count(*) FROM evnts"], input: "")
        #expect(bad.status != 0)
        #expect(bad.error.contains("did you mean 'events'?\nSELECT count(*) FROM evnts\n                     ^"))
    }
}
