import StrataCore
@testable import StrataExecution
import Testing

/// The merge loop of rolled-up sketch columns (``StoredSketches``) reports a stored sketch that does not
/// parse instead of leaving its rows out of the estimate.
@Suite("Stored sketches")
struct StoredSketchesTests {
    /// Two rows of group 0: a valid serialized sketch, then `damaged`.
    private func column(valid: [UInt8], damaged: [UInt8]) -> Vector {
        Vector(
            type: .varchar, storage: .sketch(bytes: valid + damaged, offsets: [0, valid.count, valid.count + damaged.count], rows: nil),
            count: 2)
    }

    @Test func distinctSketchThatDoesNotParseIsCorruption() throws {
        var sketch = HyperLogLog()
        for i in 0..<100 { sketch.insert(hash: UInt64(i) &* 0x9E37_79B9_7F4A_7C15) }
        let vector = column(valid: sketch.serialized(), damaged: [0xFF, 0xFF, 0xFF])
        var stored = StoredSketches<HyperLogLog>()
        let error = #expect(throws: StrataError.self) {
            try stored.update([0, 0], groupCount: 1, argument: vector, rows: nil, function: "approx_count_distinct")
        }
        #expect(error?.code == .corruption)
        #expect(error?.message.contains("approx_count_distinct") == true)
    }

    @Test func validSketchesMerge() throws {
        var a = HyperLogLog()
        var b = HyperLogLog()
        for i in 0..<500 { a.insert(hash: UInt64(i) &* 0x9E37_79B9_7F4A_7C15) }
        for i in 500..<1000 { b.insert(hash: UInt64(i) &* 0x9E37_79B9_7F4A_7C15) }
        var both = a
        both.merge(b)
        var stored = StoredSketches<HyperLogLog>()
        try stored.update(
            [0, 0], groupCount: 1, argument: column(valid: a.serialized(), damaged: b.serialized()), rows: nil,
            function: "approx_count_distinct")
        #expect(stored.sketches[0].estimate == both.estimate)
    }
}
