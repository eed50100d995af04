import ArgumentParser
import Foundation
import Strata
import StrataCore
import Synchronization

/// `strata append-loop` (hidden): appends small batches, printing `ack ID` after each append returns.
/// Used by the crash test (which kills it) and to measure small-append throughput.
struct AppendLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append-loop",
        abstract: "Append small batches in a loop (testing and benchmarking).",
        discussion: """
            Creates the table 'appends' (ts, batch, thread, value) if missing, then appends batches of \
            --rows rows, each tagged with a unique batch id, from --threads threads. Prints 'ack ID' once an \
            append has returned (unless --quiet), and a summary line at the end of a bounded run.
            """,
        shouldDisplay: false)

    @Option(name: .long, help: "Database directory (created if missing).")
    var db: String

    @Option(name: .long, help: "Rows per append.")
    var rows: Int = 10

    @Option(name: .long, help: "Appends per thread (default: until killed).")
    var count: Int?

    @Option(name: .long, help: "Appending threads.")
    var threads: Int = 1

    @Option(name: .long, help: "fsync or buffered.")
    var durability: String = "fsync"

    @Flag(name: .long, help: "Print no acknowledgement lines.")
    var quiet = false

    @Option(name: .long, help: "Flush a table's head at this many rows (Database.Options.headRowLimit).")
    var headRows: Int?

    @Option(name: .long, help: "Appends of at least this many rows are written as segments directly.")
    var directRows: Int?

    @Option(name: .long, help: "Compact a time chunk once it has this many segments.")
    var compactSegments: Int?

    @Option(name: .long, help: "Make every Nth append of a thread a large one (--direct-rows rows, written directly).")
    var largeEvery: Int?

    static func spec() -> TableSpec {
        TableSpec(
            name: "appends", timestamp: TimestampSpec(column: "ts"),
            dimensions: [DimensionSpec(name: "batch", type: .string), DimensionSpec(name: "thread", type: .int64)],
            metrics: [MetricSpec(name: "value", type: .int64)], segmentGranularity: .day)
    }

    func validate() throws {
        guard rows > 0, threads > 0,
            [count, headRows, directRows, compactSegments, largeEvery].allSatisfy({ $0 ?? 1 > 0 })
        else {
            throw ValidationError("--rows, --threads, --count and the sizes must be positive")
        }
        guard durability == "fsync" || durability == "buffered" else {
            throw ValidationError("--durability must be fsync or buffered")
        }
    }

    func run() throws {
        var options = Database.Options()
        options.durability = durability == "fsync" ? .fsync : .buffered
        if let headRows { options.headRowLimit = headRows }
        if let directRows { options.directWriteRows = directRows }
        if let compactSegments { options.compactionSegmentCount = compactSegments }
        let database = try Database.open(at: db, options: options)
        let table =
            database.tableNames.contains("appends")
            ? try database.table(named: "appends") : try database.createTable(Self.spec())
        let run = ProcessInfo.processInfo.processIdentifier
        let base = try Timestamp.parse("2026-10-01").get()
        let output = Mutex<Void>(())
        let failure = Mutex<StrataError?>(nil)
        let clock = ContinuousClock()
        let start = clock.now
        let (count, quiet, largeEvery) = (self.count, self.quiet, self.largeEvery)
        let (small, large) = (self.rows, options.directWriteRows)
        // Own threads, not a pool sized to the cores: appenders mostly wait for log syncs.
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread {
                defer { group.leave() }
                var n = 0
                while count.map({ n < $0 }) ?? true {
                    let id = "\(run)-\(thread)-\(n)"
                    let rows = largeEvery.map { n % $0 == $0 - 1 } ?? false ? large : small
                    // Three days of timestamps: appends land in different chunks, as late events do.
                    let ts = (0..<rows).map { base + Int64((n + $0) % 3) * Timestamp.millisecondsPerDay + Int64($0) }
                    let batch = ColumnBatch([
                        "ts": .timestamp(ts), "batch": .string([String](repeating: id, count: rows)),
                        "thread": .int64([Int64](repeating: Int64(thread), count: rows)),
                        "value": .int64((0..<rows).map { Int64($0) }),
                    ])
                    do throws(StrataError) {
                        try table.append(batch)
                    } catch {
                        failure.withLock { $0 = $0 ?? error }
                        return
                    }
                    if !quiet {
                        output.withLock { _ in FileHandle.standardOutput.write(Data("ack \(id) \(rows)\n".utf8)) }
                    }
                    n += 1
                }
            }.start()
        }
        group.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        let elapsed = start.duration(to: clock.now)
        let stats = database.statistics
        try database.close()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let appends = threads * (count ?? 0)
        print(
            "appended \(appends) batches of \(small) rows from \(threads) threads (\(durability)) in "
                + String(
                    format: "%.2f s: %.0f appends/s, %.0f rows/s; ", seconds, Double(appends) / seconds,
                    Double(appends * small) / seconds)
                + "\(stats.logSyncs) log syncs, \(stats.headMerges) head merges, \(stats.headFlushes) head flushes")
    }
}
