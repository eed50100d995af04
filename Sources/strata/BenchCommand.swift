import ArgumentParser
import Foundation
import Strata
import StrataCore
import StrataDatasets

/// `strata bench`: the benchmark suite (issue 7). Generates or reuses the events CSV, ingests it through
/// the CSV path with the tuned or the plain spec, then runs the suite files (events.sql, dashboard.sql) with
/// a warm-up and timed runs, on the table and (tuned spec) on a rolled-up copy of it.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Ingest the events dataset and time the dashboard query suites.",
        discussion: """
            The CSV files (strata generate) are kept in --data and reused when they hold the same --rows. \
            Ingest is the CSV path of `strata ingest` (one all-or-nothing call per day file, the next file \
            parsed while one is stored); its rows/s include parsing. Each query runs once to warm up, then \
            --runs times; the time is the engine's (parse, plan, execute, materialize), as `strata query \
            --timing` reports it. Every file given with --queries runs (default: the tuned suite events.sql and \
            dashboard.sql, queries as users write them); a name two files share is prefixed with its file's stem \
            (dashboard/NAME). Peak memory is VmHWM, reset between ingest and queries. The exit status is \
            non-zero when a suite query fails, an answer differs from DuckDB's (--answers) or a rollup answer \
            differs from the table's; a rollup query the engine cannot answer yet is reported as a gap.
            """
    )

    @Option(help: "Rows of events (over 30 days).")
    var rows: Int = 1_000_000

    @Option(help: "Directory of the CSV files (default /tmp/strata-bench/events-ROWS; kept for reuse).")
    var data: String?

    @Option(help: "Database directory (default: a temporary one, deleted afterwards; replaced if it is a database).")
    var db: String?

    @Option(help: "Timed runs per query (after one warm-up run).")
    var runs: Int = 5

    @Option(help: "Output: table or json.")
    var format: String = "table"

    @Option(help: "A query suite file; repeat the option for several.")
    var queries: [String] = ["Benchmarks/queries/events.sql", "Benchmarks/queries/dashboard.sql"]

    @Option(
        help: """
            The events table's spec: tuned (\(BenchSpec.tunedPath): a table dictionary for user_id, a sort key), \
            plain (\(BenchSpec.plainPath): neither, as a user writes it from the README) or a spec file of a \
            table named events.
            """)
    var spec: String = "tuned"

    @Option(
        name: .customLong("rollup-spec"),
        help: """
            Spec of the rolled-up copy, which runs the '-- rollup: yes' queries; 'none' to skip. Default: \
            events_minutely-spec.json beside the first --queries file with the tuned spec; none with any other \
            spec, whose runs time the table alone.
            """)
    var rollupSpec: String?

    @Option(help: "Only the queries whose name contains this text.")
    var filter: String?

    @Option(
        help: """
            DuckDB's answers to one suite file (Benchmarks/peers/bench_answers.py writes \
            Benchmarks/queries/STEM-answers-ROWS.json for STEM.sql); repeat for several. Every answer of that \
            file's queries, the table's and the rolled-up copy's, must equal them; a difference fails the run. \
            Suite files without an answers file are timed, not checked.
            """)
    var answers: [String] = []

    func validate() throws {
        guard rows > 0 && rows <= EventsDataset.maxRows else {
            throw ValidationError("--rows must be between 1 and \(EventsDataset.maxRows)")
        }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard format == "table" || format == "json" else { throw ValidationError("--format must be table or json") }
        guard !queries.isEmpty else { throw ValidationError("--queries needs a file") }
    }

    func run() throws {
        var suite = try BenchSuiteFile.read(queries)
        let duckdb = try Self.answers(answers, rows: rows, queries: queries)
        if let filter { suite = suite.filter { $0.name.contains(filter) } }
        let events = try BenchSpec.resolve(spec)
        let log = Log(quiet: format == "json")
        var report = BenchReport(
            rows: rows, runs: runs, date: Self.today(), cores: ProcessInfo.processInfo.activeProcessorCount,
            spec: .init(name: events.name, path: events.path), queryFiles: queries)

        let dataDirectory = data ?? "/tmp/strata-bench/events-\(rows)"
        let (files, generated) = try Self.dataset(rows: rows, in: dataDirectory, log: log)
        report.data = .init(
            directory: dataDirectory, files: files.count, bytes: files.reduce(0) { $0 + Self.size($1) },
            generated: generated)

        let temporary = db == nil
        let dbDirectory = db ?? NSTemporaryDirectory() + "strata-bench-db-\(getpid())"
        try Self.prepare(database: dbDirectory)
        defer { if temporary { try? FileManager.default.removeItem(atPath: dbDirectory) } }

        let rollupPath =
            rollupSpec
            ?? (events.rollupByDefault
                ? URL(fileURLWithPath: queries[0]).deletingLastPathComponent().path + "/events_minutely-spec.json"
                : "none")
        let rollup: TableSpec? =
            rollupPath == "none" || !FileManager.default.fileExists(atPath: rollupPath)
            ? nil : try TableSpec.decode(json: try Data(contentsOf: URL(fileURLWithPath: rollupPath)))

        // Ingest, in a scope of its own so that its memory is gone before the queries run.
        do {
            let database = try Database.open(at: dbDirectory)
            log.line("ingesting \(files.count) CSV files (\(report.data.bytes / 1_000_000) MB) …")
            report.ingest.append(
                try Self.ingest(
                    files, into: try database.createTable(events.table),
                    database: dbDirectory, log: log))
            if let rollup {
                report.ingest.append(
                    try Self.ingest(
                        files, into: try database.createTable(rollup),
                        database: dbDirectory, log: log))
            }
        }
        report.storageBytes = ProcessMemory.directoryBytes(dbDirectory)

        report.peakResetBeforeQueries = ProcessMemory.resetPeak()
        let database = try Database.open(at: dbDirectory)
        var tableAnswers: [String: QueryResult] = [:]
        for query in suite {
            log.progress("query \(query.name) …")
            var measured = Self.measure(query.sql, on: database, runs: runs)
            if let result = measured.result {
                tableAnswers[query.name] = result
                measured.mismatch = duckdb[Self.fileName(query.file)]?.difference(query: query, result)
            }
            report.queries.append(measured.entry(query, table: "events"))
        }
        if let rollup {
            for query in suite where query.onRollup {
                log.progress("query \(query.name) on \(rollup.name) …")
                var measured = Self.measure(query.reading(rollup.name), on: database, runs: runs)
                if let result = measured.result, let expected = tableAnswers[query.name] {
                    measured.mismatch =
                        AnswerComparison.difference(expected, result, shapeOnly: query.shapeOnly)
                        ?? duckdb[Self.fileName(query.file)]?.difference(query: query, result)
                }
                report.rollupQueries.append(measured.entry(query, table: rollup.name))
            }
        }
        report.peakMemoryQueriesBytes = ProcessMemory.peakResidentBytes()
        log.progress(nil)

        if format == "json" {
            print(try report.json())
        } else {
            print(report.text())
        }
        if report.failures > 0 { throw ExitCode.failure }
    }

    // MARK: Steps

    /// The answers files by the file name of the suite they answer; each must be for `rows` and for a suite
    /// file of the run.
    static func answers(_ paths: [String], rows: Int, queries: [String]) throws -> [String: BenchAnswers] {
        var bySuite: [String: BenchAnswers] = [:]
        let suites = Set(queries.map(fileName))
        for path in paths {
            let answers = try BenchAnswers.read(path)
            guard answers.rows == rows else {
                throw ValidationError("the answers file '\(path)' is for \(answers.rows) rows, not --rows \(rows)")
            }
            guard suites.contains(answers.suite) else {
                throw ValidationError(
                    "the answers file '\(path)' is for \(answers.suite), which no --queries file is")
            }
            guard bySuite.updateValue(answers, forKey: answers.suite) == nil else {
                throw ValidationError("two answers files are for \(answers.suite)")
            }
        }
        return bySuite
    }

    /// The dataset's CSV files in `directory`, generated unless a previous run left the same rows there.
    static func dataset(rows: Int, in directory: String, log: Log) throws -> (files: [String], generated: Bool) {
        let marker = directory + "/.strata-bench"
        let expected = "rows=\(rows) seed=42\n"
        let files = (0..<EventsDataset.dayCount).map { directory + "/" + EventsDataset.fileName(dayIndex: $0) }
        if (try? String(contentsOfFile: marker, encoding: .utf8)) == expected,
            files.allSatisfy({ FileManager.default.fileExists(atPath: $0) })
        {
            log.line("reusing \(rows) rows of CSV in \(directory)")
            return (files, false)
        }
        log.line("generating \(rows) rows of CSV into \(directory) …")
        try? FileManager.default.removeItem(atPath: marker)
        let summary = try EventsDataset(rows: rows, seed: 42).writeCSV(to: directory)
        try Data(expected.utf8).write(to: URL(fileURLWithPath: marker))
        return (summary.files, true)
    }

    /// Makes `directory` an empty place for a database: it must not exist, be empty, or hold a database.
    static func prepare(database directory: String) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: directory) else { return }
        let contents = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
        guard contents.isEmpty || manager.fileExists(atPath: directory + "/CATALOG") else {
            throw StrataError(.invalidArgument, "--db '\(directory)' exists and is not a Strata database")
        }
        try manager.removeItem(atPath: directory)
    }

    static func ingest(_ files: [String], into table: Table, database: String, log: Log) throws -> BenchReport.Ingest {
        let clock = ContinuousClock()
        let start = clock.now
        var rowsRead = 0
        var failure: StrataError?
        table.ingestEach(files: files, format: .csv) { file, result in
            switch result {
            case .success(let report):
                rowsRead += report.rowsRead
            case .failure(let error):
                failure = failure ?? error
            }
        }
        let seconds = Self.seconds(start.duration(to: clock.now))
        if let failure { throw failure }
        let entry = BenchReport.Ingest(
            table: table.spec.name, rowsRead: rowsRead, rowsStored: table.rowCount, seconds: seconds,
            rowsPerSecond: Double(rowsRead) / max(seconds, 1e-9),
            // Segments plus the table's table-wide dictionaries (stored beside them, e.g. user_id).
            storageBytes: table.segments.reduce(0) { $0 + $1.sizeBytes }
                + ProcessMemory.directoryBytes(database + "/dictionaries/" + table.spec.name),
            segments: table.segments.count,
            peakMemoryBytes: ProcessMemory.peakResidentBytes())
        log.line(entry.summary)
        return entry
    }

    /// One warm-up run, then `runs` timed ones; stops at the first error.
    static func measure(_ sql: String, on database: Database, runs: Int) -> Measurement {
        var measurement = Measurement(sql: sql)
        let clock = ContinuousClock()
        for run in 0...runs {
            let start = clock.now
            do {
                let result = try database.query(sql)
                let ms = Self.seconds(start.duration(to: clock.now)) * 1000
                if run == 0 {
                    measurement.firstMs = ms
                    measurement.coldStats = result.stats
                } else {
                    measurement.samples.append(ms)
                }
                measurement.result = result
            } catch {
                measurement.error = "\(error)"
                measurement.result = nil
                return measurement
            }
        }
        return measurement
    }

    struct Measurement {
        var sql: String
        var firstMs = 0.0
        var samples: [Double] = []
        var coldStats = QueryStats()
        var result: QueryResult?
        var error: String?
        var mismatch: String?

        func entry(_ query: BenchQuery, table: String) -> BenchReport.Query {
            BenchReport.Query(
                name: query.name, file: query.file, table: table, sql: sql, error: error, mismatch: mismatch,
                latency: error == nil ? LatencySummary(samples) : nil, firstMs: error == nil ? firstMs : nil,
                resultRows: result?.rows.count, stats: result.map { BenchReport.Stats($0.stats, cold: coldStats) })
        }
    }

    // MARK: Helpers

    /// The last path component: answers files name their suite by it (`events.sql`).
    static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }

    /// Progress on stderr (table output) so that stdout holds only the report.
    struct Log {
        let quiet: Bool
        let terminal = isatty(STDERR_FILENO) != 0

        func line(_ text: String) {
            guard !quiet else { return }
            progress(nil)
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }

        func progress(_ text: String?) {
            guard terminal else { return }
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + (text ?? "")).utf8))
        }
    }
}
