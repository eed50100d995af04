public import StrataCore

/// Random tables for property and differential tests: a spec with every column type, and batches
/// of rows with nulls, skewed strings and values spread over several time chunks.
public struct RandomTable: Sendable {
    public var spec: TableSpec
    public var batch: ColumnBatch

    /// A spec with one dimension of each type and both metric types.
    /// - Parameter userDictionary: where the high-cardinality `user` column keeps its dictionary.
    public static func spec(
        name: String = "t", rollup: RollupSpec? = nil, codec: Codec = .lz4, userDictionary: DictionaryScope = .segment
    ) -> TableSpec {
        TableSpec(
            name: name, timestamp: TimestampSpec(column: "ts"),
            dimensions: [
                DimensionSpec(name: "country", type: .string),
                DimensionSpec(name: "user", type: .string, dictionary: userDictionary),
                DimensionSpec(name: "cohort", type: .int64),
                DimensionSpec(name: "score", type: .double),
                DimensionSpec(name: "flag", type: .bool),
                DimensionSpec(name: "seen", type: .timestamp),
            ],
            metrics: [MetricSpec(name: "amount", type: .double), MetricSpec(name: "count", type: .int64)],
            segmentGranularity: .day, rollup: rollup, codec: codec)
    }

    /// `rows` random rows over `days` days from 2026-10-01, with about `nullRate` nulls per nullable cell.
    public static func batch(rows: Int, days: Int = 3, nullRate: Double = 0.1, seed: UInt64) -> ColumnBatch {
        var rng = SplitMix64(seed: seed)
        let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
        let countries = ["US", "DE", "FR", "BR", "IN", "JP", "", "Ünïcode", "a,b", "\"q\""]
        func maybe<T>(_ value: T) -> T? { Double.random(in: 0..<1, using: &rng) < nullRate ? nil : value }
        var ts: [Int64?] = []
        var country: [String?] = []
        var user: [String?] = []
        var cohort: [Int64?] = []
        var score: [Double?] = []
        var flag: [Bool?] = []
        var seen: [Int64?] = []
        var amount: [Double?] = []
        var count: [Int64?] = []
        for _ in 0..<rows {
            ts.append(start + Int64.random(in: 0..<(Int64(days) * Timestamp.millisecondsPerDay), using: &rng))
            // Skewed: low indexes are much more frequent.
            let c = Int(Double(countries.count) * pow2(Double.random(in: 0..<1, using: &rng)))
            country.append(maybe(countries[min(c, countries.count - 1)]))
            user.append(maybe("u\(Int.random(in: 0..<max(1, rows / 4), using: &rng))"))
            cohort.append(maybe(Int64.random(in: -5...20, using: &rng) * 1_000_000_007))
            score.append(maybe((Double.random(in: -100...100, using: &rng) * 100).rounded() / 100))
            flag.append(maybe(Bool.random(using: &rng)))
            seen.append(maybe(start - Int64.random(in: 0...1_000_000_000, using: &rng)))
            amount.append(maybe(Double(Int.random(in: 0...10_000, using: &rng)) / 100))
            count.append(maybe(Int64.random(in: Int64.min / 4...Int64.max / 4, using: &rng)))
        }
        return ColumnBatch([
            "ts": .timestamp(ts), "country": .string(country), "user": .string(user), "cohort": .int64(cohort),
            "score": .double(score), "flag": .bool(flag), "seen": .timestamp(seen), "amount": .double(amount),
            "count": .int64(count),
        ])
    }

    private static func pow2(_ x: Double) -> Double { x * x }
}
