import PropertyBased
import StrataCore
import StrataStorage
import StrataTestSupport
import Testing

@Suite("Encodings and codecs")
struct EncodingTests {
    @Test("bit packing round-trips every width", arguments: 0...64)
    func bitPacking(width: Int) {
        var rng = SplitMix64(seed: UInt64(width))
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        let values = (0..<1000).map { _ in rng.next() & mask }
        var packed: [UInt8] = []
        BitPacking.pack(count: values.count, width: width, into: &packed) { values[$0] }
        #expect(packed.count == BitPacking.byteCount(count: values.count, width: width))
        var decoded = [UInt64](repeating: 99, count: values.count)
        packed.withUnsafeBytes { raw in BitPacking.unpack(raw, count: values.count, width: width) { decoded[$0] = $1 } }
        #expect(decoded == values)
        if width <= 32 {
            var codes = [UInt32](repeating: 0, count: values.count)
            packed.withUnsafeBytes { raw in
                codes.withUnsafeMutableBufferPointer {
                    BitPacking.unpack(raw, count: values.count, width: width, into: $0)
                }
            }
            #expect(codes.map { UInt64($0) } == values)
            // Every count's tail (the fast paths unpack in groups), from a buffer of exactly the packed size.
            for count in [1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 999] {
                var exact: [UInt8] = []
                BitPacking.pack(count: count, width: width, into: &exact) { values[$0] }
                var out = [UInt32](repeating: 0, count: count)
                exact.withUnsafeBytes { raw in
                    out.withUnsafeMutableBufferPointer { BitPacking.unpack(raw, count: count, width: width, into: $0) }
                }
                #expect(out.map { UInt64($0) } == Array(values.prefix(count)), "width \(width), count \(count)")
            }
        }
    }

    @Test("every codec round-trips and rejects garbage", arguments: Codec.allCases)
    func codecs(codec: Codec) {
        var rng = SplitMix64(seed: 7)
        let input: [UInt8] = (0..<10_000).map { i in i % 7 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : UInt8(i % 13)
        }
        var compressed: [UInt8] = []
        let n = input.withUnsafeBytes { BlockCompressor.compress($0, codec: codec, into: &compressed) }
        #expect(n == compressed.count)
        if codec != .none { #expect(compressed.count < input.count) }
        var output = [UInt8](repeating: 0, count: input.count)
        let ok = compressed.withUnsafeBytes { c in
            output.withUnsafeMutableBytes { BlockCompressor.decompress(c, codec: codec, into: $0) }
        }
        #expect(ok)
        #expect(output == input)
        if codec != .none {
            let garbage = [UInt8](repeating: 0xFF, count: 64)
            let bad = garbage.withUnsafeBytes { c in
                output.withUnsafeMutableBytes { BlockCompressor.decompress(c, codec: codec, into: $0) }
            }
            #expect(!bad)
        }
    }

    @Test("CRC32C matches the standard check value")
    func crc() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }

    @Test("roaring bitmaps: set algebra, value semantics, portable and frozen round trips")
    func bitmaps() {
        var a = RoaringBitmap([1, 5, 70_000, 1_000_000])
        let b = RoaringBitmap(range: 0..<10)
        #expect(a.count == 4)
        #expect(a.intersection(b).toArray() == [1, 5])
        #expect(a.union(b).count == 12)
        #expect(a.subtracting(b).toArray() == [70_000, 1_000_000])
        let copy = a
        a.insert(42)
        #expect(copy.count == 4 && a.count == 5)
        #expect(RoaringBitmap(portable: a.portableBytes()) == a)
        #expect(RoaringBitmap(portable: [1, 2, 3]) == nil)
        var frozen: [UInt8] = []
        a.appendFrozen(to: &frozen)
        let bytes = SegmentBytes(copying: frozen)
        let view = RoaringBitmap.frozenView(bytes.buffer, owner: bytes)
        #expect(view == a)
        var mutable = view!
        mutable.insert(7)
        #expect(mutable.count == 6 && view!.count == 5)
        #expect(RoaringBitmap.union([a, b, RoaringBitmap([99])]).count == 14)  // a has 5 members, 2 shared with b
    }
}
