package import StrataCore

/// Measurements of one plan run, per node in pre-order.
package final class PlanProfile: @unchecked Sendable {
    package struct Entry {
        package var rows: Int
        package var milliseconds: Double

        package init(rows: Int, milliseconds: Double) {
            self.rows = rows
            self.milliseconds = milliseconds
        }
    }

    package var entries: [Int: Entry] = [:]
    /// The native engine's work counters, per native node.
    package var nativeStats: [Int: QueryStats] = [:]
    package var next = 0

    package init() {}
}

/// Kleene truth values packed in a byte: false 0, unknown 1, true 2 — so AND is `min`, OR is `max`
/// and NOT is `2 - x`.
package enum Truth {
    package static let no: UInt8 = 0
    package static let unknown: UInt8 = 1
    package static let yes: UInt8 = 2
}
