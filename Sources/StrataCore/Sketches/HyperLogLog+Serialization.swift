extension HyperLogLog {
    static let magic: [UInt8] = Array("SHLL".utf8)
    static let formatVersion: UInt8 = 1
    static let sparseEncoding: UInt8 = 1
    static let denseEncoding: UInt8 = 2
    /// Dense registers packed four to three bytes (six bits each).
    static let packedRegisterBytes = registerCount / 4 * 3

    /// The sketch as bytes, for storing in a rollup segment.
    ///
    /// Format (version 1): `"SHLL"`, version byte `1`, precision byte `14`, encoding byte
    /// (`1` sparse, `2` dense), a reserved zero byte, then either the sparse entries (a varint count
    /// and varint deltas between consecutive sorted entries) or the 16 384 registers packed six
    /// bits each, little-endian (12 288 bytes). An empty sketch takes 9 bytes.
    ///
    /// The bytes are a function of the set of inserted hashes only: equal inputs, in any order and
    /// split across any merges, give equal bytes.
    /// - Returns: The serialized sketch.
    /// - Complexity: O(m) when dense; O(k log k) in the sparse entries otherwise.
    public func serialized() -> [UInt8] {
        var sketch = self
        sketch.compactSparse()
        var writer = SketchWriter(
            capacity: sketch.isDense ? 8 + Self.packedRegisterBytes : 16 + 4 * sketch.sparse.count)
        for b in Self.magic { writer.byte(b) }
        writer.byte(Self.formatVersion)
        writer.byte(UInt8(Self.precision))
        if sketch.isDense {
            writer.byte(Self.denseEncoding)
            writer.byte(0)
            let r = sketch.registers
            var i = 0
            while i < Self.registerCount {
                let packed =
                    UInt32(r[i]) | UInt32(r[i + 1]) << 6 | UInt32(r[i + 2]) << 12 | UInt32(r[i + 3]) << 18
                writer.byte(UInt8(truncatingIfNeeded: packed))
                writer.byte(UInt8(truncatingIfNeeded: packed >> 8))
                writer.byte(UInt8(truncatingIfNeeded: packed >> 16))
                i += 4
            }
        } else {
            writer.byte(Self.sparseEncoding)
            writer.byte(0)
            writer.varint(UInt64(sketch.sparse.count))
            var previous: UInt32 = 0
            for entry in sketch.sparse {
                writer.varint(UInt64(entry - previous))
                previous = entry
            }
        }
        return writer.bytes
    }

    /// Reads a sketch written by ``serialized()``.
    ///
    /// - Parameter bytes: The serialized sketch.
    /// - Throws: `StrataError` with code `.corruption` when the bytes are not a valid sketch: wrong
    ///   magic, version or precision, truncation, trailing bytes, out-of-range registers or ranks,
    ///   unsorted or duplicate sparse entries, or a sparse list longer than the sparse limit.
    public init(serialized bytes: UnsafeRawBufferPointer) throws(StrataError) {
        self.init()
        var sparse: [UInt32] = []
        var registers: [UInt8] = []
        try Self.walk(
            bytes, sparseCount: { sparse.reserveCapacity($0) }, sparse: { sparse.append($0) },
            dense: { index, rank in
                if registers.isEmpty { registers = [UInt8](repeating: 0, count: Self.registerCount) }
                registers[index] = rank
            })
        self.sparse = sparse
        self.registers = registers
    }

    /// Adds the values of a serialized sketch, as ``merge(_:)`` of the sketch it encodes would, without
    /// building that sketch (rolled-up rows merge one stored sketch per row).
    /// - Throws: `StrataError` with code `.corruption` when the bytes are not a valid sketch; the sketch is
    ///   then unchanged.
    public mutating func merge(serialized bytes: UnsafeRawBufferPointer) throws(StrataError) {
        var isDenseInput = false
        try Self.walk(bytes, sparseCount: { _ in }, sparse: { _ in }, dense: { _, _ in isDenseInput = true })
        if isDenseInput, !isDense { makeDense() }
        var registers = self.registers
        var pending = self.pending
        self.registers = []
        self.pending = []
        let dense = !registers.isEmpty
        try Self.walk(
            bytes, sparseCount: { _ in },
            sparse: { entry in
                if dense {
                    let (index, rank) = Self.denseRegister(fromSparse: entry)
                    if rank > registers[index] { registers[index] = rank }
                } else {
                    pending.append(entry)
                }
            },
            dense: { index, rank in if rank > registers[index] { registers[index] = rank } })
        self.registers = registers
        self.pending = pending
        if self.pending.count >= Self.pendingLimit { compactSparse() }
    }

    /// Reads and validates serialized bytes: `sparse` gets each sparse entry, `dense` each non-zero register.
    private static func walk(
        _ bytes: UnsafeRawBufferPointer, sparseCount: (Int) -> Void, sparse: (UInt32) -> Void,
        dense: (Int, UInt8) -> Void
    ) throws(StrataError) {
        var reader = SketchReader(bytes, kind: "HyperLogLog")
        try reader.header(magic: Self.magic, version: Self.formatVersion)
        let precision = try reader.byte()
        guard precision == Self.precision else {
            throw reader.corrupt("precision \(precision), expected \(Self.precision)")
        }
        let encoding = try reader.byte()
        guard try reader.byte() == 0 else { throw reader.corrupt("reserved byte is not zero") }
        switch encoding {
        case Self.denseEncoding:
            guard bytes.count - reader.offset == Self.packedRegisterBytes else {
                throw reader.corrupt("dense registers take \(Self.packedRegisterBytes) bytes")
            }
            let maxRank = UInt32(64 - Self.precision + 1)
            dense(0, 0)  // marks the input dense even when every register is zero
            var i = 0
            while i < Self.registerCount {
                let packed =
                    UInt32(try reader.byte()) | UInt32(try reader.byte()) << 8 | UInt32(try reader.byte()) << 16
                for k in 0..<4 {
                    let r = (packed >> UInt32(6 * k)) & 0x3F
                    guard r <= maxRank else { throw reader.corrupt("register \(i + k) holds \(r) > \(maxRank)") }
                    if r > 0 { dense(i + k, UInt8(r)) }
                }
                i += 4
            }
        case Self.sparseEncoding:
            let count = try reader.varint()
            guard count <= UInt64(Self.sparseLimit) else {
                throw reader.corrupt("\(count) sparse entries exceed the limit \(Self.sparseLimit)")
            }
            sparseCount(Int(count))
            let maxRank = UInt32(64 - Self.sparsePrecision + 1)
            var previous: UInt64 = 0
            for n in 0..<Int(count) {
                let delta = try reader.varint()
                let entry = previous + delta
                guard entry <= UInt64(UInt32.max >> 1) else { throw reader.corrupt("sparse entry out of range") }
                if n > 0, entry >> 6 <= previous >> 6 {
                    throw reader.corrupt("sparse entries are not strictly increasing by index")
                }
                let rank = UInt32(entry & 0x3F)
                guard rank >= 1, rank <= maxRank else { throw reader.corrupt("sparse rank \(rank) out of range") }
                sparse(UInt32(entry))
                previous = entry
            }
        default:
            throw reader.corrupt("unknown encoding \(encoding)")
        }
        try reader.expectEnd()
    }

    /// Reads a sketch written by ``serialized()``; see ``init(serialized:)-(UnsafeRawBufferPointer)``.
    /// - Throws: `StrataError` with code `.corruption` when the bytes are not a valid sketch.
    public init(serialized bytes: [UInt8]) throws(StrataError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(StrataError) in try HyperLogLog(serialized: buffer) }
        }
        self = try result.get()
    }
}
