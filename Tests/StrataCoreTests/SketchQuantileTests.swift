import StrataCore
import Testing

@Suite("QuantileSketch (DDSketch, 1 % relative accuracy)")
struct SketchQuantileTests {
    static let quantiles = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]
    static let alpha = QuantileSketch.relativeAccuracy

    /// The documented bound: α·|c| when the two order statistics around the position do not have
    /// opposite signs, α·max(|lo|, |hi|) when they do.
    static func allowedError(sorted: [Double], q: Double) -> Double {
        let position = Double(sorted.count - 1) * q
        let lo = sorted[Int(position.rounded(.down))]
        let hi = sorted[Int(position.rounded(.up))]
        let d = position - position.rounded(.down)
        let exact = lo * (1 - d) + hi * d
        if (lo < 0 && hi > 0) || (lo > 0 && hi < 0) { return alpha * max(lo.magnitude, hi.magnitude) }
        return alpha * exact.magnitude
    }

    @Test("every quantile is within the documented bound of quantile_cont", arguments: SketchDistribution.allCases)
    func errorBound(distribution: SketchDistribution) throws {
        let values = distribution.values(count: 20_000, seed: 11)
        var sketch = QuantileSketch()
        for v in values { sketch.insert(v) }
        let sorted = values.sorted()
        #expect(sketch.count == UInt64(values.count))
        var worst = 0.0
        for q in Self.quantiles {
            let exact = try #require(try ExactQuantile.continuous(sorted: sorted, q: q))
            let estimate = try #require(try sketch.quantile(q))
            let error = (estimate - exact).magnitude
            let allowed = Self.allowedError(sorted: sorted, q: q)
            #expect(error <= allowed, "\(distribution) q=\(q): exact \(exact), estimate \(estimate)")
            if exact != 0 { worst = max(worst, error / exact.magnitude) }
            if q == 0 || q == 1 { #expect(estimate == exact) }
        }
        print("QuantileSketch \(distribution): worst relative error \(worst), p50 \(try sketch.quantile(0.5)!)")
    }

    @Test("small inputs: empty is nil, one value and the extremes are exact")
    func small() throws {
        var sketch = QuantileSketch()
        #expect(try sketch.quantile(0.5) == nil)
        #expect(sketch.isEmpty && sketch.minimum == nil)
        sketch.insert(123.456)
        for q in Self.quantiles { #expect(try sketch.quantile(q) == 123.456) }
        sketch.insert(-7)
        #expect(try sketch.quantile(0) == -7)
        #expect(try sketch.quantile(1) == 123.456)
        let mid = try #require(try sketch.quantile(0.5))
        #expect(try mid == ExactQuantile.continuous(sorted: [-7, 123.456], q: 0.5))
    }

    @Test("non-finite values are ignored and zeros are exact, as in DuckDB's approx_quantile")
    func nonFinite() throws {
        var sketch = QuantileSketch()
        for v in [Double.nan, .infinity, -.infinity, 0, -0.0, 0, 5, 10] { sketch.insert(v) }
        #expect(sketch.count == 5)
        #expect(try sketch.quantile(0.25) == 0)
        #expect(try sketch.quantile(0.5) == 0)
        #expect(sketch.minimum?.sign == .plus)
        let p75 = try #require(try sketch.quantile(0.75))
        #expect((p75 - 5).magnitude <= 0.05)
    }

    @Test("q outside [0, 1] is an invalid-argument error", arguments: [-0.5, 1.5, Double.nan])
    func invalidQuantile(q: Double) {
        var sketch = QuantileSketch()
        sketch.insert(1)
        #expect(throws: StrataError.self) { try sketch.quantile(q) }
        do {
            _ = try sketch.quantile(q)
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }

    @Test(
        "merging sketches of parts gives the sketch of the whole, byte for byte", arguments: SketchDistribution.allCases
    )
    func mergeEqualsWhole(distribution: SketchDistribution) {
        let values = distribution.values(count: 20_000, seed: 3)
        var whole = QuantileSketch()
        for v in values { whole.insert(v) }
        var merged = QuantileSketch()
        for part in 0..<4 {
            var sketch = QuantileSketch()
            for v in values[(part * 5_000)..<((part + 1) * 5_000)] { sketch.insert(v) }
            merged.merge(sketch)
        }
        #expect(merged == whole)
        #expect(merged.serialized() == whole.serialized())
        #expect(QuantileSketch().merging(whole) == whole)
    }

    @Test("the same values in any order give the same bytes", arguments: SketchDistribution.allCases)
    func determinism(distribution: SketchDistribution) {
        var values = distribution.values(count: 10_000, seed: 5)
        var first = QuantileSketch()
        for v in values { first.insert(v) }
        var again = QuantileSketch()
        for v in values { again.insert(v) }
        #expect(first.serialized() == again.serialized())
        var random = SketchRandom(seed: 9)
        random.shuffle(&values)
        var shuffled = QuantileSketch()
        for v in values { shuffled.insert(v) }
        #expect(first.serialized() == shuffled.serialized())
    }

    @Test("a weighted insert equals repeated inserts")
    func weighted() {
        var repeated = QuantileSketch()
        for _ in 0..<5 { repeated.insert(42.5) }
        repeated.insert(-3)
        var weighted = QuantileSketch()
        weighted.insert(42.5, count: 5)
        weighted.insert(-3, count: 1)
        weighted.insert(7, count: 0)
        #expect(repeated.serialized() == weighted.serialized())
    }

    @Test("serialization round-trips", arguments: SketchDistribution.allCases)
    func roundTrip(distribution: SketchDistribution) throws {
        var sketch = QuantileSketch()
        for v in distribution.values(count: 5_000, seed: 1) { sketch.insert(v) }
        let bytes = sketch.serialized()
        let decoded = try QuantileSketch(serialized: bytes)
        #expect(decoded == sketch)
        #expect(decoded.serialized() == bytes)
        for q in Self.quantiles { #expect(try decoded.quantile(q) == sketch.quantile(q)) }
        let empty = QuantileSketch().serialized()
        #expect(empty.count == 10)
        #expect(try QuantileSketch(serialized: empty) == QuantileSketch())
    }

    @Test("corrupt bytes are rejected with a corruption error")
    func corruption() {
        var sketch = QuantileSketch()
        for v in [1.0, 2, 3, 100, -5] { sketch.insert(v) }
        let good = sketch.serialized()
        var cases: [(String, [UInt8])] = [
            ("empty", []),
            ("truncated", Array(good.dropLast())),
            ("trailing byte", good + [0]),
        ]
        var badMagic = good
        badMagic[1] = 0
        cases.append(("bad magic", badMagic))
        var badVersion = good
        badVersion[4] = 7
        cases.append(("future version", badVersion))
        var badMapping = good
        badMapping[5] = 2
        cases.append(("unknown mapping", badMapping))
        // Minimum (bytes -16..<-8) replaced by 2.0, which is not in the lowest bucket.
        var badMinimum = good
        badMinimum.replaceSubrange((good.count - 16)..<(good.count - 8), with: Self.bytes(2.0))
        cases.append(("minimum not in lowest bucket", badMinimum))
        var nanMaximum = good
        nanMaximum.replaceSubrange((good.count - 8)..<good.count, with: Self.bytes(.nan))
        cases.append(("NaN maximum", nanMaximum))
        let header = Array("SQNT".utf8) + [1, 1, 0]
        cases.append(("empty bucket", header + [0, 1, 2, 0, 0]))
        cases.append(("key out of range", header + [0, 1, 0xFF, 0xFF, 0x7F, 1, 0]))
        cases.append(("keys not increasing", header + [0, 2, 2, 1, 0, 1, 0]))
        cases.append(("count without extremes", header + [3, 0, 0]))
        for (name, bytes) in cases {
            do {
                _ = try QuantileSketch(serialized: bytes)
                Issue.record("\(name): accepted")
            } catch {
                #expect(error.code == .corruption, "\(name): \(error)")
            }
        }
    }

    private static func bytes(_ value: Double) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> UInt64(8 * $0)) }
    }
}
