public import StrataCore

/// What an ingest call read and stored.
public struct IngestReport: Sendable, Hashable {
    /// Data rows read (good and rejected; header lines and blank lines not counted).
    public var rowsRead: Int = 0
    /// Rows handed to storage (before rollup merges any).
    public var rowsStored: Int = 0
    /// Rows stored after rollup (equal to ``rowsStored`` without rollup).
    public var rowsAfterRollup: Int = 0
    /// Rows rejected (with ``IngestOptions/ErrorPolicy/skip``; a failing call throws instead).
    public var rowsRejected: Int = 0
    /// The rejected rows, up to ``IngestOptions/maxReportedRejections``.
    public var rejected: [IngestProblem] = []
    /// Input bytes read.
    public var bytes: Int = 0
    /// Wall time of the call.
    public var duration: Duration = .zero
    /// Time spent reading and parsing (part of ``duration``).
    public var parseDuration: Duration = .zero
    /// Segments written.
    public var segmentsWritten: Int = 0

    public init() {}
}
