extension QuantileSketch {
    static let magic: [UInt8] = Array("SQNT".utf8)
    static let formatVersion: UInt8 = 1
    /// Identifies the key mapping: ⌈50 · (e + s)⌉ (piecewise-linear log₂, 50 buckets per binade).
    static let mappingLinear50: UInt8 = 1

    /// The sketch as bytes, for storing in a rollup segment.
    ///
    /// Format (version 1): `"SQNT"`, version byte `1`, mapping byte `1`, a reserved zero byte, then
    /// varints: the count of zeros, the number of positive buckets, each as a zigzag key delta
    /// and a count, the same for negative buckets; then, when not empty, the exact minimum and
    /// maximum as 8-byte little-endian bit patterns. An empty sketch takes 10 bytes.
    ///
    /// The bytes depend only on the multiset of inserted values.
    /// - Returns: The serialized sketch.
    /// - Complexity: O(buckets).
    public func serialized() -> [UInt8] {
        var writer = SketchWriter(capacity: 32 + 4 * (positive.counts.count + negative.counts.count))
        for b in Self.magic { writer.byte(b) }
        writer.byte(Self.formatVersion)
        writer.byte(Self.mappingLinear50)
        writer.byte(0)
        writer.varint(zeroCount)
        for store in [positive, negative] {
            writer.varint(UInt64(store.bucketCount))
            var previous = 0
            store.forEachBucket(ascending: true) { key, n in
                writer.signedVarint(Int64(key - previous))
                writer.varint(n)
                previous = key
            }
        }
        if total > 0 {
            writer.fixed64(minimumValue.bitPattern)
            writer.fixed64(maximumValue.bitPattern)
        }
        return writer.bytes
    }

    /// Reads a sketch written by ``serialized()``.
    ///
    /// - Parameter bytes: The serialized sketch.
    /// - Throws: `StrataError` with code `.corruption` when the bytes are not a valid sketch: wrong
    ///   magic, version or mapping, truncation, trailing bytes, keys out of range or not strictly
    ///   increasing, empty buckets, a total count overflowing 64 bits, or a minimum or maximum that
    ///   is not finite, not ordered, or not in the lowest or highest non-empty bucket.
    public init(serialized bytes: UnsafeRawBufferPointer) throws(StrataError) {
        self.init()
        var positive = BucketStore()
        var negative = BucketStore()
        let header = try Self.walk(bytes) { isPositive, key, n in
            if isPositive { positive.add(key, n) } else { negative.add(key, n) }
        }
        self.positive = positive
        self.negative = negative
        zeroCount = header.zeroCount
        total = header.total
        if total > 0 {
            minimumValue = header.minimum
            maximumValue = header.maximum
        }
    }

    /// Adds the values of a serialized sketch, as ``merge(_:)`` of the sketch it encodes would, without
    /// building that sketch (rolled-up rows merge one stored sketch per row).
    /// - Throws: `StrataError` with code `.corruption` when the bytes are not a valid sketch; the sketch is
    ///   then unchanged.
    public mutating func merge(serialized bytes: UnsafeRawBufferPointer) throws(StrataError) {
        // Read the buckets into a small stack buffer while validating, then add them: one pass, nothing
        // changed when the bytes are invalid. Sketches with more buckets than the buffer read twice.
        let capacity = 32
        let result = withUnsafeTemporaryAllocation(of: (Bool, Int, UInt64).self, capacity: capacity) { buffer in
            Result { () throws(StrataError) in
                var count = 0
                let header = try Self.walk(bytes) { isPositive, key, n in
                    if count < capacity { buffer[count] = (isPositive, key, n) }
                    count += 1
                }
                if count <= capacity {
                    for (isPositive, key, n) in buffer[0..<count] {
                        if isPositive { positive.add(key, n) } else { negative.add(key, n) }
                    }
                } else {
                    var positive = self.positive
                    var negative = self.negative
                    self.positive = BucketStore()
                    self.negative = BucketStore()
                    defer {
                        self.positive = positive
                        self.negative = negative
                    }
                    _ = try Self.walk(bytes) { isPositive, key, n in
                        if isPositive { positive.add(key, n) } else { negative.add(key, n) }
                    }
                }
                return header
            }
        }
        let header = try result.get()
        guard header.total > 0 else { return }
        total &+= header.total
        zeroCount &+= header.zeroCount
        if header.minimum < minimumValue { minimumValue = header.minimum }
        if header.maximum > maximumValue { maximumValue = header.maximum }
    }

    /// Reads and validates serialized bytes, calling `bucket(isPositive, key, count)` per bucket.
    private static func walk(
        _ bytes: UnsafeRawBufferPointer, bucket: (Bool, Int, UInt64) -> Void
    ) throws(StrataError) -> (zeroCount: UInt64, total: UInt64, minimum: Double, maximum: Double) {
        var reader = SketchReader(bytes, kind: "quantile")
        try reader.header(magic: Self.magic, version: Self.formatVersion)
        let mapping = try reader.byte()
        guard mapping == Self.mappingLinear50 else { throw reader.corrupt("unknown key mapping \(mapping)") }
        guard try reader.byte() == 0 else { throw reader.corrupt("reserved byte is not zero") }
        let zeroCount = try reader.varint()
        var total = zeroCount
        var ranges: [(low: Int, high: Int)?] = [nil, nil]  // positive, negative
        for (side, sign) in [1, -1].enumerated() {
            let buckets = try reader.varint()
            guard buckets <= UInt64(Self.maxKey - Self.minKey + 1) else {
                throw reader.corrupt("\(buckets) buckets exceed the key range")
            }
            var key = 0
            for i in 0..<Int(buckets) {
                let delta = try reader.signedVarint()
                guard i == 0 || delta > 0 else { throw reader.corrupt("bucket keys are not strictly increasing") }
                guard delta >= Int64(Self.minKey - Self.maxKey), delta <= Int64(Self.maxKey - Self.minKey) else {
                    throw reader.corrupt("bucket key out of range")
                }
                key += Int(delta)
                guard key >= Self.minKey, key <= Self.maxKey else {
                    throw reader.corrupt("bucket key \(key) out of range")
                }
                let n = try reader.varint()
                guard n > 0 else { throw reader.corrupt("empty bucket \(key)") }
                let (sum, overflow) = total.addingReportingOverflow(n)
                guard !overflow else { throw reader.corrupt("total count overflows 64 bits") }
                total = sum
                bucket(sign > 0, key, n)
                ranges[side] = (ranges[side]?.low ?? key, key)
            }
        }
        var minimum = Double.infinity
        var maximum = -Double.infinity
        if total > 0 {
            minimum = Double(bitPattern: try reader.fixed64())
            maximum = Double(bitPattern: try reader.fixed64())
            guard minimum.isFinite, maximum.isFinite, minimum <= maximum,
                minimum.bitPattern != (-0.0).bitPattern, maximum.bitPattern != (-0.0).bitPattern
            else { throw reader.corrupt("invalid minimum or maximum") }
            let (positive, negative) = (ranges[0], ranges[1])
            let lowest =
                negative.map { Slot(sign: -1, key: -$0.high) } ?? (zeroCount > 0 ? Slot(sign: 0, key: 0) : nil)
                ?? positive.map { Slot(sign: 1, key: $0.low) }
            let highest =
                positive.map { Slot(sign: 1, key: $0.high) } ?? (zeroCount > 0 ? Slot(sign: 0, key: 0) : nil)
                ?? negative.map { Slot(sign: -1, key: -$0.low) }
            guard Self.slot(minimum) == lowest, Self.slot(maximum) == highest else {
                throw reader.corrupt("minimum or maximum outside the lowest or highest bucket")
            }
        }
        try reader.expectEnd()
        return (zeroCount, total, minimum, maximum)
    }

    /// Reads a sketch written by ``serialized()``; see ``init(serialized:)-(UnsafeRawBufferPointer)``.
    /// - Throws: `StrataError` with code `.corruption` when the bytes are not a valid sketch.
    public init(serialized bytes: [UInt8]) throws(StrataError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(StrataError) in try QuantileSketch(serialized: buffer) }
        }
        self = try result.get()
    }

    /// Where a finite value goes, as a pair ordered like the values: negative buckets (higher key
    /// first), zero, positive buckets.
    static func slot(_ value: Double) -> Slot {
        let magnitude = value.magnitude
        if magnitude < Double.leastNormalMagnitude { return Slot(sign: 0, key: 0) }
        return value > 0 ? Slot(sign: 1, key: key(magnitude)) : Slot(sign: -1, key: -key(magnitude))
    }

    struct Slot: Equatable {
        var sign: Int
        var key: Int
    }

    var lowestSlot: Slot? {
        if let range = negative.keyRange { return Slot(sign: -1, key: -range.high) }
        if zeroCount > 0 { return Slot(sign: 0, key: 0) }
        if let range = positive.keyRange { return Slot(sign: 1, key: range.low) }
        return nil
    }

    var highestSlot: Slot? {
        if let range = positive.keyRange { return Slot(sign: 1, key: range.high) }
        if zeroCount > 0 { return Slot(sign: 0, key: 0) }
        if let range = negative.keyRange { return Slot(sign: -1, key: -range.low) }
        return nil
    }
}
