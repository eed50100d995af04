public import StrataCore
import StrataStorage

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
    /// and published in one catalog version.
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
    public func ingest(jsonLines paths: [String], options: IngestOptions = .init()) throws(StrataError) -> IngestReport {
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

    func ingest(sources: [IngestSource], format: IngestFormat, options: IngestOptions) throws(StrataError)
        -> IngestReport
    {
        let delimiter = options.delimiter
        guard delimiter < 0x80, delimiter != 0x22, delimiter != 0x0A, delimiter != 0x0D else {
            throw StrataError(.invalidArgument, "the CSV delimiter must be one ASCII character other than a quote, CR or LF")
        }
        guard options.maxLineBytes > 0 else { throw StrataError(.invalidArgument, "the line length limit must be positive") }
        let clock = ContinuousClock()
        let start = clock.now
        var report = IngestReport()
        var columns = IngestColumns(spec: spec)
        var problems = ProblemLog(options: options)
        for source in sources {
            let bytes: [UInt8]
            let name: String
            switch source {
            case .file(let path):
                bytes = try FileSystem.readFile(path)
                name = path
            case .bytes(let data, let n):
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
                        try reader.read(raw, file: name, into: &columns, problems: &problems)
                    }
                }
                read = try result.get()
            case .jsonLines:
                let reader = JSONLinesReader(spec: spec, options: options)
                read = bytes.withUnsafeBytes { reader.read($0, file: name, into: &columns, problems: &problems) }
            }
            report.rowsRead += read
            if problems.shouldStop { break }
        }
        report.parseDuration = start.duration(to: clock.now)
        if problems.count > 0 && options.onError == .fail {
            throw problems.error(stoppedEarly: problems.shouldStop)
        }
        report.rowsRejected = problems.count
        report.rejected = problems.problems
        report.rowsStored = columns.rowCount
        if columns.rowCount > 0 {
            let stored = try store(columns.finish())
            report.segmentsWritten = stored.segments
            report.rowsAfterRollup = stored.rows
        }
        report.duration = start.duration(to: clock.now)
        return report
    }
}
