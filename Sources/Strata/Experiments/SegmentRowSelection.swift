import StrataCore
import StrataExecution
import StrataStorage

/// The rows of one segment that a filter selects, resolved through the segment's indexes where it can:
/// equality and `IN` on bitmap-indexed string columns at the top level of the filter become roaring
/// bitmaps (intersected); whatever is left is a per-block residual predicate on dictionary codes.
struct SegmentRowSelection {
    /// Rows that may match; `nil`: every row of the segment.
    var candidates: RoaringBitmap?
    /// What the candidates must still satisfy.
    var residual: SegmentPredicate?
    /// Stored-column indexes the residual reads.
    var residualColumns: [Int]
    /// The filter can match no row of the segment.
    var isEmpty: Bool

    /// Resolves a bound filter against a segment.
    ///
    /// - Parameters:
    ///   - filter: The filter, bound by ``QueryBinder`` (`nil`: every row).
    ///   - bound: The bound query the filter came from (for column types and stored indexes).
    ///   - reader: The segment.
    ///   - segmentColumn: Stored-column index → the segment's column index.
    static func resolve(
        _ filter: Filter?, bound: BoundQuery, reader: SegmentReader, segmentColumn: (Int) -> Int
    ) throws(StrataError) -> SegmentRowSelection {
        guard let filter else {
            return SegmentRowSelection(candidates: nil, residual: nil, residualColumns: [], isEmpty: false)
        }
        let conjuncts: [Filter] = if case .and(let parts) = filter { parts } else { [filter] }
        var candidates: RoaringBitmap?
        var rest: [Filter] = []
        for part in conjuncts {
            guard let bitmap = try indexed(part, bound: bound, reader: reader, segmentColumn: segmentColumn) else {
                rest.append(part)
                continue
            }
            candidates = candidates.map { $0.intersection(bitmap) } ?? bitmap
            if candidates!.isEmpty {
                return SegmentRowSelection(candidates: candidates, residual: nil, residualColumns: [], isEmpty: true)
            }
        }
        var residual: SegmentPredicate?
        var columns: [Int] = []
        if !rest.isEmpty {
            let combined = rest.count == 1 ? rest[0] : .and(rest)
            residual = try SegmentPredicate.compile(
                combined, bound: bound, reader: reader, segmentColumn: segmentColumn)
            columns = combined.columns.compactMap { bound.columns[$0.lowercased()]?.index }.sorted()
        }
        return SegmentRowSelection(candidates: candidates, residual: residual, residualColumns: columns, isEmpty: false)
    }

    /// The bitmap of an equality or `IN` on an indexed string column; `nil` when the part has no index.
    private static func indexed(
        _ part: Filter, bound: BoundQuery, reader: SegmentReader, segmentColumn: (Int) -> Int
    ) throws(StrataError) -> RoaringBitmap? {
        let name: String
        let values: [String]
        switch part {
        case .compare(let c, .equal, .string(let s)):
            name = c
            values = [s]
        case .in(let c, let list):
            var strings: [String] = []
            for v in list {
                guard case .string(let s) = v else { return nil }
                strings.append(s)
            }
            name = c
            values = strings
        default: return nil
        }
        guard let column = bound.columns[name.lowercased()], column.type == .string else { return nil }
        let index = segmentColumn(column.index)
        let descriptor = reader.footer.columns[index]
        guard descriptor.bitmapIndex != nil else { return nil }
        let dictionary = try reader.dictionary(column: index)
        var bitmaps: [RoaringBitmap] = []
        for value in values {
            if let code = dictionary.code(of: value) { bitmaps.append(try reader.bitmap(column: index, code: code)) }
        }
        return bitmaps.count == 1 ? bitmaps[0] : RoaringBitmap.union(bitmaps)
    }

    /// The selected rows of block `block` (offsets inside the block), given the block's sorted
    /// candidate rows (segment row numbers) or all rows.
    ///
    /// - Parameters:
    ///   - rows: Candidate segment rows inside the block, ascending; `nil`: every row of the block.
    ///   - blockStart: The segment row number of the block's first row.
    ///   - rowCount: Rows in the block.
    ///   - reader: The segment, for decoding the residual's columns.
    ///   - block: The block number.
    ///   - segmentColumn: Stored-column index → the segment's column index.
    func rows(
        _ rows: ArraySlice<UInt32>?, blockStart: Int, rowCount: Int, reader: SegmentReader, block: Int,
        segmentColumn: (Int) -> Int
    ) throws(StrataError) -> [Int32] {
        if let residual, !residual.mayMatch({ reader.footer.columns[segmentColumn($0)].blocks[block] }) {
            return []  // the zone maps rule the block out
        }
        var out: [Int32]
        if let rows {
            out = rows.map { Int32(Int($0) - blockStart) }
        } else {
            out = Array(0..<Int32(rowCount))
        }
        guard let residual, !out.isEmpty else { return out }
        var columns = BlockColumns(rowCount: rowCount, data: [:])
        for c in residualColumns {
            columns.data[c] = try reader.columnBlock(column: segmentColumn(c), block: block)
        }
        let truth = residual.evaluate(columns)
        return out.filter { truth[Int($0)] == Truth.yes }
    }
}
