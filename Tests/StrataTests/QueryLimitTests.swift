import Dispatch
import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The memory limit, timeout and cancellation of every query path, through the public API, the session and
/// the CLI: exceeding one is a clear `limit` or `cancelled` error, and the database answers afterwards.
@Suite("Query limits: memory, timeout, cancellation")
struct QueryLimitTests {
    /// A table `t` of `rows` random rows, in small blocks so scans check often.
    static func database(rows: Int = 8000) throws -> Database {
        var options = Database.Options()
        options.blockRowCount = 1024
        let db = Database.inMemory(options: options)
        try db.createTable(RandomTable.spec()).append(RandomTable.batch(rows: rows, days: 4, seed: 5))
        return db
    }

    static let small = QueryOptions(memoryLimit: 64_000)

    /// Runs `body`, expecting a `code` error whose message contains `text`.
    static func expectError(
        _ code: StrataError.Code, _ text: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws(StrataError) -> Void
    ) {
        do {
            try body()
            Issue.record("no \(code) error", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(text), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    static func stillAnswers(_ db: Database) throws {
        #expect(try db.query("SELECT count(*) AS n FROM t").rows == [[.int64(8000)]])
    }

    @Test(
        "SQL over a small memory limit fails with a limit error naming the limit (results, groups, sorts, distinct)",
        arguments: [
            "SELECT * FROM t",
            "SELECT user || country AS k, count(*) FROM t GROUP BY 1",
            "SELECT score * 2 AS s FROM t ORDER BY s",
            "SELECT DISTINCT user, amount + 1 FROM t",
            "SELECT count(DISTINCT amount + 1) FROM t",
            "SELECT user, count(*), sum(amount) FROM t GROUP BY user",
            "SELECT quantile_cont(amount * 2, 0.5) FROM t",
            "SELECT user, row_number() OVER (PARTITION BY country ORDER BY amount) FROM t",
            "SELECT sum(amount) OVER (ORDER BY ts ROWS 10 PRECEDING) FROM t LIMIT 1",
        ])
    func sqlMemoryLimit(sql: String) throws {
        let db = try Self.database()
        Self.expectError(.limit, "memory limit of 64 KB") { () throws(StrataError) in
            _ = try db.query(sql, options: Self.small)
        }
        _ = try db.query(sql, options: QueryOptions(memoryLimit: 1 << 30))
        try Self.stillAnswers(db)
    }

    @Test("native queries, scan queries and experiment analysis honour the memory limit")
    func otherPathsMemoryLimit() throws {
        let db = try Self.database()
        var query = Query(table: "t", groupBy: [.column("user")])
        query.aggregations = [Aggregation("d", .countDistinct, column: "count")]
        Self.expectError(.limit, "memory limit of 64 KB") { () throws(StrataError) in
            _ = try db.execute(query, options: Self.small)
        }
        let snapshot = try db.table(named: "t").snapshot()
        Self.expectError(.limit, "memory limit of 64 KB") { () throws(StrataError) in
            _ = try snapshot.query("SELECT * FROM t", options: Self.small)
        }
        Self.expectError(.limit, "memory limit of 64 KB") { () throws(StrataError) in
            _ = try snapshot.scan(context: QueryContext(options: Self.small))
        }
        Self.expectError(.limit, "memory limit of 64 KB") { () throws(StrataError) in
            _ = try db.execute(ScanQuery(table: "t", columns: ["user", "country", "amount"]), options: Self.small)
        }
        let experiments = try ExperimentSQLTests.database()
        let analysis = try ExperimentSQLTests.analysis()
        Self.expectError(.limit, "memory limit of 4 KB") { () throws(StrataError) in
            _ = try experiments.analyzeExperiment(analysis, table: "events", options: QueryOptions(memoryLimit: 4000))
        }
        Self.expectError(.limit, "memory limit of 4 KB") { () throws(StrataError) in
            _ = try experiments.query(
                "SELECT * FROM \(ExperimentSQLTests.call())", options: QueryOptions(memoryLimit: 4000))
        }
        #expect(
            try experiments.analyzeExperiment(analysis, table: "events", options: QueryOptions()).overall.metrics
                .count == 3)
        try Self.stillAnswers(db)
    }

    @Test("ingest over its memory limit or past its timeout stores nothing and says why")
    func ingestLimits() throws {
        let db = try Self.database()
        let csv = Array(
            ("ts,country,user,cohort,score,flag,seen,amount,count\n"
                + String(repeating: "2026-01-01 00:00:00,DE,u1,1,1.5,true,2026-01-01 00:00:00,2.5,3\n", count: 2000))
                .utf8)
        let table = try db.table(named: "t")
        Self.expectError(.limit, "the ingest exceeded its memory limit of 10 KB") { () throws(StrataError) in
            try table.ingest(csvData: csv, options: IngestOptions(limits: QueryOptions(memoryLimit: 10_000)))
        }
        Self.expectError(.limit, "timeout of") { () throws(StrataError) in
            try table.ingest(csvData: csv, options: IngestOptions(limits: QueryOptions(timeout: .nanoseconds(1))))
        }
        try Self.stillAnswers(db)
        #expect(try table.ingest(csvData: csv).rowsStored == 2000)
    }

    @Test("a timeout of 1 ms stops a longer query with a limit error")
    func timeout() throws {
        let db = try Self.database()
        let sql = "SELECT user || country AS k, count(DISTINCT amount + 1) AS d FROM t GROUP BY 1 ORDER BY d DESC, k"
        Self.expectError(.limit, "timeout of 1 ms") { () throws(StrataError) in
            _ = try db.query(sql, options: QueryOptions(timeout: .milliseconds(1)))
        }
        var query = Query(table: "t", groupBy: [.column("user")])
        query.aggregations = [Aggregation("d", .countDistinct, column: "count")]
        Self.expectError(.limit, "timeout of") { () throws(StrataError) in
            _ = try db.execute(query, options: QueryOptions(timeout: .nanoseconds(1)))
        }
        try Self.stillAnswers(db)
    }

    @Test("cancelling the query's task, or its context from another thread, ends it with a cancelled error")
    func cancellation() async throws {
        let db = try Self.database()
        let sql = "SELECT user || country AS k, count(DISTINCT amount + 1) AS d FROM t GROUP BY 1 ORDER BY d DESC, k"
        let task = Task { () async throws -> QueryResult in
            try await db.query(sql, options: QueryOptions())
        }
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("no cancelled error")
        } catch let error as StrataError {
            #expect(error.code == .cancelled)
        }

        // From another thread while it runs (or before it starts: the same error either way).
        let context = QueryContext()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(5)) { context.cancel() }
        Self.expectError(.cancelled, "cancelled") { () throws(StrataError) in
            // Long enough in any build that the cancel lands while it runs.
            for _ in 0..<1000 { _ = try db.query(sql, context: context) }
        }
        #expect(try await db.query("SELECT count(*) AS n FROM t", options: QueryOptions()).rows == [[.int64(8000)]])
    }

    @Test("the context accounts what operators hold and gives it back")
    func accounting() throws {
        let context = QueryContext(options: QueryOptions(memoryLimit: 1000))
        try context.reserve(bytes: 600)
        #expect(throws: StrataError.self) { try context.reserve(bytes: 600) }
        #expect(context.reservedBytes == 600)
        context.release(bytes: 600)
        try context.reserve(bytes: 1000)
        #expect(context.peakBytes == 1000)
        #expect(QueryContext.defaultMemoryLimit > 1 << 26)
        #expect(QueryContext.format(bytes: 512_000_000) == "512 MB")
        #expect(QueryContext.format(bytes: 1 << 30) == "1 GiB")
    }

    @Test("memory limits and timeouts parse as DuckDB and PostgreSQL write them")
    func parsing() throws {
        #expect(try QueryOptions.parseMemoryLimit("512MB") == 512_000_000)
        #expect(try QueryOptions.parseMemoryLimit("2 GiB") == 2 << 30)
        #expect(try QueryOptions.parseMemoryLimit("1.5gb") == 1_500_000_000)
        #expect(try QueryOptions.parseMemoryLimit("none") == Int.max)
        #expect(try QueryOptions.parseMemoryLimit("50%") > 0)
        #expect(try QueryOptions.parseTimeout("5s") == .seconds(5))
        #expect(try QueryOptions.parseTimeout("250ms") == .milliseconds(250))
        #expect(try QueryOptions.parseTimeout("2min") == .seconds(120))
        #expect(try QueryOptions.parseTimeout("1500") == .milliseconds(1500))
        #expect(try QueryOptions.parseTimeout("0") == nil)
        for bad in ["", "lots", "-5MB", "12 parsecs"] {
            #expect(throws: StrataError.self) { try QueryOptions.parseMemoryLimit(bad) }
        }
        for bad in ["", "soon", "-1s", "5 fortnights"] {
            #expect(throws: StrataError.self) { try QueryOptions.parseTimeout(bad) }
        }
    }

    @Test("SET, RESET and SHOW change a session's limits; bad values and names point at themselves")
    func sessionSettings() throws {
        let db = try Self.database()
        var out = ""
        var err = ""
        let session = SQLSession(database: db, output: { out += $0 }, errorOutput: { err += $0 })
        session.feed("SET memory_limit = '64KB';")
        #expect(session.options.memoryLimit == 64_000)
        session.feed("SELECT * FROM t;")
        #expect(err.contains("memory limit of 64 KB"))
        session.feed("SHOW memory_limit;")
        #expect(out.contains("64 KB"))
        session.feed("RESET memory_limit;")
        #expect(session.options.memoryLimit == nil)
        session.feed("SET statement_timeout TO '5s';")
        #expect(session.options.timeout == .seconds(5))
        session.feed("SET timeout = DEFAULT;")
        #expect(session.options.timeout == nil)
        err = ""
        session.feed("SET memory_limit = 'lots';")
        #expect(err.contains("invalid memory limit 'lots'"))
        #expect(err.contains("SET memory_limit = 'lots'\n                   ^"))
        err = ""
        session.feed("SET memory_limt = '1GB';")
        #expect(err.contains("did you mean 'memory_limit'?"))
        #expect(!session.cancel())
        out = ""
        session.feed("SELECT count(*) AS n FROM t;")
        #expect(out.contains("8000"))
        #expect(throws: StrataError.self) { try db.query("SET memory_limit = '1GB'") }
    }

    // MARK: CLI

    @Test(
        "strata query, experiment and ingest with --memory-limit and --timeout fail with exit status 1 and the reason",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func cli() throws {
        let dir = TestDirectory()
        let db = try SQLReplTests.fixtureDatabase(dir)
        let run = try SQLReplTests.strata(
            ["query", "--db", db, "--memory-limit", "100KB", "SELECT * FROM events ORDER BY ts"], input: "")
        #expect(run.status == 1)
        #expect(run.error.contains("limit error: the query exceeded its memory limit of 100 KB"), "\(run.error)")
        let timed = try SQLReplTests.strata(
            ["query", "--db", db, "--timeout", "1us", "SELECT * FROM events ORDER BY ts"], input: "")
        #expect(timed.status == 1)
        #expect(timed.error.contains("timeout of"), "\(timed.error)")
        let bad = try SQLReplTests.strata(["query", "--db", db, "--memory-limit", "lots", "SELECT 1"], input: "")
        #expect(bad.status != 0)
        #expect(bad.error.contains("invalid memory limit 'lots'"))
        let fine = try SQLReplTests.strata(
            ["query", "--db", db, "--memory-limit", "1GB", "--timeout", "1min", "SELECT count(*) AS n FROM events"],
            input: "")
        #expect(fine.status == 0, "\(fine.error)")
        let repl = try SQLReplTests.strata(
            ["repl", "--db", db, "--memory-limit", "100KB"],
            input: "SELECT * FROM events;\nSET memory_limit = '1GB';\nSELECT count(*) AS n FROM events;\n")
        #expect(repl.error.contains("memory limit of 100 KB"))
        #expect(repl.output.contains("2000"))
        let experiment = try SQLReplTests.strata(
            [
                "experiment", "--db", db, "--table", "events", "--experiment", "exp_005", "--metric",
                "converted=binomial(event = 'purchase')", "--baseline", "treatment", "--memory-limit", "100B",
            ], input: "")
        #expect(experiment.status == 1)
        #expect(experiment.error.contains("memory limit of 100 bytes"), "\(experiment.error)")
        let ingest = try SQLReplTests.strata(
            [
                "ingest", "--db", db, "--table", "events", "--memory-limit", "10KB",
                SQLReplTests.root.appendingPathComponent("Fixtures/sql/events.csv").path,
            ], input: "")
        #expect(ingest.status == 1)
        #expect(ingest.error.contains("the ingest exceeded its memory limit of 10 KB"), "\(ingest.error)")
    }

    @Test(
        "Ctrl-C in strata repl cancels the running statement and keeps the shell",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func replInterrupt() throws {
        let dir = TestDirectory()
        let path = dir.path + "/db"
        do {
            let db = try Database.open(at: path)
            try db.createTable(RandomTable.spec()).append(RandomTable.batch(rows: 400_000, days: 4, seed: 9))
            try db.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: IngestRoundTripTests.strataExecutable!)
        process.arguments = ["repl", "--db", path]
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        // A shell that has exited must fail a write with EPIPE, not kill the test runner with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        // Wait until the shell answers (its SIGINT handling is in place), then start the slow statement.
        try stdin.fileHandleForWriting.write(contentsOf: Data("SELECT 'ready' AS state;\n".utf8))
        var output = ""
        while !output.contains("ready") {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
        }
        let started = ContinuousClock.now
        // Seconds in a debug build (400,000 rows).
        let slow =
            "SELECT user || country || cohort AS k, count(DISTINCT amount + score) AS d FROM t GROUP BY 1 "
            + "ORDER BY d DESC, k LIMIT 1;\n"
        try stdin.fileHandleForWriting.write(contentsOf: Data(slow.utf8))
        Thread.sleep(forTimeInterval: 0.2)
        kill(process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.2)
        // At the idle prompt one Ctrl-C does not end the shell either.
        kill(process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.1)
        do {
            try stdin.fileHandleForWriting.write(contentsOf: Data("SELECT 42 AS answer;\n".utf8))
            try stdin.fileHandleForWriting.close()
        } catch {
            Issue.record("the shell exited before its input ended: \(error)")
        }
        output += String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let elapsed = started.duration(to: .now)
        #expect(process.terminationReason == .exit, "the shell died of the signal")
        #expect(output.contains("42"), "\(output)\n\(error)")
        if !error.contains("cancelled") {
            // The slow statement finished before the signal: nothing to cancel on this machine.
            print("replInterrupt: the statement ended in under 0.2 s (\(elapsed)); cancellation not exercised")
            return
        }
        #expect(error.contains("cancelled error: the query was cancelled"))
        // The ready check and the answer, not the cancelled statement.
        #expect(output.components(separatedBy: "(1 row)").count == 3, "\(output)")
    }
}
