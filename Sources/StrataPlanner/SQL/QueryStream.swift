public import StrataCore
import StrataExecution

/// The rows of a query, a batch at a time: a scan, filter and projection stream from the segments, so
/// exporting a whole table holds one batch, not the table. Each batch is a ``QueryResult`` with the
/// query's columns and some of its rows, in order.
///
/// ```swift
/// let stream = try db.stream("SELECT * FROM events WHERE country = 'DE'")
/// while let batch = try stream.next() { write(batch.rows) }
/// // or: for try await batch in stream { … }
/// ```
///
/// The stream reads the snapshot pinned when it was made. It is not thread-safe: one consumer.
public final class QueryStream: AsyncSequence, @unchecked Sendable {
    public typealias Element = QueryResult

    /// The result's columns (every batch has them).
    public let columns: [QueryResult.Column]
    private let source: BatchStream?
    private let sqlColumns: [SQLScope.Column]
    private var rows: [[Value]]
    private var offset = 0
    /// Rows per batch when the plan's rows were made all at once (a sort, an aggregate).
    static let rowsPerBatch = 4096

    init(columns: [SQLScope.Column], source: BatchStream?, rows: [[Value]] = []) {
        sqlColumns = columns
        self.columns = columns.map { QueryResult.Column(name: $0.name, type: $0.type.dataType) }
        self.source = source
        self.rows = rows
    }

    /// The next batch of rows, or `nil` after the last.
    /// - Throws: As ``Database/query(_:)``: a damaged segment, a limit, a cancelled context.
    public func next() throws(StrataError) -> QueryResult? {
        if let source {
            while let batch = try source.next() {
                if batch.count == 0 { continue }
                return SQLStatementRunner.result(columns: sqlColumns, rows: (0..<batch.count).map { batch.row($0) })
            }
            return nil
        }
        guard offset < rows.count else {
            rows = []
            return nil
        }
        let end = Swift.min(rows.count, offset + Self.rowsPerBatch)
        defer { offset = end }
        return SQLStatementRunner.result(columns: sqlColumns, rows: Array(rows[offset..<end]))
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: QueryStream

        public mutating func next() async throws -> QueryResult? { try stream.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}
