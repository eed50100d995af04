import StrataCore

/// The estimated memory of materialized rows (`[[Value]]`), for a query's memory budget: each row is
/// an array (a heap object and its slot in the outer array) of values.
package enum RowMemory {
    static let valueBytes = MemoryLayout<Value>.stride

    package static func bytes(rows: Int, columns: Int) -> Int {
        rows &* (64 &+ columns &* valueBytes)
    }
}
