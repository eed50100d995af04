import StrataCore

/// Decodes the payload of one uncompressed block (after its validity words).
enum BlockDecoder {
    enum Failure: Error { case malformed }

    @inline(__always)
    static func word(_ raw: UnsafeRawBufferPointer, _ index: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
    }

    /// A bit width read from a block, checked before `Int(_:)` (which traps past `Int.max`).
    static func width(_ stored: UInt64, max: UInt64) throws(Failure) -> Int {
        guard stored <= max else { throw .malformed }
        return Int(stored)
    }

    /// Decodes `count` integers into `out` (which must have room for them).
    static func decodeIntegers(
        _ raw: UnsafeRawBufferPointer, encoding: BlockEncoding, count: Int, into out: UnsafeMutableBufferPointer<Int64>
    ) throws(Failure) {
        switch encoding {
        case .plain:
            guard raw.count >= count * 8 else { throw .malformed }
            for i in 0..<count { out[i] = Int64(bitPattern: word(raw, i)) }
        case .frameOfReference:
            guard raw.count >= 16 else { throw .malformed }
            let base = Int64(bitPattern: word(raw, 0))
            let width = try Self.width(word(raw, 1), max: 64)
            guard raw.count >= 16 + BitPacking.byteCount(count: count, width: width) else { throw .malformed }
            let packed = UnsafeRawBufferPointer(rebasing: raw[16...])
            BitPacking.unpack(packed, count: count, width: width) { i, v in out[i] = base &+ Int64(bitPattern: v) }
        case .delta:
            guard raw.count >= 24, count > 0 else {
                if count == 0 { return }
                throw .malformed
            }
            var value = Int64(bitPattern: word(raw, 0))
            let minDelta = Int64(bitPattern: word(raw, 1))
            let width = try Self.width(word(raw, 2), max: 64)
            guard raw.count >= 24 + BitPacking.byteCount(count: count - 1, width: width) else { throw .malformed }
            out[0] = value
            let packed = UnsafeRawBufferPointer(rebasing: raw[24...])
            BitPacking.unpack(packed, count: count - 1, width: width) { i, v in
                value = value &+ minDelta &+ Int64(bitPattern: v)
                out[i + 1] = value
            }
        case .bitPacked, .sketches:
            throw .malformed
        }
    }

    static func decodeDoubles(
        _ raw: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutableBufferPointer<Double>
    ) throws(Failure) {
        guard raw.count >= count * 8 else { throw .malformed }
        for i in 0..<count { out[i] = Double(bitPattern: word(raw, i)) }
    }

    static func decodeBools(_ raw: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutableBufferPointer<Bool>)
        throws(Failure)
    {
        guard raw.count >= BitPacking.byteCount(count: count, width: 1) else { throw .malformed }
        BitPacking.unpack(raw, count: count, width: 1) { i, v in out[i] = v != 0 }
    }

    static func decodeCodes(
        _ raw: UnsafeRawBufferPointer, count: Int, dictionaryCount: Int, into out: UnsafeMutableBufferPointer<UInt32>
    ) throws(Failure) {
        guard raw.count >= 16 else { throw .malformed }
        let width = try Self.width(word(raw, 1), max: 32)
        guard raw.count >= 16 + BitPacking.byteCount(count: count, width: width) else { throw .malformed }
        BitPacking.unpack(UnsafeRawBufferPointer(rebasing: raw[16...]), count: count, width: width, into: out)
        // A code past the dictionary would index out of bounds later: reject the block instead. A
        // count of 0 means no dictionary to check against (table-wide codes without their dictionary).
        if dictionaryCount > 0, width > 0 {
            var maxCode: UInt32 = 0
            for i in 0..<count { maxCode = max(maxCode, out[i]) }
            guard maxCode < UInt32(dictionaryCount) else { throw .malformed }
        }
    }
}
