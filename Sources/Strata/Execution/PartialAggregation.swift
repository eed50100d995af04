import StrataCore

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
    /// The bytes this worker has reserved in the query's context for its state.
    var reservedBytes = 0

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
