package import StrataCore
import Synchronization

/// What the scans of one query read and skipped, added up across workers: the query API's
/// ``QueryStats``.
///
/// A block counts as pruned when no row of it reached the operators above the scan without decoding
/// its other columns: its time zone map missed the range, the bitmap indexes allowed none of its rows, or
/// the filter, evaluated on the filter's own columns, kept none.
package final class ScanCounters: Sendable {
    private let stats = Mutex(QueryStats())

    package init() {}

    package func update(_ change: (inout QueryStats) -> Void) {
        stats.withLock { change(&$0) }
    }

    package var total: QueryStats { stats.withLock { $0 } }
}
