import StrataCore

/// An aggregate whose per-group state another one of the same query already keeps: several answers from
/// one merge of the stored rollup states (`avg` and `stddev_samp` from one metric's moments, quantiles at
/// several fractions from one sketch per group).
protocol SharingAggregate: VectorAggregate {
    /// An aggregate answering `call` from this one's state, or `nil` when `call` needs its own.
    func view(for call: AggregateCall) -> (any VectorAggregate)?
}

extension AggregateCall {
    /// Whether `other` reads the same rollup state as this call (so one state serves both): the same kind
    /// of merge over the same stored columns, under the same FILTER.
    func sharesMergedState(with other: AggregateCall) -> Bool {
        guard argument == other.argument, filter == other.filter else { return false }
        switch (merge, other.merge) {
        // The primary (first) must read Σx² when the other needs it.
        case (.moments(let s, let q)?, .moments(let s2, let q2)?): return s == s2 && (q == q2 || q2 == nil)
        case (.quantileSketch(let a)?, .quantileSketch(let b)?): return a == b
        default: return false
        }
    }
}

/// Answers from `primary`'s state: updating and merging it is the primary's job (it comes first in the
/// query's aggregates, and is updated and merged like any other).
final class SharedStateView<Primary: VectorAggregate>: VectorAggregate {
    private let primary: Primary
    private let answer: (Primary, Int) throws(StrataError) -> Value

    init(_ primary: Primary, answer: @escaping (Primary, Int) throws(StrataError) -> Value) {
        self.primary = primary
        self.answer = answer
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) {}
    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) {}
    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {}
    func result(_ group: Int) throws(StrataError) -> Value { try answer(primary, group) }
    var bytes: Int { 0 }
}
