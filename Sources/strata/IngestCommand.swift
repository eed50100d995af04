import ArgumentParser
import Foundation
import Strata
import StrataCore

/// `strata ingest`: loads CSV or JSON Lines files into a table, each file its own all-or-nothing call.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load CSV or JSON Lines files into a table.",
        discussion: """
            Each file is one all-or-nothing call: a line 'ok FILE' is printed when the file is stored \
            durably, so after a crash every acknowledged file is complete and no other file is partly stored. \
            The table is created from --spec if it does not exist.
            """
    )

    @Option(name: .long, help: "Database directory (created if missing).")
    var db: String

    @Option(name: .long, help: "Table name.")
    var table: String

    @Option(name: .long, help: "Table spec (JSON) used to create the table if it does not exist.")
    var spec: String?

    @Option(name: .long, help: "Input format: csv or jsonl (default: from the first file's extension, else csv).")
    var format: String?

    @Option(name: .customLong("on-error"), help: "fail (a bad row fails its file) or skip (store the good rows).")
    var onError: String = "fail"

    @Option(name: .long, help: "CSV field delimiter (one ASCII character; \\t for tab).")
    var delimiter: String = ","

    @OptionGroup var limits: LimitOptions

    @Option(name: .customLong("extra-columns"), help: "ignore or reject input columns the table does not have.")
    var extraColumns: String = "ignore"

    @Argument(help: "Input files.")
    var files: [String]

    func validate() throws {
        guard IngestOptions.ErrorPolicy(rawValue: onError) != nil else {
            throw ValidationError("--on-error must be fail or skip")
        }
        guard IngestOptions.ExtraColumnPolicy(rawValue: extraColumns) != nil else {
            throw ValidationError("--extra-columns must be ignore or reject")
        }
        if let format, IngestFormat(rawValue: format) == nil { throw ValidationError("--format must be csv or jsonl") }
        let d = delimiter == "\\t" ? "\t" : delimiter
        guard d.utf8.count == 1, let b = d.utf8.first, b < 0x80 else {
            throw ValidationError("--delimiter must be one ASCII character")
        }
        guard !files.isEmpty else { throw ValidationError("give at least one input file") }
    }

    func run() throws {
        let database = try Database.open(at: db)
        for note in database.recoveryNotes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let target: Table
        if database.tableNames.contains(where: { $0.lowercased() == table.lowercased() }) {
            target = try database.table(named: table)
        } else {
            guard let spec else {
                throw StrataError(.notFound, "table '\(table)' does not exist in \(db); give --spec to create it")
            }
            var tableSpec = try TableSpec.decode(json: try Data(contentsOf: URL(fileURLWithPath: spec)))
            tableSpec.name = table
            target = try database.createTable(tableSpec)
            print("created table '\(table)' from \(spec)")
        }
        let d = delimiter == "\\t" ? "\t" : delimiter
        let options = IngestOptions(
            onError: IngestOptions.ErrorPolicy(rawValue: onError)!,
            extraColumns: IngestOptions.ExtraColumnPolicy(rawValue: extraColumns)!, delimiter: d.utf8.first!,
            limits: try limits.queryOptions())
        let totalBytes = files.reduce(0) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0)
        }
        let progress = isatty(STDERR_FILENO) != 0 ? ProgressBar(total: totalBytes) : nil
        let clock = ContinuousClock()
        let start = clock.now
        var total = IngestReport()
        var failed = 0
        let fileFormat =
            format.flatMap(IngestFormat.init(rawValue:))
            ?? (files[0].hasSuffix(".jsonl") || files[0].hasSuffix(".ndjson") ? .jsonLines : .csv)
        target.ingestEach(files: files, format: fileFormat, options: options) { file, result in
            progress?.clear()
            switch result {
            case .success(let report):
                var line = "ok \(file): \(report.rowsStored) rows stored"
                if report.rowsRejected > 0 { line += ", \(report.rowsRejected) rejected" }
                print(line)
                fflush(nil)  // every acknowledged file is on stdout before the next is stored
                for problem in report.rejected { FileHandle.standardError.write(Data("  \(problem)\n".utf8)) }
                if report.rowsRejected > report.rejected.count {
                    FileHandle.standardError.write(
                        Data("  … \(report.rowsRejected - report.rejected.count) more rejected rows\n".utf8))
                }
                total.rowsRead += report.rowsRead
                total.rowsStored += report.rowsStored
                total.rowsRejected += report.rowsRejected
                total.bytes += report.bytes
                total.parseDuration += report.parseDuration
                progress?.advance(by: report.bytes, rows: total.rowsStored)
            case .failure(let error):
                failed += 1
                FileHandle.standardError.write(Data("failed \(file): \(error)\n".utf8))
            }
        }
        // Small files went to the log and the head: closing writes them as segments.
        try database.close()
        let seconds = max(Self.seconds(start.duration(to: clock.now)), 1e-9)
        let parse = Self.seconds(total.parseDuration)
        print(
            "\(total.rowsStored) rows stored, \(total.rowsRejected) rejected, \(files.count - failed) of \(files.count) files"
                + " in \(Self.format(seconds)) s: \(Self.format(Double(total.rowsStored) / seconds / 1e6))M rows/s,"
                + " \(Self.format(Double(total.bytes) / seconds / 1e6)) MB/s (parsing \(Self.format(parse)) s, overlapped with storing)"
        )
        if failed > 0 { throw ExitCode.failure }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// A one-line progress bar on stderr (only used when stderr is a terminal).
final class ProgressBar {
    let total: Int
    var done = 0

    init(total: Int) { self.total = max(total, 1) }

    func advance(by bytes: Int, rows: Int) {
        done += bytes
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(Int(fraction * 100))% \(rows) rows".utf8))
    }

    func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}
