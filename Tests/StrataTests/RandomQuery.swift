import Strata
import StrataCore
import StrataTestSupport

/// Random native queries over a random table, for differential testing.
struct RandomQuery {
    static let stringColumns = ["country", "user"]
    static let numericColumns = ["cohort", "score", "amount", "count"]

    static func make(seed: UInt64, batch: ColumnBatch) -> Query {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        func sample(_ column: String) -> Value {
            let v = batch.vector(named: column)!
            return v.value(at: Int(rng.next() % UInt64(max(v.count, 1))))
        }
        func leaf() -> Filter {
            switch rng.next() % 7 {
            case 0: return .equals(pick(stringColumns), sample("country"))
            case 1:
                return .in(
                    "country", [sample("country"), sample("country"), .null].filter { _ in Bool.random(using: &rng) })
            case 2:
                let c = pick(numericColumns)
                return .compare(c, pick([.lessThan, .greaterThanOrEqual, .notEqual, .equal]), sample(c))
            case 3: return .like("user", pick(["u1%", "%3", "u_", "%"]))
            case 4: return .isNull(pick(stringColumns + numericColumns + ["flag"]))
            case 5: return .equals("flag", .bool(Bool.random(using: &rng)))
            default: return .range("seen", from: sample("seen"), to: nil)
            }
        }
        func filter(_ depth: Int) -> Filter {
            guard depth > 0, rng.next() % 2 == 0 else { return leaf() }
            switch rng.next() % 3 {
            case 0: return .and([filter(depth - 1), filter(depth - 1)])
            case 1: return .or([filter(depth - 1), filter(depth - 1)])
            default: return .not(filter(depth - 1))
            }
        }
        var query = Query(table: "t")
        if rng.next() % 2 == 0 { query.filter = filter(2) }
        let keys: [GroupKey] = [
            .column("country"), .column("flag"), .column("cohort"), .timeBucket(.day),
            .fixedBucket(milliseconds: 6 * 3_600_000), .column("seen"),
        ]
        query.groupBy = keys.filter { _ in rng.next() % 3 == 0 }
        let functions: [AggregateFunction] = [
            .approxCountDistinct, .quantile(0.5), .quantile(0.95), .approxQuantile(0.9),
            .count, .sum, .min, .max, .avg, .varianceSample, .standardDeviationSample, .countDistinct,
        ]
        query.aggregations = [Aggregation("rows", .count)]
        for (i, f) in functions.enumerated() where rng.next() % 2 == 0 {
            let column: String
            switch f {
            case .sum, .avg, .varianceSample, .standardDeviationSample, .quantile, .approxQuantile:
                column = pick(numericColumns)
            default: column = pick(numericColumns + stringColumns + ["flag", "seen"])
            }
            let aggFilter: Filter? = rng.next() % 4 == 0 ? leaf() : nil
            query.aggregations.append(Aggregation("a\(i)", f, column: column, filter: aggFilter))
        }
        if rng.next() % 3 == 0 {
            let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
            query.intervals = [(start + 3_600_000)..<(start + 30 * 3_600_000)]
        }
        if rng.next() % 4 == 0 { query.having = .compare("rows", .greaterThan, .int64(2)) }
        return query
    }
}

extension RandomQuery {
    /// A random query over the rows of `table` (a ``RandomTable`` spec of any storage choices): what
    /// ``make(seed:batch:)`` generates, restricted to what a rolled-up table answers, plus time: 0–3
    /// intervals with bounds on existing times, a millisecond off them, on hour and day boundaries or
    /// anywhere (empty, overlapping and block-straddling ones included), and `ts` comparisons in
    /// WHERE and in FILTER clauses.
    static func make(seed: UInt64, table: ReferenceTable) -> Query {
        var rng = SplitMix64(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let rolled = table.spec.rollup != nil
        func sample(_ column: String) -> Value {
            guard !table.rows.isEmpty, let i = table.index(of: column) else { return .null }
            return table.rows[Int(rng.next() % UInt64(table.rows.count))][i]
        }
        func time() -> Int64 {
            let hour: Int64 = 3_600_000
            let base: Int64
            if case .timestamp(let t) = sample("ts") { base = t } else { base = 1_790_000_000_000 }
            switch rng.next() % 6 {
            case 0, 1: return base
            case 2: return base + pick([-1, 1])
            case 3: return ReferenceCalendar.floorDiv(base, hour) * hour + pick([0, hour])
            case 4: return ReferenceCalendar.floorDiv(base, 86_400_000) * 86_400_000
            default: return base + Int64(rng.next() % UInt64(6 * hour)) - 3 * hour
            }
        }
        func timeLeaf() -> Filter {
            let op = pick([ComparisonOperator.equal, .lessThan, .greaterThanOrEqual, .notEqual, .lessThanOrEqual])
            return .compare("ts", op, .timestamp(time()))
        }
        let stringColumns = Self.stringColumns
        let numericColumns = rolled ? ["cohort", "score"] : Self.numericColumns
        func leaf() -> Filter {
            switch rng.next() % 8 {
            case 0: return .equals(pick(stringColumns), sample("country"))
            case 1:
                return .in(
                    "country", [sample("country"), sample("country"), .null].filter { _ in rng.next() % 2 == 0 })
            case 2:
                let c = pick(numericColumns)
                return .compare(c, pick([.lessThan, .greaterThanOrEqual, .notEqual, .equal]), sample(c))
            case 3: return .like("user", pick(["u1%", "%3", "u_", "%"]))
            case 4: return .isNull(pick(stringColumns + numericColumns + ["flag"]))
            case 5: return .equals("flag", .bool(rng.next() % 2 == 0))
            case 6: return .range("seen", from: sample("seen"), to: nil)
            default: return timeLeaf()
            }
        }
        func filter(_ depth: Int) -> Filter {
            guard depth > 0, rng.next() % 2 == 0 else { return leaf() }
            switch rng.next() % 3 {
            case 0: return .and([filter(depth - 1), filter(depth - 1)])
            case 1: return .or([filter(depth - 1), filter(depth - 1)])
            default: return .not(filter(depth - 1))
            }
        }
        var query = Query(table: table.spec.name)
        if rng.next() % 2 == 0 { query.filter = filter(2) }
        let keys: [GroupKey] = [
            .column("country"), .column("flag"), .column("cohort"), .timeBucket(.day), .timeBucket(.hour),
            .fixedBucket(milliseconds: 6 * 3_600_000), .column("seen"),
        ]
        query.groupBy = keys.filter { _ in rng.next() % 4 == 0 }
        query.aggregations = [Aggregation("rows", .count)]
        // (function, columns it may read): on a rolled-up table, what its stored states answer.
        let choices: [(AggregateFunction, [String])] =
            rolled
            ? [
                (.sum, ["amount", "count"]), (.min, ["amount", "count"]), (.max, ["amount", "count"]),
                (.avg, ["amount"]), (.varianceSample, ["amount"]), (.standardDeviationSample, ["amount"]),
                (.count, ["amount"]), (.approxQuantile(0.5), ["amount"]), (.approxCountDistinct, ["count"]),
            ]
            : [
                (.approxCountDistinct, numericColumns + stringColumns), (.quantile(0.5), numericColumns),
                (.approxQuantile(0.9), numericColumns), (.count, numericColumns + stringColumns + ["flag", "seen"]),
                (.sum, numericColumns), (.min, numericColumns + stringColumns + ["seen"]),
                (.max, numericColumns + stringColumns + ["seen"]), (.avg, numericColumns),
                (.varianceSample, numericColumns), (.countDistinct, numericColumns + stringColumns + ["flag"]),
            ]
        for (i, (function, columns)) in choices.enumerated() where rng.next() % 3 == 0 {
            let aggregateFilter: Filter? = rng.next() % 3 == 0 ? (rng.next() % 2 == 0 ? timeLeaf() : leaf()) : nil
            query.aggregations.append(Aggregation("a\(i)", function, column: pick(columns), filter: aggregateFilter))
        }
        let intervalCount = Int(rng.next() % 4)
        for _ in 0..<intervalCount {
            let a = time()
            let b = rng.next() % 5 == 0 ? a : time()
            query.intervals.append(min(a, b)..<max(a, b))
        }
        if rng.next() % 5 == 0 { query.having = .compare("rows", .greaterThan, .int64(2)) }
        return query
    }
}
