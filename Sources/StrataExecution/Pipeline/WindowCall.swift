package import StrataCore

/// A bound window function call: `rank() OVER (PARTITION BY a ORDER BY b)`, `sum(x) OVER (ORDER BY t ROWS 2
/// PRECEDING)`. Arguments, partition keys and sort keys are positions in the ``Window`` operator's input row.
package struct WindowCall: Hashable, Sendable {
    package enum Function: Hashable, Sendable {
        case rowNumber, rank, denseRank, percentRank, cumeDist
        /// `ntile(n)`: the bucket count is argument 0.
        case ntile
        /// `lag/lead(x [, offset [, default]])`: arguments 0, 1 and 2 (offset 1 and default NULL when absent).
        case lag, lead
        /// `first_value(x)`, `last_value(x)` and `nth_value(x, n)` over the frame.
        case firstValue, lastValue, nthValue
        /// An aggregate over the frame: its argument (none for `count(*)`) is argument 0.
        case aggregate(AggregateCall)
    }

    /// Where a frame starts or ends.
    package enum Bound: Hashable, Sendable {
        case unboundedPreceding
        case preceding(Offset)
        case currentRow
        case following(Offset)
        case unboundedFollowing
    }

    /// A frame offset: rows (ROWS) or groups of peers (GROUPS), or a distance in the sort key's values (RANGE): a
    /// number or an interval.
    package enum Offset: Hashable, Sendable {
        case rows(Int64)
        case value(Value)
        case interval(IntervalValue)
    }

    package var function: Function
    package var arguments: [Int]
    /// The column that says whether a row counts (an aggregate's `FILTER`), `true` or not.
    package var filter: Int?
    package var partition: [Int]
    package var order: [SortKey]
    /// What a frame's offsets count.
    package enum Unit: Hashable, Sendable {
        /// `ROWS`: rows.
        case rows
        /// `RANGE`: a distance in the one sort key's values; `CURRENT ROW` reaches the row's peers.
        case range
        /// `GROUPS`: groups of peers (rows with equal sort keys).
        case groups
    }

    /// Rows a frame's `EXCLUDE` leaves out.
    package enum Exclusion: Hashable, Sendable {
        case none
        /// `EXCLUDE CURRENT ROW`.
        case currentRow
        /// `EXCLUDE GROUP`: the current row and its peers.
        case group
        /// `EXCLUDE TIES`: the current row's peers, not the row.
        case ties
    }

    package var unit: Unit
    /// The frame's `EXCLUDE`.
    package var exclusion = Exclusion.none
    package var start: Bound
    package var end: Bound
    package var type: SQLValueType
    /// `IGNORE NULLS` (lag, lead and the value functions): rows whose value (argument 0) is NULL are skipped.
    package var ignoresNulls = false
    /// The SQL text, for plans.
    package var text: String

    package init(
        function: Function, arguments: [Int], filter: Int? = nil, partition: [Int], order: [SortKey], unit: Unit,
        start: Bound, end: Bound, type: SQLValueType, text: String
    ) {
        self.function = function
        self.arguments = arguments
        self.filter = filter
        self.partition = partition
        self.order = order
        self.unit = unit
        self.start = start
        self.end = end
        self.type = type
        self.text = text
    }

    /// The input positions the call reads.
    package var columns: [Int] {
        arguments + (filter.map { [$0] } ?? []) + partition + order.map(\.column)
    }

    /// The call with every input position replaced by `map(position)`.
    package func remapped(_ map: (Int) -> Int) -> WindowCall {
        var copy = self
        copy.arguments = arguments.map(map)
        copy.filter = filter.map(map)
        copy.partition = partition.map(map)
        copy.order = order.map { SortKey(column: map($0.column), descending: $0.descending, nullsFirst: $0.nullsFirst) }
        return copy
    }
}
