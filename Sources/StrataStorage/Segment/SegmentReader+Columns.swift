public import StrataCore

extension SegmentReader {
    /// Decodes every row of the segment into stored columns, one ``ColumnData`` per footer column
    /// (string columns keep the segment's sorted dictionary; columns with table-wide codes keep those
    /// codes, with an empty dictionary), for compaction and head merges.
    /// - Throws: `corruption` if a block fails its checksum.
    /// - Complexity: O(rows × columns).
    public func decodeAllColumns() throws(StrataError) -> [ColumnData] {
        var out: [ColumnData] = []
        out.reserveCapacity(footer.columns.count)
        for c in footer.columns.indices {
            var blocks: [ColumnData] = []
            blocks.reserveCapacity(blockCount)
            let tableWide = footer.columns[c].column.tableDictionary
            for b in 0..<blockCount {
                blocks.append(tableWide ? try decodedBlock(column: c, block: b) : try columnBlock(column: c, block: b))
            }
            if blocks.isEmpty {
                out.append(
                    footer.columns[c].column.isSketch
                        ? .sketch(bytes: [], offsets: [0], validity: nil) : Self.empty(footer.columns[c].column.type))
            } else {
                out.append(ColumnData.concatenate(blocks))
            }
        }
        return out
    }

    /// Decodes every row into columns ordered like `columns` (matched by name).
    /// - Throws: `corruption` if a block fails its checksum or the segment lacks one of the columns.
    public func decodeAllColumns(ordered columns: [StoredColumn]) throws(StrataError) -> [ColumnData] {
        let all = try decodeAllColumns()
        return try columns.map { column throws(StrataError) in
            guard let i = footer.columnIndex(named: column.name) else {
                throw StrataError(.corruption, "segment lacks column '\(column.name)'", location: .init(file: name))
            }
            return all[i]
        }
    }

    static func empty(_ type: DataType) -> ColumnData {
        switch type.physical {
        case .int64, .timestamp, .date, .decimal: .int64([], validity: nil)
        case .hugeint: .int64([], validity: nil)
        case .double: .double([], validity: nil)
        case .bool: .bool([], validity: nil)
        case .string: .string(dictionary: [], codes: [], validity: nil)
        }
    }
}
