import StrataCore

/// `min(x)` and `max(x)`: typed running extremes per group. A dictionary column compares codes (a
/// segment's dictionary is sorted, so the smallest code is the smallest string) and each group compares
/// one string per batch.
final class MinMaxAggregate: VectorAggregate {
    private let maximum: Bool
    /// Extremes of int64 vectors, with the vector's type (to box them).
    private var integers: [Int64] = []
    private var hasInteger: [Bool] = []
    private var integerType: SQLValueType = .bigint
    private var doubles: [Double] = []
    private var hasDouble: [Bool] = []
    private var strings: [String?] = []
    /// Everything else, boxed.
    private var others: [Value] = []

    init(maximum: Bool) { self.maximum = maximum }

    @inline(__always) private func better(_ order: Int) -> Bool { maximum ? order > 0 : order < 0 }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        let mask = argument.nullMask()
        switch argument.storage {
        case .int64(let v) where KeyColumn.integerTyped(argument.type):
            var integers = self.integers, hasInteger = self.hasInteger
            (self.integers, self.hasInteger) = ([], [])
            defer { (self.integers, self.hasInteger) = (integers, hasInteger) }
            grow(&integers, to: groupCount, with: 0)
            grow(&hasInteger, to: groupCount, with: false)
            integerType = argument.type
            let maximum = self.maximum
            integers.withUnsafeMutableBufferPointer { integers in
                hasInteger.withUnsafeMutableBufferPointer { hasInteger in
                    groups.withUnsafeBufferPointer { groups in
                        v.withUnsafeBufferPointer { v in
                            if groupCount == 1 {
                                // Ungrouped: the running extreme in a register.
                                var has = hasInteger[0]
                                var best = integers[0]
                                forEachRow(rows, groups.count, skipping: mask) { i in
                                    let x = v[i]
                                    if !has || (maximum ? x > best : x < best) {
                                        best = x
                                        has = true
                                    }
                                }
                                (integers[0], hasInteger[0]) = (best, has)
                                return
                            }
                            forEachRow(rows, groups.count, skipping: mask) { i in
                                let g = Int(groups[i])
                                let x = v[i]
                                if !hasInteger[g] || (maximum ? x > integers[g] : x < integers[g]) {
                                    integers[g] = x
                                    hasInteger[g] = true
                                }
                            }
                        }
                    }
                }
            }
        case .double(let v):
            var doubles = self.doubles, hasDouble = self.hasDouble
            (self.doubles, self.hasDouble) = ([], [])
            defer { (self.doubles, self.hasDouble) = (doubles, hasDouble) }
            grow(&doubles, to: groupCount, with: 0)
            grow(&hasDouble, to: groupCount, with: false)
            @inline(__always) func update(_ better: (Double, Double) -> Bool) {
                doubles.withUnsafeMutableBufferPointer { doubles in
                    hasDouble.withUnsafeMutableBufferPointer { hasDouble in
                        groups.withUnsafeBufferPointer { groups in
                            v.withUnsafeBufferPointer { v in
                                if groupCount == 1 {
                                    // Ungrouped: the running extreme in a register.
                                    var has = hasDouble[0]
                                    var best = doubles[0]
                                    forEachRow(rows, groups.count, skipping: mask) { i in
                                        let x = v[i]
                                        if !has || better(x, best) {
                                            best = x
                                            has = true
                                        }
                                    }
                                    (doubles[0], hasDouble[0]) = (best, has)
                                    return
                                }
                                forEachRow(rows, groups.count, skipping: mask) { i in
                                    let g = Int(groups[i])
                                    let x = v[i]
                                    if !hasDouble[g] || better(x, doubles[g]) {
                                        doubles[g] = x
                                        hasDouble[g] = true
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // ValueOrder's order, inlined: NaN above every number and equal to itself.
            if maximum {
                update { x, y in x > y || (x.isNaN && !y.isNaN) }
            } else {
                update { x, y in !x.isNaN && (x < y || y.isNaN) }
            }
        case .dictionary(let codes, let entries, let id) where entries.validity == nil:
            guard case .string(let words) = entries.storage else { fallthrough }
            let rank = ranks(words, id: id)
            // The best entry of each group in this batch (by rank), then one string per group.
            var best: [UInt32: UInt32] = [:]
            for i in RowIndices(rows, groups.count) {
                if let mask, !mask[i] { continue }
                let g = groups[i]
                let c = codes[i]
                if let b = best[g] {
                    if maximum ? rank[Int(c)] > rank[Int(b)] : rank[Int(c)] < rank[Int(b)] { best[g] = c }
                } else {
                    best[g] = c
                }
            }
            grow(&strings, to: groupCount, with: nil)
            for (g, c) in best {
                let candidate = words[Int(c)]
                if let current = strings[Int(g)] {
                    if maximum ? ValueOrder.less(current, candidate) : ValueOrder.less(candidate, current) {
                        strings[Int(g)] = candidate
                    }
                } else {
                    strings[Int(g)] = candidate
                }
            }
        default:
            grow(&others, to: groupCount, with: .null)
            for i in RowIndices(rows, groups.count) {
                let value = argument.value(at: i)
                if value.isNull { continue }
                let g = Int(groups[i])
                if others[g].isNull {
                    others[g] = value
                } else if let order = ValueOrder.compare(value, others[g]), better(order) {
                    others[g] = value
                }
            }
        }
    }

    private var cachedRanks: (id: Int, ranks: [Int32])?

    /// Each entry's position in string order (a segment's dictionary is sorted already: then its codes).
    private func ranks(_ words: [String], id: Int?) -> [Int32] {
        if let id, let cachedRanks, cachedRanks.id == id { return cachedRanks.ranks }
        var ranks = [Int32](repeating: 0, count: words.count)
        var sorted = true
        for i in words.indices.dropFirst() where !ValueOrder.less(words[i - 1], words[i]) {
            sorted = false
            break
        }
        if sorted {
            for i in words.indices { ranks[i] = Int32(i) }
        } else {
            let order = words.indices.sorted { ValueOrder.less(words[$0], words[$1]) }
            for (rank, i) in order.enumerated() { ranks[i] = Int32(rank) }
        }
        if let id { cachedRanks = (id, ranks) }
        return ranks
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? MinMaxAggregate else { return }
        grow(&others, to: groupCount, with: .null)
        for g in 0..<other.groupCount {
            let value = other.result(g)
            let t = Int(groups[g])
            if value.isNull { continue }
            if others[t].isNull {
                others[t] = value
            } else if let order = ValueOrder.compare(value, others[t]), better(order) {
                others[t] = value
            }
        }
    }

    private var groupCount: Int { Swift.max(hasInteger.count, hasDouble.count, strings.count, others.count) }

    func result(_ g: Int) -> Value {
        var candidates: [Value] = []
        if g < hasInteger.count, hasInteger[g] {
            candidates.append(Vector(type: integerType, storage: .int64([integers[g]]), count: 1).value(at: 0))
        }
        if g < hasDouble.count, hasDouble[g] { candidates.append(.double(doubles[g])) }
        if g < strings.count, let s = strings[g] { candidates.append(.string(s)) }
        if g < others.count, !others[g].isNull { candidates.append(others[g]) }
        var result: Value = .null
        for c in candidates {
            if result.isNull {
                result = c
            } else if let order = ValueOrder.compare(c, result), better(order) {
                result = c
            }
        }
        return result
    }

    var bytes: Int { Swift.max(integers.count * 9, doubles.count * 9, strings.count * 24, others.count * 40) }
}
