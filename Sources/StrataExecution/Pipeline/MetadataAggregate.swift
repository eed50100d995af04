package import StrataCore
import StrataStorage

/// Answers `count(*)`, `count(x)`, `min(x)` and `max(x)` over whole segments from what the segments
/// record, without reading a row: row and null counts per block, zone maps (the smallest and largest
/// non-null integer or timestamp of a block), and a string column's sorted segment dictionary, whose
/// first and last entries are its smallest and largest values.
///
/// `nil` when some segment does not record enough (a table-wide dictionary, which may hold values the
/// segment lacks; doubles, whose zone maps do not order NaN as SQL does): the query then reads rows.
package enum MetadataAggregate {
    package enum Function: Sendable {
        case countStar, count, min, max
    }

    /// One aggregate: a function of a stored column (by position; ignored for `count(*)`).
    package struct Item: Sendable {
        package var function: Function
        package var column: Int

        package init(function: Function, column: Int) {
            self.function = function
            self.column = column
        }
    }

    /// Whether an aggregate of a column of `type` can be answered here.
    package static func answers(_ function: Function, type: DataType) -> Bool {
        switch function {
        case .countStar, .count: true
        case .min, .max:
            switch type {
            case .int64, .timestamp, .string, .decimal: true
            default: false
            }
        }
    }

    /// The aggregates over every segment of `source`, or `nil` when the metadata does not tell.
    package static func answer(_ items: [Item], source: ScanSource, context: QueryContext) throws(StrataError)
        -> [Value]?
    {
        var counts = [Int64](repeating: 0, count: items.count)
        var extremes = [Value](repeating: .null, count: items.count)
        for index in source.entries.indices {
            try context.check()
            let reader = try source.reader(index)
            for (k, item) in items.enumerated() {
                if item.function == .countStar {
                    counts[k] += Int64(reader.rowCount)
                    continue
                }
                let stored = source.columns[item.column]
                guard answers(item.function, type: stored.type), !stored.isSketch,
                    let c = reader.footer.columnIndex(named: stored.name)
                else { return nil }
                let descriptor = reader.footer.columns[c]
                let present = descriptor.blocks.reduce(0) { $0 + Int64($1.rowCount) - Int64($1.nullCount) }
                if item.function == .count {
                    counts[k] += present
                    continue
                }
                guard present > 0 else { continue }
                let candidate: Value
                if stored.type == .string {
                    guard !descriptor.column.tableDictionary else { return nil }
                    let dictionary = try reader.dictionary(column: c)
                    guard dictionary.count > 0 else { continue }
                    candidate = .string(dictionary[item.function == .min ? 0 : dictionary.count - 1])
                } else {
                    let zones = descriptor.blocks.filter { $0.hasRange }
                    guard zones.count == descriptor.blocks.filter({ $0.rowCount > $0.nullCount }).count else {
                        return nil
                    }
                    let bits =
                        item.function == .min ? zones.map(\.minInt).min() : zones.map(\.maxInt).max()
                    guard let bits else { continue }
                    candidate = ColumnData.int64([bits], validity: nil).value(at: 0, type: stored.type)
                }
                let current = extremes[k]
                if current.isNull {
                    extremes[k] = candidate
                } else if let order = ValueOrder.compare(candidate, current),
                    item.function == .min ? order < 0 : order > 0
                {
                    extremes[k] = candidate
                }
            }
        }
        return items.indices.map { k in
            switch items[k].function {
            case .countStar, .count: .int64(counts[k])
            case .min, .max: extremes[k]
            }
        }
    }
}
