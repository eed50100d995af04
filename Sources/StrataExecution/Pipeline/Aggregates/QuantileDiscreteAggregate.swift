import StrataCore

/// `quantile_disc(x, q)` (and `percentile_disc(q) WITHIN GROUP (ORDER BY x)`): every non-NULL value of each group
/// kept — int64 units (BIGINT, TIMESTAMP, DECIMAL) and doubles typed, anything else (strings) boxed — and the one at
/// position ⌈n·q⌉ − 1 of the sorted values picked at the end. Workers' values concatenate (the answer does not
/// depend on their order).
final class QuantileDiscreteAggregate: VectorAggregate {
    private let fraction: Double
    private let fromTop: Bool
    private let type: SQLValueType
    private var integers: [[Int64]] = []
    private var doubles: [[Double]] = []
    private var boxed: [[Value]] = []
    private var kept = 0

    init(fraction: Double?, fromTop: Bool, type: SQLValueType) {
        self.fraction = fraction ?? 0.5
        self.fromTop = fromTop
        self.type = type
    }

    /// Types whose vectors hold int64 units that ``Vector/box(_:type:)`` boxes back.
    private var integerTyped: Bool {
        switch type {
        case .bigint, .timestamp, .date, .decimal: true
        default: false
        }
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        grow(&integers, to: groupCount, with: [])
        grow(&doubles, to: groupCount, with: [])
        grow(&boxed, to: groupCount, with: [])
        let mask = argument.nullMask()
        var added = 0
        if type == .double, let v = argument.doubleBuffer() {
            var doubles = self.doubles
            self.doubles = []
            defer { self.doubles = doubles }
            forEachRow(rows, groups.count, skipping: mask) { i in
                doubles[Int(groups[i])].append(v[i])
                added += 1
            }
        } else if integerTyped, let v = argument.int64Buffer() {
            var integers = self.integers
            self.integers = []
            defer { self.integers = integers }
            forEachRow(rows, groups.count, skipping: mask) { i in
                integers[Int(groups[i])].append(v[i])
                added += 1
            }
        } else {
            var boxed = self.boxed
            self.boxed = []
            defer { self.boxed = boxed }
            forEachRow(rows, groups.count, skipping: mask) { i in
                let value = argument.value(at: i)
                guard !value.isNull else { return }
                boxed[Int(groups[i])].append(value)
                added += 1
            }
        }
        kept += added
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? QuantileDiscreteAggregate else { return }
        grow(&integers, to: groupCount, with: [])
        grow(&doubles, to: groupCount, with: [])
        grow(&boxed, to: groupCount, with: [])
        for g in other.integers.indices {
            let t = Int(groups[g])
            integers[t].append(contentsOf: other.integers[g])
            doubles[t].append(contentsOf: other.doubles[g])
            boxed[t].append(contentsOf: other.boxed[g])
        }
        kept += other.kept
    }

    func result(_ g: Int) -> Value {
        guard g < integers.count else { return .null }
        let n = integers[g].count + doubles[g].count + boxed[g].count
        guard n > 0 else { return .null }
        let index = AggregateState.discreteIndex(count: n, q: fraction, fromTop: fromTop)
        if integers[g].count == n {
            integers[g].sort()
            return Vector.box(integers[g][index], type: type)
        }
        if doubles[g].count == n {
            doubles[g].sort(by: ExactQuantile.precedes)
            return .double(doubles[g][index])
        }
        // A group whose batches came in several forms: every value boxed, in SQL's order.
        var values = boxed[g]
        values += integers[g].map { Vector.box($0, type: type) }
        values += doubles[g].map { .double($0) }
        values.sort { ValueOrder.sortOrder($0, $1, nullsFirst: false) < 0 }
        return values[index]
    }

    var bytes: Int { integers.count * 72 + kept * 16 }
}
