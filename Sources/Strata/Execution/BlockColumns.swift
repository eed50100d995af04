import StrataCore
import StrataStorage

/// The decoded columns of one block, by stored-column index.
struct BlockColumns {
    var rowCount: Int
    var data: [Int: ColumnData]

    subscript(column: Int) -> ColumnData { data[column]! }
}

/// Kleene truth values packed in a byte: false 0, unknown 1, true 2 — so AND is `min`, OR is `max`
/// and NOT is `2 - x`.
enum Truth {
    static let no: UInt8 = 0
    static let unknown: UInt8 = 1
    static let yes: UInt8 = 2
}
