/// Appends the pieces of a sketch's serialized form: fixed-width little-endian integers and
/// LEB128 varints. Shared by ``HyperLogLog`` and ``QuantileSketch``.
struct SketchWriter {
    var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A signed integer, zigzag-encoded so small magnitudes of either sign stay short.
    mutating func signedVarint(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// Reads a sketch's serialized form with bounds checks; every failure is a `.corruption` error
/// naming the sketch kind and what was wrong.
struct SketchReader {
    let bytes: UnsafeRawBufferPointer
    let kind: StaticString
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer, kind: StaticString) {
        self.bytes = bytes
        self.kind = kind
    }

    var isAtEnd: Bool { offset == bytes.count }

    func corrupt(_ message: String) -> StrataError {
        StrataError(.corruption, "\(kind) sketch: \(message) (byte \(offset) of \(bytes.count))")
    }

    mutating func byte() throws(StrataError) -> UInt8 {
        guard offset < bytes.count else { throw corrupt("truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(StrataError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63 && b > 1 { throw corrupt("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 {
                // Canonical form only: no redundant trailing zero groups.
                if b == 0 && shift > 0 { throw corrupt("non-canonical varint") }
                return result
            }
            shift += 7
        }
    }

    mutating func signedVarint() throws(StrataError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func fixed64() throws(StrataError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw corrupt("truncated") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Checks the 4-byte magic and the format version byte.
    mutating func header(magic: [UInt8], version: UInt8) throws(StrataError) {
        guard bytes.count >= magic.count + 1 else { throw corrupt("too short for a header") }
        guard magic.indices.allSatisfy({ bytes[$0] == magic[$0] }) else { throw corrupt("bad magic number") }
        offset = magic.count
        let v = try byte()
        guard v == version else {
            throw corrupt("unsupported format version \(v) (this build reads version \(version))")
        }
    }

    func expectEnd() throws(StrataError) {
        guard isAtEnd else { throw corrupt("\(bytes.count - offset) trailing bytes") }
    }
}
