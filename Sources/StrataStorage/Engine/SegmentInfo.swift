import StrataCore

/// Metadata of one live segment.
public struct SegmentInfo: Sendable, Hashable {
    public var id: String
    public var chunk: Range<Int64>
    public var version: UInt64
    public var rowCount: Int
    public var timeRange: ClosedRange<Int64>
    public var sizeBytes: Int
    /// Whether the segment is part of the in-memory head (recent appends not flushed yet).
    public var isHead: Bool

    package init(_ entry: SegmentEntry, isHead: Bool) {
        self.isHead = isHead
        id = entry.id
        chunk = entry.chunkStart..<entry.chunkEnd
        version = entry.version
        rowCount = entry.rowCount
        timeRange = min(entry.minTime, entry.maxTime)...entry.maxTime
        sizeBytes = entry.sizeBytes
    }
}
