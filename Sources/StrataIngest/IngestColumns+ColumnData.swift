import StrataCore
import StrataFormats
import StrataStorage

extension IngestColumns {
    /// The columns as stored input, in ``TableSpec/storedInputColumns`` order.
    func finish() -> [ColumnData] {
        let time: [ColumnData] = hasTime ? [] : [.int64(Array(repeating: 0, count: rowCount), validity: nil)]
        return time + (0..<columnCount).map { c in
            let slot = slots[c]
            var validity: Bitset?
            if !nulls[c].isEmpty {
                var bits = Bitset(count: rowCount, value: true)
                for row in nulls[c] { bits[Int(row)] = false }
                validity = bits
            }
            switch kinds[c] {
            case .timestamp, .date, .int64, .decimal: return .int64(int64s[slot], validity: validity)
            case .double: return .double(doubles[slot], validity: validity)
            case .bool: return .bool(bools[slot], validity: validity)
            case .string:
                return .string(dictionary: strings[slot].dictionary(), codes: strings[slot].codes, validity: validity)
            }
        }
    }
}
