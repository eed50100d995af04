import StrataCore
import StrataStorage

/// The decoded columns of one block, by stored-column index.
struct BlockColumns {
    var rowCount: Int
    var data: [Int: ColumnData]
    /// Sorted dictionaries of the string columns in `data` (their `ColumnData` carries codes only).
    var dictionaries: [Int: StringDictionary] = [:]

    /// The value at `row` of a column, boxed (strings read through the segment dictionary).
    func value(_ column: Int, at row: Int, type: DataType) -> Value {
        let data = self[column]
        if case .string(_, let codes, let validity) = data, let dictionary = dictionaries[column] {
            return (validity?[row] ?? true) ? .string(dictionary[Int(codes[row])]) : .null
        }
        return data.value(at: row, type: type)
    }

    subscript(column: Int) -> ColumnData { data[column]! }
}
