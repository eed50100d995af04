import StrataCore
import Testing

@Suite("ExactQuantile (quantile_cont as DuckDB)")
struct SketchExactQuantileTests {
    /// Ten values and DuckDB 2.0's `quantile_cont(x, q)` for each q, bit for bit
    /// (`SELECT quantile_cont(x, q) FROM t`, printed with `float.hex`).
    static let data = [3.5, -1.25, 7.0, 7.0, 0.1, 12.75, -4.0, 2.2, 9.9, 0.3]
    static let duckDB: [(q: Double, expected: Double)] = [
        (0, -4.0),
        (0.01, -3.7525),
        (0.1, -1.525),
        (0.25, 0.15),
        (0.33, 0.29400000000000004),
        (0.5, 2.85),
        (0.9, 10.184999999999999),
        (0.95, 11.467499999999998),
        (0.99, 12.493500000000001),
        (1, 12.75),
        // Negative q: descending order (DuckDB's extension); note 10.185 vs 10.184999999999999.
        (-0.1, 10.185),
        (-0.5, 2.85),
        (-0.99, -3.7525000000000004),
        (-1, -4.0),
    ]

    @Test("matches DuckDB's quantile_cont bit for bit", arguments: duckDB)
    func matchesDuckDB(q: Double, expected: Double) throws {
        let sorted = Self.data.sorted()
        let viaSort = try ExactQuantile.continuous(sorted: sorted, q: q)
        #expect(viaSort?.bitPattern == expected.bitPattern, "q=\(q): \(String(describing: viaSort))")
        var scrambled = Self.data
        let viaSelection = try ExactQuantile.continuous(selectingIn: &scrambled, q: q)
        #expect(viaSelection?.bitPattern == expected.bitPattern, "q=\(q): \(String(describing: viaSelection))")
    }

    @Test(
        "hand-computed cases, checked against DuckDB 2.0.0 bit for bit",
        arguments: [
            ([1, 2, 3, 4], 0.5, 2.5),
            ([1, 10, 100], 0.25, 5.5),
            ([3, 1, 2, 7, 5], 0.9, 6.200000000000001),
            ([3, 1, 7], 0.1, 1.4000000000000001),
            ([0.1, 0.2, 0.7], 0.1, 0.12000000000000002),
            ([0.1, 0.2, 0.7], 0.7, 0.39999999999999997),
            ([0.1, 0.2, 0.7], -0.7, 0.16000000000000003),
            ([0.1, 0.2, 0.7], 0.3, 0.16),
            ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 1.0 / 3, 3),
            ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], -0.25, 6.75),
            ([42], 0, 42),
            ([42], 0.37, 42),
            ([42], 1, 42),
            ([5, 5, 5, 5], 0.3, 5),
            ([1, 1, 2, 2, 2, 9], 0.5, 2),
            ([-0.0, 0.0], 0.5, 0),
        ] as [([Double], Double, Double)])
    func handComputed(values: [Double], q: Double, expected: Double) throws {
        let viaSort = try ExactQuantile.continuous(sorted: values.sorted(by: ExactQuantile.precedes), q: q)
        #expect(viaSort?.bitPattern == expected.bitPattern, "\(values) q=\(q): \(String(describing: viaSort))")
        var copy = values
        let viaSelection = try ExactQuantile.continuous(selectingIn: &copy, q: q)
        #expect(viaSelection?.bitPattern == expected.bitPattern, "\(values) q=\(q)")
    }

    @Test("NaN sorts last and infinities interpolate as in DuckDB")
    func nonFinite() throws {
        var values = [Double.nan, 1, 2]
        #expect(try ExactQuantile.continuous(selectingIn: &values, q: 0.75)?.isNaN == true)
        #expect(try ExactQuantile.continuous(sorted: [1, 2, .nan], q: 0.25) == 1.5)
        #expect(try ExactQuantile.continuous(sorted: [1, 2, .nan], q: 0.5) == 2)
        var infinite: [Double] = [.infinity, 1, -.infinity]
        #expect(try ExactQuantile.continuous(selectingIn: &infinite, q: 0.3) == -.infinity)
        #expect(try ExactQuantile.continuous(sorted: [-.infinity, 1, .infinity], q: 0) == -.infinity)
    }

    @Test("no values give nil (SQL NULL)")
    func empty() throws {
        #expect(try ExactQuantile.continuous(sorted: [], q: 0.5) == nil)
        var none: [Double] = []
        #expect(try ExactQuantile.continuous(selectingIn: &none, q: 0.5) == nil)
    }

    @Test("q outside [-1, 1] or NaN is an invalid-argument error", arguments: [1.5, -1.01, Double.nan, .infinity])
    func invalid(q: Double) {
        var values = [1.0, 2]
        for attempt in 0..<2 {
            do {
                _ =
                    attempt == 0
                    ? try ExactQuantile.continuous(sorted: values, q: q)
                    : try ExactQuantile.continuous(selectingIn: &values, q: q)
                Issue.record("q=\(q) accepted")
            } catch {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("[-1, 1]"))
            }
        }
    }

    @Test("selection equals sorting on random data with duplicates, sorted and reversed inputs")
    func selectionEqualsSort() throws {
        var random = SketchRandom(seed: 21)
        for trial in 0..<200 {
            let n = 1 + Int(random.next() % 300)
            var values: [Double] = (0..<n).map { _ in Double(random.next() % 40) - 20 + (trial % 3 == 0 ? 0.5 : 0) }
            if trial % 10 == 1 { values.sort() }
            if trial % 10 == 2 { values.sort(by: >) }
            if trial % 10 == 3 { values = [Double](repeating: 7, count: n) }
            let sorted = values.sorted()
            for q in [0, 0.01, 0.1, 0.5, 0.77, 0.9, 0.99, 1, -0.3, -1] {
                var copy = values
                let selected = try ExactQuantile.continuous(selectingIn: &copy, q: q)
                let expected = try ExactQuantile.continuous(sorted: sorted, q: q)
                #expect(selected == expected, "trial \(trial) q=\(q)")
            }
        }
    }

    @Test("by rank equals sorting on random data")
    func rankEqualsSort() throws {
        var random = SketchRandom(seed: 22)
        for trial in 0..<100 {
            let n = Int(random.next() % 200)
            let sorted = (0..<n).map { _ in Double(random.next() % 50) - 10 }.sorted()
            for q in [0, 0.05, 0.5, 0.95, 1, -0.3] {
                let byRank = try ExactQuantile.continuous(count: n, q: q) { sorted[$0] }
                #expect(byRank == (try ExactQuantile.continuous(sorted: sorted, q: q)), "trial \(trial) q=\(q)")
            }
        }
    }
}
