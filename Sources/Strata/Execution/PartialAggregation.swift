import StrataCore
import Synchronization

/// One worker's groups, aggregate states and counters. Each is filled by one thread, then merged
/// into the first after every worker has finished.
struct PartialAggregation: @unchecked Sendable {
    // Safety: a partial is owned by exactly one worker while scanning and read only after all
    // workers have joined; its accumulators are never shared between live threads.
    var groups: GroupTable
    var accumulators: [Accumulator]
    var stats = QueryStats()
    /// The units and non-NULL counts per outer group, when the regroup runs sparse.
    var presence: UnitPresence?

    init(bound: BoundQuery) {
        let wide = bound.keys.indices.filter { p in
            if case .column(let c) = bound.keys[p] { bound.tableWide.contains(c.index) } else { false }
        }
        groups = GroupTable(keyCount: bound.keys.count, wide: Set(wide))
        accumulators = bound.aggregations.map {
            Accumulator(
                function: $0.aggregation.function, type: $0.column?.type, counted: $0.column != nil,
                tableWide: $0.column.map { bound.tableWide.contains($0.index) } ?? false)
        }
        presence = bound.sparseRegroup.map { UnitPresence($0, tableWide: bound.tableWide) }
    }

    var estimatedBytes: Int {
        groups.count * 48 + accumulators.reduce(0) { $0 + $1.estimatedBytes } + (presence?.estimatedBytes ?? 0)
    }

    /// Folds `other` into `self`, matching groups by their key values.
    mutating func merge(_ other: PartialAggregation) {
        stats.add(other.stats)
        if let theirs = other.presence { presence?.merge(theirs) }
        let map = groups.absorbKeys(of: other.groups)
        for (mine, theirs) in zip(accumulators, other.accumulators) {
            mine.grow(to: groups.count)
            theirs.grow(to: other.groups.count)
            mine.merge(theirs, map: map)
        }
    }
}

/// A flag that stops a running query: set by Task cancellation or a timeout, checked per block.
final class QueryLimits: Sendable {
    private let cancelled = Mutex<Bool>(false)
    let deadline: ContinuousClock.Instant?
    let memoryBudget: Int?

    init(options: QueryOptions) {
        deadline = options.timeout.map { ContinuousClock.now + $0 }
        memoryBudget = options.memoryBudget
    }

    func cancel() { cancelled.withLock { $0 = true } }

    /// Throws if the query was cancelled, ran out of time, or its state outgrew the budget.
    func check(stateBytes: @autoclosure () -> Int, workers: Int) throws(StrataError) {
        if cancelled.withLock({ $0 }) { throw StrataError(.cancelled, "the query was cancelled") }
        if let deadline, ContinuousClock.now > deadline {
            throw StrataError(.limit, "the query exceeded its timeout")
        }
        if let memoryBudget, case let stateBytes = stateBytes(), stateBytes * workers > memoryBudget {
            throw StrataError(
                .limit,
                "the query's group and distinct state (~\(stateBytes * workers) bytes) exceeds its memory "
                    + "budget of \(memoryBudget) bytes")
        }
    }
}
