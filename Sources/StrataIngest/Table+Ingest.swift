import Dispatch
import Foundation
public import StrataCore
import StrataFormats
public import StrataStorage
import Synchronization

/// The text formats ``Table`` ingests.
public enum IngestFormat: String, Sendable, Hashable, CaseIterable {
    case csv
    /// JSON Lines: one JSON object per line.
    case jsonLines = "jsonl"
}

extension Table {
    /// Ingests a CSV file with a header row.
    ///
    /// Header names map to the table's input columns by name (case-insensitive); every column of the
    /// spec must be present; extra columns are ignored or rejected (``IngestOptions/extraColumns``).
    /// Fields follow RFC 4180 (quotes, doubled quotes, embedded newlines, CRLF); an empty unquoted
    /// field is null; timestamps use the spec's `timestamp.format`.
    ///
    /// The call is all-or-nothing for what it stores: rows are written as one segment per time chunk
    /// and published in one catalog version, or — for calls below
    /// ``Database/Options/directWriteRows`` rows — logged as one write-ahead log record and added to
    /// the table's head.
    /// - Parameters:
    ///   - path: The file.
    ///   - options: Error policy, delimiter, limits.
    /// - Returns: What was read, stored and rejected.
    /// - Throws: `ingest` with the first bad rows as `file:line:column: reason` (policy `fail`), or for
    ///   a bad header; `io` if the file cannot be read or storing fails.
    /// - Complexity: O(bytes) to parse, O(n log n) to sort rows into segment order.
    @discardableResult
    public func ingest(csv path: String, options: IngestOptions = .init()) throws(StrataError) -> IngestReport {
        try ingest(sources: [.file(path)], format: .csv, options: options)
    }

    /// Ingests several CSV files as one all-or-nothing call.
    @discardableResult
    public func ingest(csv paths: [String], options: IngestOptions = .init()) throws(StrataError) -> IngestReport {
        try ingest(sources: paths.map { .file($0) }, format: .csv, options: options)
    }

    /// Ingests CSV held in memory; `name` stands for the file in error positions.
    @discardableResult
    public func ingest(csvData: [UInt8], name: String = "<csv>", options: IngestOptions = .init()) throws(StrataError)
        -> IngestReport
    {
        try ingest(sources: [.bytes(csvData, name: name)], format: .csv, options: options)
    }

    /// Ingests a JSON Lines file: one object per line, fields by name, missing or `null` fields are null.
    /// - Throws: as ``ingest(csv:options:)-(String,_)``.
    @discardableResult
    public func ingest(jsonLines path: String, options: IngestOptions = .init()) throws(StrataError) -> IngestReport {
        try ingest(sources: [.file(path)], format: .jsonLines, options: options)
    }

    /// Ingests several JSON Lines files as one all-or-nothing call.
    @discardableResult
    public func ingest(jsonLines paths: [String], options: IngestOptions = .init()) throws(StrataError) -> IngestReport
    {
        try ingest(sources: paths.map { .file($0) }, format: .jsonLines, options: options)
    }

    /// Ingests JSON Lines held in memory; `name` stands for the file in error positions.
    @discardableResult
    public func ingest(jsonLinesData: [UInt8], name: String = "<jsonl>", options: IngestOptions = .init())
        throws(StrataError) -> IngestReport
    {
        try ingest(sources: [.bytes(jsonLinesData, name: name)], format: .jsonLines, options: options)
    }

    /// Ingests files of the given format as one all-or-nothing call.
    @discardableResult
    public func ingest(files paths: [String], format: IngestFormat, options: IngestOptions = .init())
        throws(StrataError) -> IngestReport
    {
        try ingest(sources: paths.map { .file($0) }, format: format, options: options)
    }

    enum IngestSource {
        case file(String)
        case bytes([UInt8], name: String)
    }

    /// Ingests files one by one, each its own all-or-nothing call, reporting each as it is stored.
    ///
    /// While one file is being stored, the next is parsed on another thread. `acknowledge` runs on the
    /// calling thread, in file order, after a file is stored durably (or has failed, storing nothing).
    /// - Parameters:
    ///   - paths: The files, stored in this order.
    ///   - format: Their format.
    ///   - options: As for ``ingest(files:format:options:)``; each file gets the policy separately.
    ///   - acknowledge: Called once per file with its report or its error.
    public func ingestEach(
        files paths: [String], format: IngestFormat, options: IngestOptions = .init(),
        acknowledge: (String, Result<IngestReport, StrataError>) -> Void
    ) {
        guard !paths.isEmpty else { return }
        let spec = self.spec
        func parseAsync(_ path: String) -> PendingParse {
            let pending = PendingParse()
            pending.group.enter()
            DispatchQueue.global().async {
                let result = Result { () throws(StrataError) -> ParsedIngest in
                    try Self.parse(sources: [.file(path)], format: format, options: options, spec: spec)
                }
                pending.result.withLock { $0 = result }
                pending.group.leave()
            }
            return pending
        }
        var next = parseAsync(paths[0])
        for (i, path) in paths.enumerated() {
            let current = next
            current.group.wait()
            if i + 1 < paths.count { next = parseAsync(paths[i + 1]) }
            let parsed = current.result.withLock { $0.take() }!
            acknowledge(path, Result { () throws(StrataError) -> IngestReport in try commit(try parsed.get()) })
        }
    }

    func ingest(sources: [IngestSource], format: IngestFormat, options: IngestOptions) throws(StrataError)
        -> IngestReport
    {
        try commit(try Self.parse(sources: sources, format: format, options: options, spec: spec))
    }

    /// Parses sources into columns without touching the table.
    static func parse(sources: [IngestSource], format: IngestFormat, options: IngestOptions, spec: TableSpec)
        throws(StrataError) -> ParsedIngest
    {
        let delimiter = options.delimiter
        guard delimiter < 0x80, delimiter != 0x22, delimiter != 0x0A, delimiter != 0x0D else {
            throw StrataError(
                .invalidArgument, "the CSV delimiter must be one ASCII character other than a quote, CR or LF")
        }
        guard options.maxLineBytes > 0 else {
            throw StrataError(.invalidArgument, "the line length limit must be positive")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let context = QueryContext(options: options.limits, subject: "the ingest")
        var report = IngestReport()
        var columns = IngestColumns(spec: spec)
        var problems = ProblemLog(options: options)
        for source in sources {
            try context.check()
            let bytes: [UInt8]
            let name: String
            switch source {
            case .file(let path):
                // The file's bytes, and about as much again for its parsed columns, before reading it.
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                try context.reserve(bytes: size * 2)
                bytes = try FileSystem.readFile(path)
                name = path
            case .bytes(let data, let n):
                try context.reserve(bytes: data.count)
                bytes = data
                name = n
            }
            report.bytes += bytes.count
            if sources.count == 1 { columns.reserve(rows: bytes.count / 64) }
            let read: Int
            switch format {
            case .csv:
                let reader = CSVReader(spec: spec, options: options)
                // `withUnsafeBytes` is `rethrows` (untyped): carry the typed error out in a Result.
                let result = bytes.withUnsafeBytes { raw in
                    Result { () throws(StrataError) -> Int in
                        try reader.read(raw, file: name, into: &columns, problems: &problems, context: context)
                    }
                }
                read = try result.get()
            case .jsonLines:
                let reader = JSONLinesReader(spec: spec, options: options)
                let result = bytes.withUnsafeBytes { raw in
                    Result { () throws(StrataError) -> Int in
                        try reader.read(raw, file: name, into: &columns, problems: &problems, context: context)
                    }
                }
                read = try result.get()
            }
            report.rowsRead += read
            if problems.shouldStop { break }
        }
        if problems.count > 0 && options.onError == .fail {
            throw problems.error(stoppedEarly: problems.shouldStop)
        }
        report.rowsRejected = problems.count
        report.rejected = problems.problems
        report.rowsStored = columns.rowCount
        let data = columns.rowCount > 0 ? columns.finish() : []
        report.parseDuration = start.duration(to: clock.now)
        return ParsedIngest(data: data, report: report, start: start, context: context)
    }

    /// Stores parsed rows as one all-or-nothing call.
    func commit(_ parsed: ParsedIngest) throws(StrataError) -> IngestReport {
        var report = parsed.report
        let start = ContinuousClock.now
        // Past the timeout (or cancelled) while parsing or waiting: store nothing. Storing itself runs to the end.
        try parsed.context.check()
        if !parsed.data.isEmpty {
            let stored = try write(parsed.data)
            report.segmentsWritten = stored.segments
            report.rowsAfterRollup = stored.rows
        }
        report.duration = report.parseDuration + start.duration(to: ContinuousClock.now)
        return report
    }
}

/// Columns parsed from input, not yet stored.
struct ParsedIngest: Sendable {
    var data: [ColumnData]
    var report: IngestReport
    var start: ContinuousClock.Instant
    /// The call's limits, checked once more before storing.
    var context: QueryContext
}

/// A parse running on another thread.
final class PendingParse: Sendable {
    let group = DispatchGroup()
    let result = Mutex<Result<ParsedIngest, StrataError>?>(nil)
}
