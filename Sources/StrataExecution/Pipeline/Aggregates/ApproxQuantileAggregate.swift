import StrataCore

/// `approx_quantile(x, q)` of BIGINT and DOUBLE: a DDSketch per group (1% relative accuracy), as the
/// engine's sketches; workers' sketches merge bucket by bucket. A BIGINT's estimate is rounded back to an
/// integer, as DuckDB keeps the input's type. DECIMAL inputs take the row-at-a-time state.
///
/// A BIGINT group with many values in a narrow range also counts them exactly in a small histogram in front
/// of its sketch (an increment instead of a bucket computation per row), and hands the counts to the sketch
/// at the end: a sketch depends only on the multiset of values inserted, so the answer is the same.
final class ApproxQuantileAggregate: VectorAggregate {
    private let fraction: Double?
    private let integer: Bool
    private var sketches: [QuantileSketch] = []
    private var fronts: [Front] = []
    /// Histogram slots still allowed for this aggregate: the histograms' memory stays bounded however many
    /// groups there are.
    private var slotBudget = ApproxQuantileAggregate.totalSlots

    /// 16 MB of histograms per aggregate at most; 512 KB per group.
    static let totalSlots = 1 << 21
    static let groupSlots = 1 << 16
    /// Values a group sends to its sketch before it first tries a histogram.
    static let threshold = 1024

    /// One group's histogram, and when to try (again) to make or widen it.
    struct Front {
        var counts = IntegerCounts()
        var sent = 0
        var nextTry = ApproxQuantileAggregate.threshold
    }

    init(fraction: Double?, integer: Bool) {
        self.fraction = fraction
        self.integer = integer
    }

    deinit {
        for g in fronts.indices { fronts[g].counts.deallocate() }
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        grow(&sketches, to: groupCount, with: QuantileSketch())
        let mask = argument.nullMask()
        if integer, argument.type == .bigint, let v = argument.int64Buffer() {
            grow(&fronts, to: groupCount, with: Front())
            var budget = slotBudget
            sketches.withUnsafeMutableBufferPointer { sketches in
                fronts.withUnsafeMutableBufferPointer { fronts in
                    groups.withUnsafeBufferPointer { groups in
                        v.withUnsafeBufferPointer { v in
                            forEachRow(rows, groups.count, skipping: mask) { i in
                                let g = Int(groups[i])
                                let x = v[i]
                                if fronts[g].counts.add(x) { return }
                                sketches[g].insert(Double(x))
                                fronts[g].sent &+= 1
                                if fronts[g].sent >= fronts[g].nextTry {
                                    Self.tryFront(&fronts[g], sketch: sketches[g], budget: &budget)
                                }
                            }
                        }
                    }
                }
            }
            slotBudget = budget
            return
        }
        guard let v = argument.doubleBuffer() else { return }
        sketches.withUnsafeMutableBufferPointer { sketches in
            groups.withUnsafeBufferPointer { groups in
                v.withUnsafeBufferPointer { v in
                    forEachRow(rows, groups.count, skipping: mask) { i in sketches[Int(groups[i])].insert(v[i]) }
                }
            }
        }
    }

    /// Makes or widens a group's histogram to the range of the values its sketch has seen, when that range
    /// is narrow (at most four slots per value seen, ``groupSlots`` in all) and the budget allows.
    private static func tryFront(_ front: inout Front, sketch: QuantileSketch, budget: inout Int) {
        front.sent = 0
        front.nextTry = 2 * front.nextTry
        // Doubles past 2^53 may not be the integers they came from.
        guard let low = sketch.minimum, let high = sketch.maximum, low.magnitude <= 0x1p53, high.magnitude <= 0x1p53
        else { return }
        var lower = Int64(low)
        var upper = Int64(high)
        if let range = front.counts.range {
            lower = min(lower, range.lower)
            upper = max(upper, range.upper)
        }
        let limit = sketch.count >= UInt64(groupSlots / 4) ? groupSlots : 4 * Int(sketch.count)
        guard let needed = IntegerCounts.slotCount(lower: lower, upper: upper, limit: limit) else { return }
        let added = needed - front.counts.slots.count
        guard added > 0, added <= budget else { return }
        front.counts.cover(lower: lower, upper: upper)
        budget -= added
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? ApproxQuantileAggregate else { return }
        grow(&sketches, to: groupCount, with: QuantileSketch())
        grow(&fronts, to: groupCount, with: Front())
        for (g, sketch) in other.sketches.enumerated() {
            let t = Int(groups[g])
            if g < other.fronts.count {
                other.fronts[g].counts.forEach { x, n in
                    if !fronts[t].counts.add(x, count: n) { sketches[t].insert(Double(x), count: UInt64(n)) }
                }
            }
            sketches[t].merge(sketch)
        }
    }

    func result(_ g: Int) throws(StrataError) -> Value {
        guard g < sketches.count, let q = fraction else { return .null }
        var sketch = sketches[g]
        if g < fronts.count {
            fronts[g].counts.forEach { x, n in sketch.insert(Double(x), count: UInt64(n)) }
        }
        guard let x = try sketch.quantile(q) else { return .null }
        return integer ? .int64(QuantileSketch.integerValue(x)) : .double(x)
    }

    var bytes: Int { sketches.count * 512 + (Self.totalSlots - slotBudget) * 8 }
}
