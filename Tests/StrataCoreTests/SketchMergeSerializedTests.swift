import StrataCore
import Testing

/// `merge(serialized:)`: rolled-up rows merge stored sketches straight from their bytes.
@Suite("Merging serialized sketches")
struct SketchMergeSerializedTests {
    static func hll(_ values: Range<Int64>) -> HyperLogLog {
        var sketch = HyperLogLog()
        for v in values { sketch.insert(v) }
        return sketch
    }

    @Test(
        "HyperLogLog: merging bytes equals merging the decoded sketch, sparse or dense on either side",
        arguments: [(0..<5, 100..<103), (0..<10, 0..<20_000), (0..<20_000, 5..<9), (0..<30_000, 10_000..<50_000)]
            as [(Range<Int64>, Range<Int64>)])
    func hyperLogLog(left: Range<Int64>, right: Range<Int64>) throws {
        var expected = Self.hll(left)
        expected.merge(Self.hll(right))
        var merged = Self.hll(left)
        try Self.hll(right).serialized().withUnsafeBytes { try merged.merge(serialized: $0) }
        #expect(merged.serialized() == expected.serialized())
        #expect(merged.estimate == expected.estimate)
    }

    @Test("HyperLogLog: many single-value rows merged from bytes equal one sketch fed every value")
    func manyRows() throws {
        var merged = HyperLogLog()
        for v in 0..<5_000 as Range<Int64> {
            try Self.hll(v..<(v + 1)).serialized().withUnsafeBytes { try merged.merge(serialized: $0) }
        }
        #expect(merged.serialized() == Self.hll(0..<5_000).serialized())
    }

    @Test("quantile sketch: merging bytes equals merging the decoded sketch")
    func quantile() throws {
        var rng = SketchRandom(seed: 9)
        for (a, b) in [(0, 10), (50, 0), (200, 300), (1, 1)] {
            var left = QuantileSketch()
            var right = QuantileSketch()
            for _ in 0..<a { left.insert(rng.normal() * 100) }
            for _ in 0..<b { right.insert(rng.unit() * 5_000) }
            right.insert(0)
            var expected = left
            expected.merge(right)
            var merged = left
            try right.serialized().withUnsafeBytes { try merged.merge(serialized: $0) }
            #expect(merged.serialized() == expected.serialized())
            #expect(try merged.quantile(0.9) == expected.quantile(0.9))
        }
    }

    @Test("damaged bytes throw and leave the sketch unchanged")
    func damaged() throws {
        var hll = Self.hll(0..<100)
        let hllBefore = hll.serialized()
        var bytes = Self.hll(1_000..<1_100).serialized()
        bytes.removeLast()
        #expect(throws: StrataError.self) { try bytes.withUnsafeBytes { try hll.merge(serialized: $0) } }
        #expect(hll.serialized() == hllBefore)

        var q = QuantileSketch()
        for x in [1.0, 2, 3] { q.insert(x) }
        let qBefore = q.serialized()
        var other = QuantileSketch()
        for x in [10.0, 20, 30] { other.insert(x) }
        var qBytes = other.serialized()
        qBytes[qBytes.count - 1] ^= 0xFF  // the maximum no longer lies in the highest bucket
        #expect(throws: StrataError.self) { try qBytes.withUnsafeBytes { try q.merge(serialized: $0) } }
        #expect(q.serialized() == qBefore)
    }
}
