import StrataCore

/// The aggregates without a typed loop yet (DISTINCT sums and extremes, quantiles of decimals): the
/// row-at-a-time states, fed boxed values.
final class BoxedAggregate: VectorAggregate {
    private let call: AggregateCall
    private var states: [AggregateState] = []
    private var kept = 0

    init(call: AggregateCall) { self.call = call }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        while states.count < groupCount { states.append(AggregateState(call)) }
        let tracked = call.isDistinct || call.function.keepsValues
        for i in RowIndices(rows, groups.count) {
            let g = Int(groups[i])
            let value = argument?.value(at: i) ?? .null
            if tracked {
                let before = states[g].keptValues
                states[g].add(value, call.function)
                kept += states[g].keptValues - before
            } else {
                states[g].add(value, call.function)
            }
        }
    }

    func result(_ g: Int) throws(StrataError) -> Value {
        guard g < states.count else { return AggregateState(call).result(call.function, fraction: call.fraction) }
        if states[g].overflow, call.function == .sum || call.function == .avg {
            throw StrataError(.invalidArgument, "overflow in \(call.text): the sum does not fit in 128 bits (HUGEINT)")
        }
        return states[g].result(call.function, fraction: call.fraction)
    }

    var mergeable: Bool { false }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) throws(StrataError) {
        throw StrataError(.internal, "the row-at-a-time state of \(call.text) does not merge")
    }

    var bytes: Int { states.count * MemoryLayout<AggregateState>.stride + kept * 48 }
}
