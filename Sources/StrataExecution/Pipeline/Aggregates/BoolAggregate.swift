import StrataCore

/// `bool_and(x)` and `bool_or(x)`: per group whether a non-NULL value was met and the running AND (OR). NULL
/// for a group without one.
final class BoolAggregate: VectorAggregate {
    private let conjunction: Bool
    private var seen: [Bool] = []
    private var results: [Bool] = []

    init(conjunction: Bool) { self.conjunction = conjunction }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        let v = argument.boolBuffer() ?? (0..<argument.count).map { argument.value(at: $0) == .bool(true) }
        let mask = argument.nullMask()
        var seen = self.seen, results = self.results
        (self.seen, self.results) = ([], [])
        defer { (self.seen, self.results) = (seen, results) }
        grow(&seen, to: groupCount, with: false)
        grow(&results, to: groupCount, with: conjunction)
        let conjunction = self.conjunction
        forEachRow(rows, groups.count, skipping: mask) { i in
            let g = Int(groups[i])
            seen[g] = true
            results[g] = conjunction ? results[g] && v[i] : results[g] || v[i]
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? BoolAggregate else { return }
        grow(&seen, to: groupCount, with: false)
        grow(&results, to: groupCount, with: conjunction)
        for g in other.seen.indices where other.seen[g] {
            let t = Int(groups[g])
            seen[t] = true
            results[t] = conjunction ? results[t] && other.results[g] : results[t] || other.results[g]
        }
    }

    func result(_ g: Int) -> Value { g < seen.count && seen[g] ? .bool(results[g]) : .null }

    var bytes: Int { seen.count * 2 }
}
