import StrataCore

/// One window call over one sorted partition of a ``Window``: finds each row's frame and computes the call's
/// value for every row of the partition.
struct WindowPartition {
    let call: WindowCall
    let rows: WindowRows
    /// The partition's row numbers, in the window's ORDER BY order.
    let positions: [Int]
    /// Each position's peers (equal sort keys).
    let peers: [Range<Int>]
    let context: QueryContext

    private var n: Int { positions.count }

    /// Argument `a` of the call at sorted position `i`.
    private func argument(_ a: Int, at i: Int) -> Value { rows[positions[i], call.arguments[a]] }

    /// Writes the call's value of every row of the partition into `results` (indexed by row number).
    func evaluate(into results: UnsafeMutableBufferPointer<Value>) throws(StrataError) {
        switch call.function {
        case .rowNumber:
            for i in 0..<n { results[positions[i]] = .int64(Int64(i + 1)) }
        case .rank:
            for i in 0..<n { results[positions[i]] = .int64(Int64(peers[i].lowerBound + 1)) }
        case .denseRank:
            var rank: Int64 = 0
            for i in 0..<n {
                if peers[i].lowerBound == i { rank += 1 }
                results[positions[i]] = .int64(rank)
            }
        case .percentRank:
            for i in 0..<n {
                results[positions[i]] = .double(n > 1 ? Double(peers[i].lowerBound) / Double(n - 1) : 0)
            }
        case .cumeDist:
            for i in 0..<n { results[positions[i]] = .double(Double(peers[i].upperBound) / Double(n)) }
        case .ntile:
            for i in 0..<n {
                guard case .int64(let buckets) = argument(0, at: i) else { continue }
                guard buckets > 0 else {
                    throw StrataError(.invalidArgument, "the argument of ntile must be greater than zero")
                }
                results[positions[i]] = .int64(Self.ntile(row: Int64(i), rows: Int64(n), buckets: buckets))
            }
        case .lag, .lead:
            // With IGNORE NULLS, offsets count the rows whose value is not NULL (`present`), from the current row.
            let present = call.ignoresNulls ? (0..<n).filter { !argument(0, at: $0).isNull } : []
            for i in 0..<n {
                var offset: Int64 = 1
                if call.arguments.count > 1 {
                    guard case .int64(let o) = argument(1, at: i) else { continue }
                    offset = o
                }
                var target: Int?
                if call.ignoresNulls, offset != 0 {
                    let backward = (call.function == .lag) == (offset > 0)
                    let steps = offset.magnitude
                    if backward {
                        // The present rows before i: indexes below the first at or after it.
                        let before = Self.firstIndex(in: present, atOrAfter: i)
                        if steps <= UInt64(before) { target = present[before - Int(steps)] }
                    } else {
                        let after = Self.firstIndex(in: present, atOrAfter: i + 1)
                        if steps <= UInt64(present.count - after) { target = present[after + Int(steps) - 1] }
                    }
                } else {
                    let (moved, overflow) =
                        call.function == .lag
                        ? Int64(i).subtractingReportingOverflow(offset)
                        : Int64(i).addingReportingOverflow(offset)
                    if !overflow, moved >= 0, moved < Int64(n) { target = Int(moved) }
                }
                if let target {
                    results[positions[i]] = argument(0, at: target)
                } else if call.arguments.count > 2 {
                    results[positions[i]] = argument(2, at: i)
                }
            }
        case .firstValue, .lastValue, .nthValue:
            let frames = try FrameFinder(call: call, rows: rows, positions: positions, peers: peers)
            // With IGNORE NULLS, the frame's rows whose value is not NULL.
            let present = call.ignoresNulls ? (0..<n).filter { !argument(0, at: $0).isNull } : nil
            for i in 0..<n {
                var nth: Int64 = 1
                if call.function == .nthValue {
                    guard case .int64(let k) = argument(1, at: i) else { continue }
                    guard k > 0 else {
                        throw StrataError(
                            .invalidArgument, "the second argument of nth_value must be greater than zero")
                    }
                    nth = k
                }
                // The candidates of each run of the frame: its positions, or with IGNORE NULLS the indexes in
                // `present` of its positions whose value is not NULL.
                let (before, current, after) = try frames.pieces(i)
                var runs = [before, current, after]
                if let present {
                    runs = runs.map { run in
                        Self.firstIndex(
                            in: present, atOrAfter: run.lowerBound)..<Self.firstIndex(
                                in: present, atOrAfter: run.upperBound)
                    }
                }
                var target: Int?
                if call.function == .lastValue {
                    if let run = runs.last(where: { !$0.isEmpty }) { target = run.upperBound - 1 }
                } else {
                    var remaining = nth
                    for run in runs {
                        if remaining <= Int64(run.count) {
                            target = run.lowerBound + Int(remaining) - 1
                            break
                        }
                        remaining -= Int64(run.count)
                    }
                }
                if let target { results[positions[i]] = argument(0, at: present.map { $0[target] } ?? target) }
            }
        case .aggregate(let aggregate):
            let frames = try FrameFinder(call: call, rows: rows, positions: positions, peers: peers)
            if Self.usesTrees(aggregate), !mayOverflow(aggregate) {
                try aggregateWithTrees(aggregate, frames: frames, into: results)
            } else {
                try aggregateRowByRow(aggregate, frames: frames, into: results)
            }
        }
    }

    /// The first index of the sorted `positions` whose position is at or after `position` (`count` when none).
    static func firstIndex(in positions: [Int], atOrAfter position: Int) -> Int {
        var low = 0
        var high = positions.count
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// DuckDB's ntile: `buckets` (at most the rows) groups, the first `rows % buckets` one row larger.
    static func ntile(row: Int64, rows: Int64, buckets: Int64) -> Int64 {
        let buckets = min(buckets, rows)
        let size = rows / buckets
        let large = rows - buckets * size
        let smallStart = large * (size + 1)
        return row < smallStart ? 1 + row / (size + 1) : 1 + large + (row - smallStart) / size
    }

    /// Whether a segment tree answers the aggregate (its state merges: count, sum, avg, min, max).
    private static func usesTrees(_ aggregate: AggregateCall) -> Bool {
        guard !aggregate.isDistinct else { return false }
        switch aggregate.function {
        case .countStar, .count, .sum, .avg, .min, .max: return true
        default: return false
        }
    }

    /// Whether some frame's integer sum might leave 128 bits: the sum of the magnitudes does (HUGEINT or DECIMAL
    /// arguments near the limit). The trees' wrapping sums would then hide it; row by row, it is an error.
    private func mayOverflow(_ aggregate: AggregateCall) -> Bool {
        guard aggregate.function == .sum || aggregate.function == .avg else { return false }
        var total: Int128 = 0
        for j in 0..<n {
            let magnitude: Int128
            switch argument(0, at: j) {
            case .int64(let x): magnitude = Int128(x.magnitude)
            case .hugeint(let x): magnitude = x == .min ? .max : Swift.abs(x)
            case .decimal(let d): magnitude = d.unscaled == .min ? .max : Swift.abs(d.unscaled)
            default: continue
            }
            let (sum, overflow) = total.addingReportingOverflow(magnitude)
            if overflow { return true }
            total = sum
        }
        return false
    }

    /// Whether the row at sorted position `j` passes the aggregate's FILTER.
    private func included(_ j: Int) -> Bool {
        guard let filter = call.filter else { return true }
        return rows[positions[j], filter] == .bool(true)
    }

    /// count, sum, avg, min and max: per-row leaves in segment trees, one O(log n) query per row and tree.
    private func aggregateWithTrees(
        _ aggregate: AggregateCall, frames: FrameFinder, into results: UnsafeMutableBufferPointer<Value>
    )
        throws(StrataError)
    {
        let function = aggregate.function
        // Only the trees the function reads: counts (count, sum and avg, for NULL when a frame has no value), the
        // sums in the argument's form (doubles for DOUBLE, else exact units), the extremes (min and max).
        let extreme = function == .min || function == .max
        let summing = function == .sum || function == .avg
        let isDouble = summing && aggregate.argument?.type == .double
        var counts = [Int64](repeating: 0, count: extreme ? 0 : n)
        var integers = [Int128](repeating: 0, count: summing && !isDouble ? n : 0)
        var doubles = [Double](repeating: 0, count: isDouble ? n : 0)
        var extremes = [Value](repeating: .null, count: extreme ? n : 0)
        var scale: Int?
        for j in 0..<n where included(j) {
            if function == .countStar {
                counts[j] = 1
                continue
            }
            let value = argument(0, at: j)
            if value.isNull { continue }
            if extreme {
                extremes[j] = value
                continue
            }
            counts[j] = 1
            guard summing else { continue }
            switch value {
            case .int64(let x): integers[j] = Int128(x)
            case .hugeint(let x): integers[j] = x
            case .decimal(let d):
                integers[j] = d.unscaled
                scale = d.scale
            default: if isDouble { doubles[j] = value.doubleValue ?? 0 }
            }
        }
        let countTree = SegmentTree(counts, identity: 0, combine: &+)
        let integerTree = SegmentTree(integers, identity: 0, combine: &+)
        let doubleTree = SegmentTree(doubles, identity: 0, combine: +)
        let lowest = function == .min
        let extremeTree = SegmentTree(extremes, identity: .null) { a, b in
            if a.isNull { return b }
            if b.isNull { return a }
            guard let order = ValueOrder.compare(b, a) else { return a }
            return (lowest ? order < 0 : order > 0) ? b : a
        }
        // One state, its sums and extreme set per row from the trees, answers every row (its result is the
        // aggregate's finalize: types, NULL for no rows, the average of decimals).
        var state = AggregateState(aggregate)
        state.sumIsDouble = isDouble
        state.sumScale = scale
        for i in 0..<n {
            if i & 4095 == 0 { try context.check() }
            let runs = try frames.pieces(i)
            if !extreme { state.count = countTree.query(runs) }
            switch function {
            case .sum, .avg:
                if isDouble {
                    state.doubleSum = doubleTree.query(runs)
                } else {
                    state.integerSum = integerTree.query(runs)
                }
            case .min, .max: state.extreme = extremeTree.query(runs)
            default: break
            }
            results[positions[i]] = state.result(function, fraction: aggregate.fraction)
        }
    }

    /// Any other aggregate (DISTINCT, variance, quantiles): each row's frame added to a fresh state.
    private func aggregateRowByRow(
        _ aggregate: AggregateCall, frames: FrameFinder, into results: UnsafeMutableBufferPointer<Value>
    )
        throws(StrataError)
    {
        var work = 0
        for i in 0..<n {
            let (before, current, after) = try frames.pieces(i)
            var state = AggregateState(aggregate)
            for run in [before, current, after] {
                for j in run where included(j) {
                    work &+= 1
                    if work & 4095 == 0 { try context.check() }
                    if aggregate.function.isBinary {
                        state.add(argument(0, at: j), argument(1, at: j), aggregate.function)
                    } else {
                        state.add(aggregate.function == .countStar ? .null : argument(0, at: j), aggregate.function)
                    }
                }
            }
            if state.overflow, aggregate.function == .sum || aggregate.function == .avg {
                throw StrataError(
                    .invalidArgument, "overflow in \(aggregate.text): the sum does not fit in 128 bits (HUGEINT)")
            }
            results[positions[i]] = state.result(aggregate.function, fraction: aggregate.fraction)
        }
    }
}

/// A segment tree over per-row values: the combination of any range in O(log n).
struct SegmentTree<Element> {
    private let size: Int
    private var nodes: [Element]
    private let identity: Element
    private let combine: (Element, Element) -> Element

    init(_ leaves: [Element], identity: Element, combine: @escaping (Element, Element) -> Element) {
        size = leaves.count
        self.identity = identity
        self.combine = combine
        guard size > 0 else {
            nodes = []
            return
        }
        nodes = [Element](repeating: identity, count: size) + leaves
        for i in stride(from: size - 1, through: 1, by: -1) { nodes[i] = combine(nodes[2 * i], nodes[2 * i + 1]) }
    }

    /// The combination of the leaves in three runs, left to right (a frame without the rows it excludes).
    func query(_ runs: (Range<Int>, Range<Int>, Range<Int>)) -> Element {
        let first = query(runs.0.lowerBound, runs.0.upperBound)
        guard !runs.1.isEmpty || !runs.2.isEmpty else { return first }
        let middle = query(runs.1.lowerBound, runs.1.upperBound)
        return combine(combine(first, middle), query(runs.2.lowerBound, runs.2.upperBound))
    }

    /// The combination of the leaves in `lo..<hi`, left to right.
    func query(_ lo: Int, _ hi: Int) -> Element {
        guard lo < hi else { return identity }
        var l = lo + size
        var r = hi + size
        var left = identity
        var right = identity
        while l < r {
            if l & 1 == 1 {
                left = combine(left, nodes[l])
                l += 1
            }
            if r & 1 == 1 {
                r -= 1
                right = combine(nodes[r], right)
            }
            l >>= 1
            r >>= 1
        }
        return combine(left, right)
    }
}
