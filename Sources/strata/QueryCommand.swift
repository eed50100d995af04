import ArgumentParser
import Foundation
import Strata
import StrataCore

/// `strata query`: runs one SQL statement and prints its result.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one SQL statement and print the result.",
        discussion: """
            Errors go to stderr with the query line and a caret under the problem; the exit status is then \
            non-zero. --timing prints one line time_ms=<ms> per run to stderr (parse, plan, execute and \
            materialize; not process start or opening the database), then median_ms=<ms>. Past --timeout or \
            --memory-limit the statement fails with a limit error (exit status 1). --param gives the values of \
            the statement's ? or $1 placeholders in order, --named-param NAME=VALUE those of $name ones; each \
            value is text, read as a string literal is (compared with a column it takes the column's type; \
            write CAST(? AS BIGINT) where nothing gives one). CREATE TABLE, DROP TABLE and INSERT open the \
            database for writing (creating it if missing); other statements open it read-only.
            """
    )

    @Option(name: .long, help: "Database directory.")
    var db: String

    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: String = "table"

    @Flag(name: .long, help: "Print time_ms=<ms> per run and median_ms=<ms> to stderr.")
    var timing = false

    @Option(name: .long, help: "Run the statement this many times in the same process (prints the last result).")
    var `repeat`: Int = 1

    @OptionGroup var limits: LimitOptions

    @Option(name: .long, help: "A value for the statement's next ? or $n placeholder (repeatable).")
    var param: [String] = []

    @Option(name: .long, help: "NAME=VALUE: a value for the statement's $NAME placeholder (repeatable).")
    var namedParam: [String] = []

    @Argument(help: "The SQL statement.")
    var sql: String

    func validate() throws {
        guard ResultFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be table, csv or json")
        }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard param.isEmpty || namedParam.isEmpty else {
            throw ValidationError("give --param or --named-param, not both: a statement uses one placeholder style")
        }
        _ = try namedValues()
    }

    /// The `--named-param NAME=VALUE` values by name.
    private func namedValues() throws -> [String: Value] {
        var values: [String: Value] = [:]
        for item in namedParam {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("--named-param takes NAME=VALUE, not '\(item)'")
            }
            values[String(item[..<equals])] = .string(String(item[item.index(after: equals)...]))
        }
        return values
    }

    /// Runs the statement with its parameters.
    private func query(_ database: Database, options: QueryOptions) throws -> QueryResult {
        namedParam.isEmpty
            ? try database.query(sql, param.map { .string($0) }, options: options)
            : try database.query(sql, try namedValues(), options: options)
    }

    func run() throws {
        // CREATE TABLE, DROP TABLE and INSERT open the database for writing (creating it if missing) and close it
        // after, so their rows are flushed; every other statement opens read-only.
        let writes = Database.changesData(sql)
        guard writes || FileManager.default.fileExists(atPath: db + "/CATALOG") else {
            FileHandle.standardError.write(Data("error: no Strata database in '\(db)'\n".utf8))
            throw ExitCode.failure
        }
        // Read-only: a query works beside a writer in another process and never changes the files.
        // One run keeps no decoded blocks for later: an export of any size stays within a batch's memory.
        var openOptions = Database.Options()
        if `repeat` == 1 { openOptions.blockCacheBytes = 0 }
        let database = try Database.open(at: db, options: openOptions, mode: writes ? .readWrite : .readOnly)
        defer {
            // The statement's rows are already durable (log or segments); closing flushes the head to segments.
            if writes {
                do { try database.close() } catch { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            }
        }
        for note in database.recoveryNotes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let options = try limits.queryOptions()
        // One run to CSV or JSON: rows are written as their batches arrive (an export of any size).
        if `repeat` == 1, !timing, !writes, let format = ResultFormat(rawValue: format),
            var writer = ResultStreamWriter(format: format, columns: [])
        {
            do {
                let stream =
                    namedParam.isEmpty
                    ? try database.stream(sql, param.map { .string($0) }, options: options)
                    : try database.stream(sql, try namedValues(), options: options)
                if stream.columns.map(\.name) == ["plan"] {
                    while let batch = try stream.next() {
                        let text = batch.rows.map { $0[0].description + "\n" }.joined()
                        FileHandle.standardOutput.write(Data(text.utf8))
                    }
                    return
                }
                writer = ResultStreamWriter(format: format, columns: stream.columns) ?? writer
                FileHandle.standardOutput.write(Data(writer.header().utf8))
                while let batch = try stream.next() { FileHandle.standardOutput.write(Data(writer.text(batch).utf8)) }
                FileHandle.standardOutput.write(Data(writer.footer().utf8))
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode.failure
            }
            return
        }
        let clock = ContinuousClock()
        var times: [Double] = []
        var result: QueryResult?
        for _ in 0..<`repeat` {
            let start = clock.now
            do {
                result = try query(database, options: options)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode.failure
            }
            let elapsed = start.duration(to: clock.now)
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
            times.append(ms)
            if timing { FileHandle.standardError.write(Data(String(format: "time_ms=%.3f\n", ms).utf8)) }
        }
        if let result {
            let text: String
            if result.columnNames == ["plan"] {
                text = result.rows.map { $0[0].description }.joined(separator: "\n") + "\n"
            } else {
                text = result.rendered(as: ResultFormat(rawValue: format)!, maxRows: Int.max)
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if timing {
            let sorted = times.sorted()
            let n = sorted.count
            let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
            FileHandle.standardError.write(Data(String(format: "median_ms=%.3f\n", median).utf8))
        }
    }
}
