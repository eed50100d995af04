/// A span of a query text, in UTF-8 bytes: where a token or an AST node was written.
///
/// Ranges let later stages (the binder, the planner) point at the exact place in the query when they
/// report an error; ``SQLSourceText`` turns an offset into a line, a column and a caret snippet.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    /// 0-based byte offset of the first byte.
    public var offset: Int
    /// Length in bytes.
    public var length: Int

    /// Creates a range of `length` bytes starting at byte `offset`.
    public init(offset: Int, length: Int) {
        self.offset = offset
        self.length = length
    }

    /// The byte offset just past the last byte.
    public var end: Int { offset + length }

    /// The smallest range that covers both `self` and `other`.
    public func union(_ other: SourceRange) -> SourceRange {
        let start = Swift.min(offset, other.offset)
        return SourceRange(offset: start, length: Swift.max(end, other.end) - start)
    }

    public var description: String { "\(offset)..<\(end)" }
}
