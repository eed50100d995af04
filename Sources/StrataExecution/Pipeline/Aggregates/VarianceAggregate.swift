import StrataCore

/// `var_samp(x)`, `stddev_samp(x)`, `var_pop(x)` and `stddev_pop(x)`: Welford's running mean and sum of squared deviations per group, as
/// the row-at-a-time state keeps them; workers' states combine with Chan's formula (DuckDB's parallel
/// variance), so a parallel answer can differ from a sequential one in the last bits.
final class VarianceAggregate: VectorAggregate {
    private let standardDeviation: Bool
    /// var_pop and stddev_pop: M2 over n rather than n − 1.
    private let population: Bool
    private var counts: [Int64] = []
    private var means: [Double] = []
    private var m2: [Double] = []

    init(standardDeviation: Bool, population: Bool = false) {
        self.standardDeviation = standardDeviation
        self.population = population
    }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        var counts = self.counts, means = self.means, m2 = self.m2
        (self.counts, self.means, self.m2) = ([], [], [])
        defer { (self.counts, self.means, self.m2) = (counts, means, m2) }
        grow(&counts, to: groupCount, with: 0)
        grow(&means, to: groupCount, with: 0)
        grow(&m2, to: groupCount, with: 0)
        let mask = argument.nullMask()
        // BIGINT and DOUBLE as doubles (the row rules' doubleValue); anything else boxed, value by value.
        let values: [Double] =
            (argument.type == .double || argument.type == .bigint ? argument.doubleBuffer() : nil)
            ?? (0..<argument.count).map { argument.value(at: $0).doubleValue ?? .nan }
        let boxed = !(argument.type == .double || argument.type == .bigint)
        counts.withUnsafeMutableBufferPointer { counts in
            means.withUnsafeMutableBufferPointer { means in
                m2.withUnsafeMutableBufferPointer { m2 in
                    forEachRow(rows, groups.count, skipping: mask) { i in
                        // A boxed value without a double (none in practice) adds nothing, as row at a time.
                        if boxed, argument.value(at: i).doubleValue == nil { return }
                        let g = Int(groups[i])
                        let x = values[i]
                        counts[g] &+= 1
                        let delta = x - means[g]
                        means[g] += delta / Double(counts[g])
                        m2[g] += delta * (x - means[g])
                    }
                }
            }
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? VarianceAggregate else { return }
        grow(&counts, to: groupCount, with: 0)
        grow(&means, to: groupCount, with: 0)
        grow(&m2, to: groupCount, with: 0)
        for g in other.counts.indices where other.counts[g] > 0 {
            let t = Int(groups[g])
            let (na, nb) = (Double(counts[t]), Double(other.counts[g]))
            let n = na + nb
            let delta = other.means[g] - means[t]
            means[t] += delta * nb / n
            m2[t] += other.m2[g] + delta * delta * na * nb / n
            counts[t] += other.counts[g]
        }
    }

    func result(_ g: Int) -> Value {
        guard g < counts.count, counts[g] > (population ? 0 : 1) else { return .null }
        let variance = m2[g] / Double(population ? counts[g] : counts[g] - 1)
        return .double(standardDeviation ? variance.squareRoot() : variance)
    }

    var bytes: Int { counts.count * 24 }
}
