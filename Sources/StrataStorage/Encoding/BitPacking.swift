/// Packs unsigned integers of a fixed bit width into 64-bit words, least significant bits first.
/// Dictionary codes, frame-of-reference integers and booleans are stored this way.
public enum BitPacking {
    /// Bits needed to represent `maxValue` (0 for 0).
    @inlinable
    public static func width(for maxValue: UInt64) -> Int { 64 - maxValue.leadingZeroBitCount }

    /// Number of bytes `count` values of `width` bits occupy.
    @inlinable
    public static func byteCount(count: Int, width: Int) -> Int { (count * width + 63) / 64 * 8 }

    /// Appends `count` values produced by `value(i)`, packed at `width` bits, to `out`.
    @inlinable
    public static func pack(count: Int, width: Int, into out: inout [UInt8], _ value: (Int) -> UInt64) {
        guard width > 0, count > 0 else { return }
        let wordCount = (count * width + 63) / 64
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: wordCount * 8))
        out.withUnsafeMutableBytes { raw in
            let words = UnsafeMutableRawPointer(raw.baseAddress! + start)
            var acc: UInt64 = 0
            var filled = 0
            var w = 0
            for i in 0..<count {
                let v = value(i)
                acc |= v << UInt64(filled)
                filled += width
                if filled >= 64 {
                    words.storeBytes(of: acc.littleEndian, toByteOffset: w * 8, as: UInt64.self)
                    w += 1
                    filled -= 64
                    acc = filled > 0 ? v >> UInt64(width - filled) : 0
                }
            }
            if filled > 0 { words.storeBytes(of: acc.littleEndian, toByteOffset: w * 8, as: UInt64.self) }
        }
    }

    /// Unpacks `count` values of `width` bits from `packed`, calling `sink(i, v)` for each.
    @inlinable
    public static func unpack(
        _ packed: UnsafeRawBufferPointer, count: Int, width: Int, _ sink: (Int, UInt64) -> Void
    ) {
        guard count > 0 else { return }
        guard width > 0 else {
            for i in 0..<count { sink(i, 0) }
            return
        }
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        let wordCount = packed.count / 8
        @inline(__always) func word(_ k: Int) -> UInt64 {
            UInt64(littleEndian: packed.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))
        }
        var bit = 0
        if width <= 56, let base = packed.baseAddress {
            // One unaligned 8-byte load per value (the value plus at most 7 leading bits fit), while a
            // full load stays inside the buffer; the tail takes the word-by-word path below.
            let limit = packed.count - 8
            var i = 0
            while i < count {
                let byte = bit &>> 3
                if byte > limit { break }
                let v = UInt64(littleEndian: (base + byte).loadUnaligned(as: UInt64.self)) &>> UInt64(bit & 7)
                sink(i, v & mask)
                bit &+= width
                i &+= 1
            }
            for j in i..<count {
                let k = bit >> 6
                let shift = bit & 63
                var v = word(k) >> UInt64(shift)
                if shift + width > 64, k + 1 < wordCount { v |= word(k + 1) << UInt64(64 - shift) }
                sink(j, v & mask)
                bit += width
            }
            return
        }
        for i in 0..<count {
            let k = bit >> 6
            let shift = bit & 63
            var v = word(k) >> UInt64(shift)
            if shift + width > 64, k + 1 < wordCount { v |= word(k + 1) << UInt64(64 - shift) }
            sink(i, v & mask)
            bit += width
        }
    }

    /// Unpacks codes of `width` below 8 bits: eight of them fill `width` whole bytes, so each group of eight
    /// is one unaligned 8-byte load and constant shifts (the callers pass `width` as a literal, so each
    /// width's loop is its own, unrolled); the tail reads the one or two bytes each value spans.
    @inlinable @inline(__always)
    static func unpackEights(
        _ packed: UnsafeRawBufferPointer, count: Int, width: Int, into out: UnsafeMutableBufferPointer<UInt32>
    ) {
        let mask: UInt64 = (1 << UInt64(width)) - 1
        var i = 0
        if let base = packed.baseAddress {
            // Groups whose 8-byte load stays inside the buffer.
            let groups = min(count / 8, packed.count >= 8 ? (packed.count - 8) / width + 1 : 0)
            for g in 0..<groups {
                let v = UInt64(littleEndian: (base + g &* width).loadUnaligned(as: UInt64.self))
                for k in 0..<8 { out[g &* 8 &+ k] = UInt32(truncatingIfNeeded: (v &>> UInt64(k &* width)) & mask) }
            }
            i = groups * 8
        }
        while i < count {
            let bit = i &* width
            let byte = bit &>> 3
            var v = UInt64(packed[byte])
            if byte + 1 < packed.count { v |= UInt64(packed[byte + 1]) << 8 }
            out[i] = UInt32(truncatingIfNeeded: (v &>> UInt64(bit & 7)) & mask)
            i += 1
        }
    }

    /// Unpacks into a buffer of `UInt32` (dictionary codes), with fast paths for byte-aligned widths.
    @inlinable
    public static func unpack(
        _ packed: UnsafeRawBufferPointer, count: Int, width: Int, into out: UnsafeMutableBufferPointer<UInt32>
    ) {
        switch width {
        // Small dictionaries (experiments, variants, countries, platforms): eight codes a load.
        case 1: unpackEights(packed, count: count, width: 1, into: out)
        case 2: unpackEights(packed, count: count, width: 2, into: out)
        case 3: unpackEights(packed, count: count, width: 3, into: out)
        case 4: unpackEights(packed, count: count, width: 4, into: out)
        case 5: unpackEights(packed, count: count, width: 5, into: out)
        case 6: unpackEights(packed, count: count, width: 6, into: out)
        case 7: unpackEights(packed, count: count, width: 7, into: out)
        case 8:
            for i in 0..<count { out[i] = UInt32(packed[i]) }
        case 16:
            for i in 0..<count {
                out[i] = UInt32(UInt16(littleEndian: packed.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
            }
        case 32:
            for i in 0..<count {
                out[i] = UInt32(littleEndian: packed.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            }
        default:
            unpack(packed, count: count, width: width) { i, v in out[i] = UInt32(truncatingIfNeeded: v) }
        }
    }
}
