import StrataStorage
import Testing

@Suite("ByteInterner")
struct ByteInternerTests {
    static func withBytes<R>(_ s: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var s = s
        return s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    @Test("values appended without hashing are found once indexed, and new ones follow them")
    func appendDistinct() {
        var interner = ByteInterner()
        for i in 0..<1000 { Self.withBytes("v\(i)") { interner.appendDistinct($0) } }
        #expect(interner.count == 1000)
        #expect(Self.withBytes("v17") { interner.id(of: $0) } == (17, false))
        #expect(Self.withBytes("new") { interner.id(of: $0) } == (1000, true))
        for i in 0..<10 { Self.withBytes("w\(i)") { interner.appendDistinct($0) } }
        interner.indexPending()
        #expect(Self.withBytes("w9") { interner.lookup($0) } == 1010)
        #expect(Self.withBytes("v999") { interner.lookup($0) } == 999)
        #expect(Self.withBytes("absent") { interner.lookup($0) } == nil)
        #expect(interner.string(1005) == "w4")
    }
}
