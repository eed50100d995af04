package import StrataCore

/// `sum(x)` and `avg(x)`: doubles summed in row order; BIGINT and DECIMAL exactly in 128 bits (a DECIMAL
/// in units of its scale), as DuckDB sums them.
final class SumAggregate: VectorAggregate {
    private let call: AggregateCall
    private let average: Bool
    private var counts: [Int64] = []
    private var exact: [Int128] = []
    private var doubles: [Double] = []
    /// Groups that summed a double (the sum is then the double sum).
    private var isDouble: [Bool] = []
    private var overflow: [Bool] = []
    /// The scale of the decimals summed, when they are decimals.
    private var scale: Int?

    init(call: AggregateCall, average: Bool) {
        self.call = call
        self.average = average
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        var counts = self.counts, exact = self.exact, doubles = self.doubles, isDouble = self.isDouble
        var overflow = self.overflow
        (self.counts, self.exact, self.doubles, self.isDouble, self.overflow) = ([], [], [], [], [])
        defer {
            (self.counts, self.exact, self.doubles, self.isDouble, self.overflow) = (
                counts, exact, doubles, isDouble, overflow
            )
        }
        grow(&counts, to: groupCount, with: 0)
        grow(&exact, to: groupCount, with: 0)
        grow(&doubles, to: groupCount, with: 0)
        grow(&isDouble, to: groupCount, with: false)
        grow(&overflow, to: groupCount, with: false)
        let mask = argument.nullMask()
        switch argument.storage {
        case .double(let v):
            try forEachRow(rows, groups.count) { i in
                if let mask, !mask[i] { return }
                let g = Int(groups[i])
                counts[g] &+= 1
                doubles[g] += v[i]
                isDouble[g] = true
            }
        case .int64(let v) where argument.type == .bigint || argument.type.isDecimal:
            if case .decimal(_, let s) = argument.type { self.scale = s }
            try forEachRow(rows, groups.count) { i in
                if let mask, !mask[i] { return }
                let g = Int(groups[i])
                counts[g] &+= 1
                let (sum, o) = exact[g].addingReportingOverflow(Int128(v[i]))
                exact[g] = sum
                if o { overflow[g] = true }
            }
        default:
            try forEachRow(rows, groups.count) { i in
                let g = Int(groups[i])
                let value = argument.value(at: i)
                func add(_ x: Int128) {
                    counts[g] &+= 1
                    let (sum, o) = exact[g].addingReportingOverflow(x)
                    exact[g] = sum
                    if o { overflow[g] = true }
                }
                switch value {
                case .int64(let x): add(Int128(x))
                case .hugeint(let x): add(x)
                case .decimal(let d):
                    self.scale = d.scale
                    add(d.unscaled)
                case .double(let x):
                    counts[g] &+= 1
                    doubles[g] += x
                    isDouble[g] = true
                default: break
                }
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? SumAggregate else { return }
        grow(&counts, to: groupCount, with: 0)
        grow(&exact, to: groupCount, with: 0)
        grow(&doubles, to: groupCount, with: 0)
        grow(&isDouble, to: groupCount, with: false)
        grow(&overflow, to: groupCount, with: false)
        if let s = other.scale { scale = s }
        for g in other.counts.indices {
            let t = Int(groups[g])
            counts[t] &+= other.counts[g]
            doubles[t] += other.doubles[g]
            isDouble[t] = isDouble[t] || other.isDouble[g]
            let (sum, o) = exact[t].addingReportingOverflow(other.exact[g])
            exact[t] = sum
            overflow[t] = overflow[t] || o || other.overflow[g]
        }
    }

    func result(_ g: Int) throws(StrataError) -> Value {
        guard g < counts.count, counts[g] > 0 else { return .null }
        if overflow[g] {
            throw StrataError(.invalidArgument, "overflow in \(call.text): the sum does not fit in 128 bits (HUGEINT)")
        }
        let count = counts[g]
        if isDouble[g] { return .double(average ? doubles[g] / Double(count) : doubles[g]) }
        let sum = exact[g]
        if !average {
            if let scale {
                return .decimal(DecimalValue(unscaled: sum, precision: DecimalValue.maxPrecision, scale: scale))
            }
            return Int64(exactly: sum).map { .int64($0) } ?? .hugeint(sum)
        }
        guard let scale else { return .double(Double(sum) / Double(count)) }
        // Exact quotient and remainder first, so that a sum past 2^53 keeps its precision.
        let (q, r) = sum.quotientAndRemainder(dividingBy: Int128(count))
        return .double((Double(q) + Double(r) / Double(count)) / Double(DecimalValue.power(scale)))
    }

    var bytes: Int { counts.count * 42 }
}

extension SQLValueType {
    var isDecimal: Bool {
        if case .decimal = self { return true }
        return false
    }
}
