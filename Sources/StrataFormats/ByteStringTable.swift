#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A string column being ingested: dictionary codes per row, and the distinct values seen so far in
/// an open-addressing hash table keyed by their UTF-8 bytes.
///
/// Looking up a value that was seen before allocates nothing; only a new distinct value is copied
/// (into one byte arena) and validated as UTF-8. Codes are in first-seen order; segment building
/// sorts the dictionary later.
package struct ByteStringTable {
    /// Distinct values, back to back.
    private(set) var arena: [UInt8] = []
    /// `distinctCount + 1` offsets into `arena`.
    private(set) var offsets: [UInt32] = [0]
    /// Hash of each distinct value (for growing the table without rehashing bytes).
    private var hashes: [UInt32] = []
    /// Open-addressing slots: 0 empty, else code + 1.
    private var slots: [UInt32] = [UInt32](repeating: 0, count: 1024)
    /// The code of each row.
    package var codes: [UInt32] = []

    var distinctCount: Int { offsets.count - 1 }

    /// Why a value was not interned.
    enum Failure: Error { case invalidUTF8 }

    /// Appends a row holding `bytes`; returns `false` (appending nothing) if `bytes` is a new value
    /// that is not valid UTF-8.
    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let code = intern(bytes) else { return false }
        codes.append(code)
        return true
    }

    /// The code of `bytes`, adding it if new; `nil` for a new value that is not valid UTF-8.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var index = Int(hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { break }
            let code = Int(slot - 1)
            if hashes[code] == hash {
                let start = Int(offsets[code])
                let length = Int(offsets[code + 1]) - start
                if length == bytes.count {
                    let equal = arena.withUnsafeBytes { a in
                        length == 0 || memcmp(a.baseAddress! + start, bytes.baseAddress!, length) == 0
                    }
                    if equal { return UInt32(code) }
                }
            }
            index = (index &+ 1) & mask
        }
        guard UTF8Validation.isValid(bytes) else { return nil }
        let code = UInt32(distinctCount)
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        hashes.append(hash)
        slots[index] = code + 1
        if distinctCount * 2 > slots.count { grow() }
        return code
    }

    private mutating func grow() {
        var bigger = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for code in 0..<distinctCount {
            var index = Int(hashes[code]) & mask
            while bigger[index] != 0 { index = (index &+ 1) & mask }
            bigger[index] = UInt32(code + 1)
        }
        slots = bigger
    }

    /// The distinct values as strings, in code order (one allocation per distinct value).
    package func dictionary() -> [String] {
        arena.withUnsafeBufferPointer { a in
            (0..<distinctCount).map { code in
                let start = Int(offsets[code])
                let end = Int(offsets[code + 1])
                return String(decoding: UnsafeBufferPointer(rebasing: a[start..<end]), as: UTF8.self)
            }
        }
    }

    /// The bytes of a distinct value.
    func withValue<R>(_ code: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = Int(offsets[code])
        let end = Int(offsets[code + 1])
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// A 32-bit hash of a byte string: 8 bytes at a time, multiply-xorshift mixing.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                word |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return UInt32(truncatingIfNeeded: h >> 32)
    }
}

/// Strict UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        firstInvalidOffset(bytes) == nil
    }

    /// The byte offset of the first invalid sequence, or `nil` when all of `bytes` is valid.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            // ASCII fast path, 8 bytes at a time.
            while i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < n else { return nil }
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            @inline(__always) func continuation(_ k: Int) -> Bool { i + k < n && bytes[i + k] & 0xC0 == 0x80 }
            if b0 >= 0xC2 && b0 <= 0xDF {
                guard continuation(1) else { return i }
                i += 2
            } else if b0 >= 0xE0 && b0 <= 0xEF {
                guard continuation(1), continuation(2) else { return i }
                let b1 = bytes[i + 1]
                if b0 == 0xE0 && b1 < 0xA0 { return i }  // overlong
                if b0 == 0xED && b1 > 0x9F { return i }  // surrogate
                i += 3
            } else if b0 >= 0xF0 && b0 <= 0xF4 {
                guard continuation(1), continuation(2), continuation(3) else { return i }
                let b1 = bytes[i + 1]
                if b0 == 0xF0 && b1 < 0x90 { return i }  // overlong
                if b0 == 0xF4 && b1 > 0x8F { return i }  // above U+10FFFF
                i += 4
            } else {
                return i
            }
        }
        return nil
    }
}
