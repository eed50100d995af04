import StrataCore

/// The frame of each row of a sorted window partition, as a range of sorted positions.
///
/// ROWS frames count positions. RANGE frames compare the one sort key: `CURRENT ROW` reaches the row's peers,
/// `n PRECEDING`/`n FOLLOWING` the rows whose key is within `n` (in the sort's direction) of the row's, found by
/// binary search among the non-null keys; a row whose key is NULL has its NULL peers as that frame.
/// GROUPS frames count groups of peers. Without ORDER BY every row is a peer of every other, so the default
/// frame is the whole partition.
struct FrameFinder {
    private let call: WindowCall
    private let peers: [Range<Int>]
    private let n: Int
    /// GROUPS: the group of peers of each position, numbered from 0, and each group's positions.
    private var groupOf: [Int] = []
    private var groups: [Range<Int>] = []
    /// RANGE with an offset: the sort key of each position as an integer (BIGINT, TIMESTAMP, DATE) …
    private var integers: [Int64] = []
    /// … or as a double (any other number).
    private var doubles: [Double] = []
    /// The positions whose key is not NULL (NULLs sort together at one end).
    private var nonNull: Range<Int> = 0..<0
    private var descending = false

    init(call: WindowCall, rows: WindowRows, positions: [Int], peers: [Range<Int>]) throws(StrataError) {
        self.call = call
        self.peers = peers
        n = positions.count
        if call.unit == .groups {
            groupOf.reserveCapacity(n)
            for i in 0..<n {
                if peers[i].lowerBound == i { groups.append(peers[i]) }
                groupOf.append(groups.count - 1)
            }
        }
        guard call.unit == .range, call.start.hasOffset || call.end.hasOffset, let key = call.order.first else {
            return
        }
        descending = key.descending
        let keys = positions.map { rows[$0, key.column] }
        let first = keys.firstIndex { !$0.isNull } ?? n
        let last = keys.lastIndex { !$0.isNull }.map { $0 + 1 } ?? first
        nonNull = first..<last
        let integral = keys.allSatisfy { value in
            switch value {
            case .null, .int64, .timestamp: true
            default: false
            }
        }
        let integralOffsets = [call.start, call.end].allSatisfy { bound in
            switch bound.offset {
            case .value(.int64)?, .interval?, nil: true
            default: false
            }
        }
        if integral && integralOffsets {
            integers = keys.map { value in
                switch value {
                case .int64(let x), .timestamp(let x): x
                default: 0
                }
            }
        } else {
            doubles = keys.map { $0.doubleValue ?? 0 }
        }
    }

    /// The sorted positions in the frame of position `i` (empty when the frame ends before it starts).
    func frame(_ i: Int) throws(StrataError) -> Range<Int> {
        let lo = try position(of: call.start, at: i, isEnd: false)
        let hi = try position(of: call.end, at: i, isEnd: true)
        let start = Swift.max(0, Swift.min(lo, n))
        return start..<Swift.max(start, Swift.min(hi, n))
    }

    /// The frame of position `i` without the rows its `EXCLUDE` leaves out: up to three runs of positions, in
    /// order (the rows before the excluded ones, the current row when only its ties are excluded, the rows
    /// after), each possibly empty.
    func pieces(_ i: Int) throws(StrataError) -> (Range<Int>, Range<Int>, Range<Int>) {
        let frame = try self.frame(i)
        let (lo, hi) = (frame.lowerBound, frame.upperBound)
        let excluded: Range<Int>
        switch call.exclusion {
        case .none: return (frame, hi..<hi, hi..<hi)
        case .currentRow: excluded = i..<(i + 1)
        case .group, .ties: excluded = peers[i]
        }
        let before = lo..<Swift.max(lo, Swift.min(excluded.lowerBound, hi))
        let afterStart = Swift.min(Swift.max(excluded.upperBound, lo), hi)
        let after = afterStart..<hi
        let current = call.exclusion == .ties && frame.contains(i) ? i..<(i + 1) : before.upperBound..<before.upperBound
        return (before, current, after)
    }

    /// A bound's position: the first position in the frame for a start, one past the last for an end.
    private func position(of bound: WindowCall.Bound, at i: Int, isEnd: Bool) throws(StrataError) -> Int {
        switch bound {
        case .unboundedPreceding: return 0
        case .unboundedFollowing: return n
        case .currentRow:
            if call.unit == .rows { return isEnd ? i + 1 : i }
            return isEnd ? peers[i].upperBound : peers[i].lowerBound
        case .preceding(let offset), .following(let offset):
            let preceding = if case .preceding = bound { true } else { false }
            if call.unit == .groups, case .rows(let k) = offset {
                // The group `k` groups away: its first position for a start, one past its last for an end.
                let g = Int64(groupOf[i])
                let (moved, overflow) = preceding ? g.subtractingReportingOverflow(k) : g.addingReportingOverflow(k)
                if overflow ? preceding : moved < 0 { return 0 }
                if overflow || moved >= Int64(groups.count) { return n }
                return isEnd ? groups[Int(moved)].upperBound : groups[Int(moved)].lowerBound
            }
            if case .rows(let k) = offset {
                let (moved, overflow) =
                    preceding ? Int64(i).subtractingReportingOverflow(k) : Int64(i).addingReportingOverflow(k)
                let clamped = overflow ? (preceding ? Int64.min : Int64.max) : moved
                let p = Int(clamping: clamped)
                return isEnd ? (p == Int.max ? p : p + 1) : p
            }
            guard nonNull.contains(i) else { return isEnd ? peers[i].upperBound : peers[i].lowerBound }
            // Towards larger keys when the bound follows an ascending row (or precedes a descending one).
            let upward = preceding == descending
            return try search(offset, at: i, upward: upward, strict: isEnd)
        }
    }

    /// The first non-null position whose key is at or past (`strict`: past) the row's key moved by `offset`
    /// (upward or downward), in the sort's direction.
    private func search(_ offset: WindowCall.Offset, at i: Int, upward: Bool, strict: Bool) throws(StrataError) -> Int {
        var low = nonNull.lowerBound
        var high = nonNull.upperBound
        if !integers.isEmpty {
            let target: Int64
            switch offset {
            case .interval(let interval):
                do throws(StrataError) {
                    target = try (upward ? interval : interval.negated).added(to: integers[i])
                } catch {
                    target = upward ? .max : .min
                }
            case .value(.int64(let k)):
                let (moved, overflow) =
                    upward ? integers[i].addingReportingOverflow(k) : integers[i].subtractingReportingOverflow(k)
                target = overflow ? (upward ? .max : .min) : moved
            default: target = integers[i]
            }
            while low < high {
                let mid = (low + high) / 2
                let key = integers[mid]
                let past =
                    descending ? (strict ? key < target : key <= target) : (strict ? key > target : key >= target)
                if past { high = mid } else { low = mid + 1 }
            }
            return low
        }
        let k: Double
        if case .value(let value) = offset { k = value.doubleValue ?? 0 } else { k = 0 }
        let target = upward ? doubles[i] + k : doubles[i] - k
        while low < high {
            let mid = (low + high) / 2
            let key = doubles[mid]
            let past = descending ? (strict ? key < target : key <= target) : (strict ? key > target : key >= target)
            if past { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

extension WindowCall.Bound {
    var offset: WindowCall.Offset? {
        switch self {
        case .preceding(let offset), .following(let offset): offset
        default: nil
        }
    }

    var hasOffset: Bool { offset != nil }
}
