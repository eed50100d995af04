import StrataCore

/// `approx_quantile(x, q)` of BIGINT and DOUBLE: a DDSketch per group (1% relative accuracy), as the
/// engine's sketches; workers' sketches merge bucket by bucket. A BIGINT's estimate is rounded back to an
/// integer, as DuckDB keeps the input's type. DECIMAL inputs take the row-at-a-time state.
final class ApproxQuantileAggregate: VectorAggregate {
    private let fraction: Double?
    private let integer: Bool
    private var sketches: [QuantileSketch] = []

    init(fraction: Double?, integer: Bool) {
        self.fraction = fraction
        self.integer = integer
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument, let v = argument.doubleBuffer() else { return }
        grow(&sketches, to: groupCount, with: QuantileSketch())
        let mask = argument.nullMask()
        var sketches = self.sketches
        self.sketches = []
        defer { self.sketches = sketches }
        forEachRow(rows, groups.count, skipping: mask) { i in sketches[Int(groups[i])].insert(v[i]) }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? ApproxQuantileAggregate else { return }
        grow(&sketches, to: groupCount, with: QuantileSketch())
        for (g, sketch) in other.sketches.enumerated() { sketches[Int(groups[g])].merge(sketch) }
    }

    func result(_ g: Int) throws(StrataError) -> Value {
        guard g < sketches.count, let q = fraction, let x = try sketches[g].quantile(q) else { return .null }
        return integer ? .int64(QuantileSketch.integerValue(x)) : .double(x)
    }

    var bytes: Int { sketches.count * 512 }
}
