/// How ``Table/ingest(csv:options:)`` and its siblings read and validate input.
public struct IngestOptions: Sendable, Hashable {
    /// What happens to an ingest call that meets bad rows.
    public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
        /// All-or-nothing: if any row is bad, nothing from the call becomes visible and the call throws
        /// an `ingest` error listing the first bad rows.
        case fail
        /// Store the good rows; report every rejected row in ``IngestReport/rejected``.
        case skip
    }

    /// What to do with input columns (CSV header names, JSON fields) the table does not have.
    public enum ExtraColumnPolicy: String, Sendable, Hashable, CaseIterable {
        /// Read past them.
        case ignore
        /// Reject: a CSV header with an unknown column fails the file; a JSON object with an unknown
        /// field is a bad row.
        case reject
    }

    public var onError: ErrorPolicy
    public var extraColumns: ExtraColumnPolicy
    /// The CSV field separator (one ASCII byte, not a quote, CR or LF).
    public var delimiter: UInt8
    /// Longest accepted line (for CSV, record) in bytes.
    public var maxLineBytes: Int
    /// With ``ErrorPolicy/fail``: how many bad rows the error lists before reading stops.
    public var maxListedErrors: Int
    /// With ``ErrorPolicy/skip``: how many rejected rows ``IngestReport/rejected`` keeps (all are counted).
    public var maxReportedRejections: Int
    /// The timeout and memory limit of each ingest call (each file of ``Table/ingestEach(files:format:options:acknowledge:)``):
    /// parsing checks them every 65,536 rows, and the file's bytes and parsed columns count against the memory
    /// limit; past either, the call fails with a `limit` error and stores nothing.
    public var limits: QueryOptions

    public init(
        onError: ErrorPolicy = .fail, extraColumns: ExtraColumnPolicy = .ignore, delimiter: UInt8 = UInt8(ascii: ","),
        maxLineBytes: Int = 1 << 20, maxListedErrors: Int = 10, maxReportedRejections: Int = 10_000,
        limits: QueryOptions = QueryOptions()
    ) {
        self.limits = limits
        self.onError = onError
        self.extraColumns = extraColumns
        self.delimiter = delimiter
        self.maxLineBytes = maxLineBytes
        self.maxListedErrors = maxListedErrors
        self.maxReportedRejections = maxReportedRejections
    }
}

/// One rejected input row: where it is and why.
public struct IngestProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based byte position in that line of the field at fault (1 for whole-row problems).
    public var column: Int
    public var reason: String

    public init(file: String, line: Int, column: Int, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `file:line:column: reason`.
    public var description: String { "\(file):\(line):\(column): \(reason)" }

    package var location: StrataError.Location { .init(file: file, line: line, column: column) }
}
