import StrataCore
import Testing

@Suite("HyperLogLog")
struct SketchHyperLogLogTests {
    /// Three standard errors: 99.7 % of estimates fall inside.
    static let tolerance = 3 * HyperLogLog.standardError

    @Test("estimates are within 3 standard errors (2.44 %) from 10 to 1M distinct values, exact when small")
    func errorBound() {
        // One sketch, fed 0..<1M, checked at each checkpoint.
        let checkpoints: [Int: Double] = [
            // distinct values: largest relative error allowed
            10: 0, 100: 0, 1_000: 0, 4_000: 0.001, 10_000: Self.tolerance, 100_000: Self.tolerance,
            1_000_000: Self.tolerance,
        ]
        var sketch = HyperLogLog()
        var inserted = 0
        for n in checkpoints.keys.sorted() {
            while inserted < n {
                sketch.insert(Int64(inserted))
                inserted += 1
            }
            let error = Double(sketch.estimate - Int64(n)).magnitude / Double(n)
            print("HyperLogLog integers n=\(n): estimate \(sketch.estimate), relative error \(error)")
            #expect(error <= checkpoints[n]!, "n = \(n): estimate \(sketch.estimate)")
        }
    }

    @Test("string values keep the bound too", arguments: [500, 20_000, 200_000])
    func strings(n: Int) {
        var sketch = HyperLogLog()
        for i in 0..<n { sketch.insert("user-\(i * 7919)") }
        let error = Double(sketch.estimate - Int64(n)).magnitude / Double(n)
        print("HyperLogLog strings n=\(n): estimate \(sketch.estimate), relative error \(error)")
        #expect(error <= (n <= 1000 ? 0 : Self.tolerance))
    }

    @Test("an empty sketch estimates 0; one value estimates 1")
    func tiny() {
        var sketch = HyperLogLog()
        #expect(sketch.estimate == 0)
        sketch.insert(Int64(42))
        #expect(sketch.estimate == 1)
        sketch.insert(-0.0)
        sketch.insert(0.0)
        #expect(sketch.estimate == 2)
    }

    @Test("duplicates do not change the sketch", arguments: [100, 3_000, 50_000])
    func duplicates(n: Int) {
        var once = HyperLogLog()
        var thrice = HyperLogLog()
        for i in 0..<n { once.insert(Int64(i)) }
        for _ in 0..<3 { for i in 0..<n { thrice.insert(Int64(i)) } }
        #expect(once.serialized() == thrice.serialized())
        #expect(once.estimate == thrice.estimate)
    }

    @Test(
        "merge equals the sketch of the union, byte for byte",
        arguments: [
            (0..<300, 200..<600),  // sparse + sparse
            (0..<3_000, 2_000..<5_000),  // sparse + sparse, union dense
            (0..<100, 0..<40_000),  // sparse + dense
            (0..<40_000, 30_000..<90_000),  // dense + dense
            (0..<0, 0..<10),  // empty + sparse
        ])
    func mergeIsUnion(a: Range<Int>, b: Range<Int>) {
        let sa = sketch(a)
        let sb = sketch(b)
        let union = sketch(
            a.lowerBound == a.upperBound ? b : min(a.lowerBound, b.lowerBound)..<max(a.upperBound, b.upperBound))
        #expect(sa.merging(sb).serialized() == union.serialized())
        #expect(sb.merging(sa).serialized() == union.serialized())
        #expect(sa.merging(sb) == union)
    }

    @Test("the same values in any order give the same bytes", arguments: [1_000, 30_000])
    func orderIndependence(n: Int) {
        var values = (0..<n).map { Int64($0) * 31 }
        let inOrder = sketch(values)
        var random = SketchRandom(seed: 7)
        random.shuffle(&values)
        let shuffled = sketch(values)
        #expect(inOrder.serialized() == shuffled.serialized())
        #expect(inOrder.estimate == shuffled.estimate)
        // And split across two merged sketches.
        let half = values.count / 2
        let merged = sketch(Array(values[..<half])).merging(sketch(Array(values[half...])))
        #expect(merged.serialized() == inOrder.serialized())
    }

    @Test("serialization round-trips", arguments: [0, 1, 700, 4_096, 100_000])
    func roundTrip(n: Int) throws {
        let original = sketch(0..<n)
        let bytes = original.serialized()
        let decoded = try HyperLogLog(serialized: bytes)
        #expect(decoded == original)
        #expect(decoded.serialized() == bytes)
        #expect(decoded.estimate == original.estimate)
        #expect(decoded.isDense == (n > 4_096))
        if n == 0 { #expect(bytes.count == 9) }
        if n > 4_096 { #expect(bytes.count == 8 + 12_288) }
        // A decoded sketch keeps working.
        var grown = decoded
        grown.insert(Int64(n))
        #expect(grown == sketch(0..<(n + 1)))
    }

    @Test("corrupt bytes are rejected with a corruption error")
    func corruption() {
        let sparse = sketch(0..<50).serialized()
        let dense = sketch(0..<20_000).serialized()
        var cases: [(String, [UInt8])] = [
            ("empty", []),
            ("truncated header", Array(sparse[..<6])),
            ("truncated sparse", Array(sparse.dropLast())),
            ("truncated dense", Array(dense.dropLast())),
            ("trailing byte", sparse + [0]),
        ]
        var badMagic = sparse
        badMagic[0] = 0x58
        cases.append(("bad magic", badMagic))
        var badVersion = sparse
        badVersion[4] = 2
        cases.append(("future version", badVersion))
        var badPrecision = sparse
        badPrecision[5] = 12
        cases.append(("other precision", badPrecision))
        var badEncoding = sparse
        badEncoding[6] = 9
        cases.append(("unknown encoding", badEncoding))
        var badRegister = dense
        badRegister[8] |= 0x3F  // register 0 = 63 > 51
        cases.append(("register out of range", badRegister))
        // Sparse list with a repeated index: count 2, then entry (index 5, rank 1) twice (delta 0).
        cases.append(("duplicate sparse index", Array("SHLL".utf8) + [1, 14, 1, 0, 2, 0x81, 0x02, 0]))
        cases.append(("sparse rank 0", Array("SHLL".utf8) + [1, 14, 1, 0, 1, 0x40]))
        for (name, bytes) in cases {
            #expect(throws: StrataError.self, "\(name)") { try HyperLogLog(serialized: bytes) }
            do {
                _ = try HyperLogLog(serialized: bytes)
            } catch {
                #expect(error.code == .corruption, "\(name): \(error)")
            }
        }
    }

    private func sketch(_ range: Range<Int>) -> HyperLogLog {
        sketch(range.map { Int64($0) })
    }

    private func sketch(_ values: [Int64]) -> HyperLogLog {
        var s = HyperLogLog()
        for v in values { s.insert(v) }
        return s
    }
}
