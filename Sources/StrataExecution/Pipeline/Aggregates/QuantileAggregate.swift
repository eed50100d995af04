import StrataCore

/// `quantile_cont(x, q)` (and `median`) of DOUBLE (BIGINT has ``IntegerQuantileAggregate``): every value of
/// each group kept, its order statistics selected at the end and interpolated as DuckDB does. Workers' values
/// concatenate (the answer does not depend on their order). DECIMAL quantiles keep units and take the
/// row-at-a-time state.
final class QuantileAggregate: VectorAggregate {
    private let fraction: Double?
    private var values: [[Double]] = []
    private var kept = 0

    init(fraction: Double?) { self.fraction = fraction }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument, let v = argument.doubleBuffer() else { return }
        grow(&values, to: groupCount, with: [])
        let mask = argument.nullMask()
        var values = self.values
        self.values = []
        defer { self.values = values }
        var added = 0
        forEachRow(rows, groups.count, skipping: mask) { i in
            values[Int(groups[i])].append(v[i])
            added += 1
        }
        kept += added
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? QuantileAggregate else { return }
        grow(&values, to: groupCount, with: [])
        for g in other.values.indices where !other.values[g].isEmpty {
            values[Int(groups[g])].append(contentsOf: other.values[g])
        }
        kept += other.kept
    }

    func result(_ g: Int) throws(StrataError) -> Value {
        guard g < values.count, let q = fraction else { return .null }
        // Selection rather than a sort: the two order statistics around (n − 1)·q in linear time, in place (the
        // order of a group's values does not matter, so there is no need for a copy).
        return try ExactQuantile.continuous(selectingIn: &values[g], q: q).map { .double($0) } ?? .null
    }

    /// Each value's 8 bytes twice over: a growing array holds up to twice its count.
    var bytes: Int { values.count * 24 + kept * 16 }
}
