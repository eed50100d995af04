import StrataCore

/// A scan query: selected columns of the rows that match, in segment order, limited.
public struct ScanQuery: Sendable, Hashable {
    public var table: String
    /// Stored column names; empty means all.
    public var columns: [String]
    public var intervals: [Range<Int64>]
    public var filter: Filter?
    public var limit: Int?
    public var offset: Int

    public init(
        table: String, columns: [String] = [], intervals: [Range<Int64>] = [], filter: Filter? = nil,
        limit: Int? = nil, offset: Int = 0
    ) {
        self.table = table
        self.columns = columns
        self.intervals = intervals
        self.filter = filter
        self.limit = limit
        self.offset = offset
    }
}
