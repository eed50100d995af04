extension QuantileSketch {
    /// Counts per bucket key in one contiguous array covering a key range, grown with slack at
    /// either end. Empty buckets inside the range cost 8 bytes each; they are not serialized.
    @usableFromInline
    struct BucketStore: Sendable {
        /// The key of `counts[0]`.
        @usableFromInline var offset = 0
        @usableFromInline var counts: [UInt64] = []

        @usableFromInline
        init() {}

        @inlinable
        mutating func add(_ key: Int, _ n: UInt64) {
            let i = key &- offset
            if i >= 0 && i < counts.count {
                counts[i] &+= n
            } else {
                grow(toInclude: key)
                counts[key &- offset] &+= n
            }
        }

        @usableFromInline
        mutating func grow(toInclude key: Int) {
            if counts.isEmpty {
                offset = key
                counts = [0]
                return
            }
            let slack = Swift.max(16, counts.count / 2)
            if key < offset {
                let newOffset = Swift.max(QuantileSketch.minKey, key - slack)
                counts.insert(contentsOf: repeatElement(0, count: offset - newOffset), at: 0)
                offset = newOffset
            } else {
                let newEnd = Swift.min(QuantileSketch.maxKey, key + slack)
                counts.append(contentsOf: repeatElement(0, count: newEnd - (offset + counts.count) + 1))
            }
        }

        /// Calls `body` with every non-empty bucket, in ascending or descending key order.
        func forEachBucket(ascending: Bool, _ body: (Int, UInt64) -> Void) {
            if ascending {
                for (i, n) in counts.enumerated() where n > 0 { body(offset + i, n) }
            } else {
                for (i, n) in counts.enumerated().reversed() where n > 0 { body(offset + i, n) }
            }
        }

        /// The number of non-empty buckets.
        var bucketCount: Int {
            var k = 0
            for n in counts where n > 0 { k += 1 }
            return k
        }

        /// The lowest and highest non-empty keys, or `nil` when empty.
        var keyRange: (low: Int, high: Int)? {
            guard let first = counts.firstIndex(where: { $0 > 0 }),
                let last = counts.lastIndex(where: { $0 > 0 })
            else { return nil }
            return (offset + first, offset + last)
        }
    }
}

extension QuantileSketch.BucketStore: Equatable {
    @usableFromInline
    static func == (lhs: Self, rhs: Self) -> Bool {
        guard let l = lhs.keyRange, let r = rhs.keyRange else { return lhs.keyRange == nil && rhs.keyRange == nil }
        guard l == r else { return false }
        for key in l.low...l.high where lhs.counts[key - lhs.offset] != rhs.counts[key - rhs.offset] {
            return false
        }
        return true
    }
}
