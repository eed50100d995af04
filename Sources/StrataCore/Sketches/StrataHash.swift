/// The 64-bit hash Strata uses wherever a hash is stored or must agree between runs and machines:
/// XXH64 (xxHash, 64-bit variant) with seed 0.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot be used for anything written
/// to disk (HyperLogLog registers in rollup segments) or compared across queries. XXH64 is a
/// published, byte-exact algorithm: `hash64(bytes:)` equals the reference implementation's
/// `XXH64(bytes, length, 0)` on every platform.
///
/// Values are hashed through their canonical bytes, so the engine can hash a segment's dictionary
/// values once and feed the hashes to sketches with ``HyperLogLog/insert(hash:)``:
/// - `Int64`/`UInt64`: the 8 little-endian bytes.
/// - `Double`: the 8 little-endian bytes of the IEEE 754 bit pattern, with `-0.0` mapped to `+0.0`
///   and every NaN mapped to the quiet NaN `0x7FF8_0000_0000_0000`, so values that compare equal
///   in SQL hash equal.
/// - `String`: its UTF-8 bytes (no normalization; Strata stores strings as given).
///
/// Different types hash differently even when their values are numerically equal (`5` as
/// `Int64` and `5.0` as `Double`); a column has one type, so this never matters within a column.
public enum StrataHash {
    @usableFromInline static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The canonical bit pattern of a double: `-0.0` becomes `+0.0`, every NaN the quiet NaN
    /// `0x7FF8_0000_0000_0000`.
    @inlinable
    public static func canonicalBits(_ value: Double) -> UInt64 {
        if value.isNaN { return 0x7FF8_0000_0000_0000 }
        if value == 0 { return 0 }
        return value.bitPattern
    }

    /// XXH64 (seed 0) of raw bytes.
    ///
    /// - Parameter bytes: The bytes to hash.
    /// - Returns: The 64-bit hash.
    /// - Complexity: O(n) in the number of bytes.
    @inlinable
    public static func hash64(bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var offset = 0
        var h: UInt64
        if count >= 32 {
            var v1 = prime1 &+ prime2
            var v2 = prime2
            var v3: UInt64 = 0
            var v4 = 0 &- prime1
            while offset &+ 32 <= count {
                v1 = round(v1, load64(bytes, offset))
                v2 = round(v2, load64(bytes, offset &+ 8))
                v3 = round(v3, load64(bytes, offset &+ 16))
                v4 = round(v4, load64(bytes, offset &+ 24))
                offset &+= 32
            }
            h = rotate(v1, 1) &+ rotate(v2, 7) &+ rotate(v3, 12) &+ rotate(v4, 18)
            h = mergeRound(h, v1)
            h = mergeRound(h, v2)
            h = mergeRound(h, v3)
            h = mergeRound(h, v4)
        } else {
            h = prime5
        }
        h &+= UInt64(truncatingIfNeeded: count)
        while offset &+ 8 <= count {
            h ^= round(0, load64(bytes, offset))
            h = rotate(h, 27) &* prime1 &+ prime4
            offset &+= 8
        }
        if offset &+ 4 <= count {
            let word = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            h ^= UInt64(word) &* prime1
            h = rotate(h, 23) &* prime2 &+ prime3
            offset &+= 4
        }
        while offset < count {
            h ^= UInt64(bytes[offset]) &* prime5
            h = rotate(h, 11) &* prime1
            offset &+= 1
        }
        return avalanche(h)
    }

    /// XXH64 (seed 0) of a 64-bit integer's 8 little-endian bytes.
    ///
    /// Equal to `hash64(bytes:)` over those bytes, without touching memory.
    /// - Complexity: O(1).
    @inlinable
    public static func hash64(_ value: UInt64) -> UInt64 {
        var h = prime5 &+ 8
        h ^= round(0, value)
        h = rotate(h, 27) &* prime1 &+ prime4
        return avalanche(h)
    }

    /// XXH64 (seed 0) of a signed 64-bit integer's 8 little-endian bytes (two's complement).
    /// - Complexity: O(1).
    @inlinable
    public static func hash64(_ value: Int64) -> UInt64 {
        hash64(UInt64(bitPattern: value))
    }

    /// XXH64 (seed 0) of a double's canonical bit pattern (see ``canonicalBits(_:)``).
    /// - Complexity: O(1).
    @inlinable
    public static func hash64(_ value: Double) -> UInt64 {
        hash64(canonicalBits(value))
    }

    /// XXH64 (seed 0) of a string's UTF-8 bytes.
    /// - Complexity: O(n) in the UTF-8 length.
    @inlinable
    public static func hash64(_ string: String) -> UInt64 {
        if let hash = string.utf8.withContiguousStorageIfAvailable({ hash64(bytes: UnsafeRawBufferPointer($0)) }) {
            return hash
        }
        var copy = string
        return copy.withUTF8 { hash64(bytes: UnsafeRawBufferPointer($0)) }
    }

    @inlinable
    static func load64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inlinable
    static func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 {
        (x &<< r) | (x &>> (64 &- r))
    }

    @inlinable
    static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotate(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inlinable
    static func mergeRound(_ accumulator: UInt64, _ value: UInt64) -> UInt64 {
        (accumulator ^ round(0, value)) &* prime1 &+ prime4
    }

    @inlinable
    static func avalanche(_ hash: UInt64) -> UInt64 {
        var h = hash
        h ^= h &>> 33
        h &*= prime2
        h ^= h &>> 29
        h &*= prime3
        h ^= h &>> 32
        return h
    }
}
