import CStrataLZ4
import CStrataZstd
public import StrataCore

/// Compresses and decompresses stored blocks with a column's ``Codec``.
public enum BlockCompressor {
    /// zstd level: 3 is zstd's default, a good ratio at several hundred MB/s.
    static let zstdLevel: Int32 = 3

    /// Compresses `input` and appends the result to `output`. Returns the number of bytes appended.
    public static func compress(_ input: UnsafeRawBufferPointer, codec: Codec, into output: inout [UInt8]) -> Int {
        let start = output.count
        switch codec {
        case .none:
            output.append(contentsOf: input)
        case .lz4:
            let bound = Int(LZ4_compressBound(Int32(input.count)))
            // No reserveCapacity(start + bound): it reallocates to exactly that, so a segment's blocks
            // appended one by one copied the whole file so far at each (quadratic); append grows geometrically.
            output.append(contentsOf: repeatElement(0, count: bound))
            let written = output.withUnsafeMutableBytes { out in
                LZ4_compress_default(
                    input.baseAddress?.assumingMemoryBound(to: CChar.self),
                    (out.baseAddress! + start).assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(bound))
            }
            precondition(written > 0 || input.isEmpty, "LZ4 compression into a bound-sized buffer failed")
            output.removeLast(bound - Int(written))
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            output.append(contentsOf: repeatElement(0, count: bound))
            let written = output.withUnsafeMutableBytes { out in
                ZSTD_compress(out.baseAddress! + start, bound, input.baseAddress, input.count, zstdLevel)
            }
            precondition(ZSTD_isError(written) == 0, "zstd compression into a bound-sized buffer failed")
            output.removeLast(bound - written)
        }
        return output.count - start
    }

    /// Decompresses `input` into `output`, which must be exactly the uncompressed size.
    /// - Returns: `false` if the input is not valid compressed data of that size.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, codec: Codec, into output: UnsafeMutableRawBufferPointer
    ) -> Bool {
        switch codec {
        case .none:
            guard input.count == output.count else { return false }
            if !input.isEmpty { output.copyMemory(from: input) }
            return true
        case .lz4:
            if output.isEmpty { return input.count <= 1 }
            // LZ4 takes Int32 sizes, and Int32(_:) traps: a block that large is damage.
            guard input.count <= Int32.max, output.count <= Int32.max else { return false }
            let n = LZ4_decompress_safe(
                input.baseAddress?.assumingMemoryBound(to: CChar.self),
                output.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(output.count))
            return Int(n) == output.count
        case .zstd:
            let n = ZSTD_decompress(output.baseAddress, output.count, input.baseAddress, input.count)
            return ZSTD_isError(n) == 0 && n == output.count
        }
    }
}
