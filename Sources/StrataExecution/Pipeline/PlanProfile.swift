import Synchronization

/// Measurements of one plan run, per node in pre-order. Workers of a parallel operator add their rows
/// and time to the same node's entry.
package final class PlanProfile: Sendable {
    package struct Entry: Sendable {
        package var rows: Int
        package var milliseconds: Double

        package init(rows: Int, milliseconds: Double) {
            self.rows = rows
            self.milliseconds = milliseconds
        }
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    package init() {}

    package var entries: [Int: Entry] {
        get { state.withLock { $0.entries } }
        set { state.withLock { $0.entries = newValue } }
    }

    /// The id the next node visited gets.
    package var next: Int {
        get { state.withLock { $0.next } }
        set { state.withLock { $0.next = newValue } }
    }

    /// Adds rows and time to node `id`'s entry.
    package func add(id: Int, rows: Int, milliseconds: Double) {
        state.withLock { s in
            var entry = s.entries[id] ?? Entry(rows: 0, milliseconds: 0)
            entry.rows += rows
            entry.milliseconds += milliseconds
            s.entries[id] = entry
        }
    }
}

/// Kleene truth values packed in a byte: false 0, unknown 1, true 2 — so AND is `min`, OR is `max`
/// and NOT is `2 - x`.
package enum Truth {
    package static let no: UInt8 = 0
    package static let unknown: UInt8 = 1
    package static let yes: UInt8 = 2
}
