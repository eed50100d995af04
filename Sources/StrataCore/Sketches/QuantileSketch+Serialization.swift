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
        var reader = SketchReader(bytes, kind: "quantile")
        try reader.header(magic: Self.magic, version: Self.formatVersion)
        let mapping = try reader.byte()
        guard mapping == Self.mappingLinear50 else { throw reader.corrupt("unknown key mapping \(mapping)") }
        guard try reader.byte() == 0 else { throw reader.corrupt("reserved byte is not zero") }
        self.init()
        zeroCount = try reader.varint()
        var total = zeroCount
        for sign in [1, -1] {
            let buckets = try reader.varint()
            guard buckets <= UInt64(Self.maxKey - Self.minKey + 1) else {
                throw reader.corrupt("\(buckets) buckets exceed the key range")
            }
            var store = BucketStore()
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
                store.add(key, n)
            }
            if sign > 0 { positive = store } else { negative = store }
        }
        self.total = total
        if total > 0 {
            minimumValue = Double(bitPattern: try reader.fixed64())
            maximumValue = Double(bitPattern: try reader.fixed64())
            guard minimumValue.isFinite, maximumValue.isFinite, minimumValue <= maximumValue,
                minimumValue.bitPattern != (-0.0).bitPattern, maximumValue.bitPattern != (-0.0).bitPattern
            else { throw reader.corrupt("invalid minimum or maximum") }
            guard Self.slot(minimumValue) == lowestSlot, Self.slot(maximumValue) == highestSlot else {
                throw reader.corrupt("minimum or maximum outside the lowest or highest bucket")
            }
        }
        try reader.expectEnd()
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
