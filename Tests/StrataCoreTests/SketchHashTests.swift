import StrataCore
import Testing

@Suite("StrataHash (XXH64, seed 0)")
struct SketchHashTests {
    @Test(
        "matches the published XXH64 test vectors",
        arguments: [
            ("", 0xEF46_DB37_51D8_E999),
            ("a", 0xD24E_C4F1_A98C_6E5B),
            ("abc", 0x44BC_2CF5_AD77_0999),
            ("Hello, World!", 0xC49A_ACF8_080F_E47F),
            (String(repeating: "a", count: 32), 0x856E_8432_98F9_9AD7),
            (String(repeating: "a", count: 33), 0x18F3_FF0C_21E3_B24B),
        ] as [(String, UInt64)])
    func vectors(input: String, expected: UInt64) {
        #expect(StrataHash.hash64(input) == expected)
        let bytes = Array(input.utf8)
        #expect(bytes.withUnsafeBytes { StrataHash.hash64(bytes: $0) } == expected)
    }

    @Test("integers hash as their 8 little-endian bytes")
    func integers() {
        for value: Int64 in [0, 1, -1, 42, .min, .max, 1_234_567_890_123] {
            var littleEndian = value.littleEndian
            let viaBytes = withUnsafeBytes(of: &littleEndian) { StrataHash.hash64(bytes: $0) }
            #expect(StrataHash.hash64(value) == viaBytes)
            #expect(StrataHash.hash64(UInt64(bitPattern: value)) == viaBytes)
        }
    }

    @Test("doubles hash by canonical bits: -0 equals +0, every NaN is one value")
    func doubles() {
        #expect(StrataHash.hash64(-0.0) == StrataHash.hash64(0.0))
        let payloadNaN = Double(bitPattern: 0x7FF0_0000_0000_0123)
        let negativeNaN = Double(bitPattern: 0xFFF8_0000_0000_0000)
        #expect(payloadNaN.isNaN && negativeNaN.isNaN)
        #expect(StrataHash.hash64(payloadNaN) == StrataHash.hash64(Double.nan))
        #expect(StrataHash.hash64(negativeNaN) == StrataHash.hash64(Double.nan))
        #expect(StrataHash.hash64(1.5) == StrataHash.hash64((1.5).bitPattern))
        #expect(StrataHash.hash64(1.0) != StrataHash.hash64(-1.0))
    }

    @Test("strings hash their UTF-8 bytes, bridged or native")
    func strings() {
        let text = "grüße, 世界"
        let bytes = Array(text.utf8)
        let expected = bytes.withUnsafeBytes { StrataHash.hash64(bytes: $0) }
        #expect(StrataHash.hash64(text) == expected)
        let substringCopy = String(text[text.startIndex...])
        #expect(StrataHash.hash64(substringCopy) == expected)
    }
}
