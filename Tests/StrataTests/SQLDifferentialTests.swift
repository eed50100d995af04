import PropertyBased
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Writes a native query as SQL text, so the SQL front end can be held against the reference evaluator.
enum NativeQuerySQL {
    static func literal(_ value: Value) -> String {
        switch value {
        case .null: "NULL"
        case .bool(let b): b ? "TRUE" : "FALSE"
        case .int64(let x): String(x)
        case .hugeint(let x): String(x)
        case .decimal(let d): d.description
        case .double(let d): d.description
        case .string(let s):
            "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        case .timestamp(let ms): "TIMESTAMP '\(Timestamp.format(milliseconds: ms))'"
        }
    }

    static func name(_ column: String) -> String { "\"\(column)\"" }

    static func filter(_ f: Filter) -> String {
        switch f {
        case .compare(let c, let op, let v): "\(name(c)) \(op.rawValue) \(literal(v))"
        case .in(let c, let list): "\(name(c)) IN (\(list.map(literal).joined(separator: ", ")))"
        case .like(let c, let pattern): "\(name(c)) LIKE \(literal(.string(pattern)))"
        case .isNull(let c): "\(name(c)) IS NULL"
        case .and(let parts): parts.isEmpty ? "TRUE" : parts.map { "(\(filter($0)))" }.joined(separator: " AND ")
        case .or(let parts): parts.isEmpty ? "FALSE" : parts.map { "(\(filter($0)))" }.joined(separator: " OR ")
        case .not(let inner): "NOT (\(filter(inner)))"
        }
    }

    static func key(_ key: GroupKey) -> String {
        switch key {
        case .column(let c): name(c)
        case .timeBucket(let unit): "date_trunc('\(unit.rawValue)', ts)"
        case .fixedBucket(let ms): "time_bucket(INTERVAL '\(ms) milliseconds', ts)"
        }
    }

    static func aggregate(_ a: Aggregation) -> String {
        let argument = a.column.map(name) ?? "*"
        var text: String =
            switch a.function {
            case .count: "count(\(argument))"
            case .countDistinct: "count(DISTINCT \(argument))"
            case .sum: "sum(\(argument))"
            case .min: "min(\(argument))"
            case .max: "max(\(argument))"
            case .avg: "avg(\(argument))"
            case .varianceSample: "var_samp(\(argument))"
            case .standardDeviationSample: "stddev_samp(\(argument))"
            case .approxCountDistinct: "approx_count_distinct(\(argument))"
            case .quantile(let q): "quantile_cont(\(argument), \(q))"
            case .approxQuantile(let q): "approx_quantile(\(argument), \(q))"
            }
        if let f = a.filter { text += " FILTER (WHERE \(filter(f)))" }
        return text
    }

    /// The query as SQL; with `viaSubquery`, the table is read through `(SELECT * FROM t)`, which sends
    /// every clause down the general path.
    static func sql(_ query: Query, viaSubquery: Bool) -> String {
        var items = query.groupBy.map { "\(key($0)) AS \(name($0.name))" }
        items += query.aggregations.map { "\(aggregate($0)) AS \(name($0.name))" }
        var conditions: [String] = []
        // A row is in the query's time when it is in any of its intervals.
        let intervals = query.intervals.map { interval in
            "ts >= \(literal(.timestamp(interval.lowerBound))) AND ts < \(literal(.timestamp(interval.upperBound)))"
        }
        if intervals.count == 1 { conditions.append(intervals[0]) }
        if intervals.count > 1 { conditions.append("(" + intervals.map { "(\($0))" }.joined(separator: " OR ") + ")") }
        if let f = query.filter { conditions.append("(\(filter(f)))") }
        let table = name(query.table)
        var text =
            "SELECT \(items.joined(separator: ", ")) FROM "
            + (viaSubquery ? "(SELECT * FROM \(table)) AS \(table)" : table)
        if !conditions.isEmpty { text += " WHERE " + conditions.joined(separator: " AND ") }
        if !query.groupBy.isEmpty { text += " GROUP BY " + query.groupBy.map(key).joined(separator: ", ") }
        if let having = query.having { text += " HAVING \(filter(having))" }
        return text
    }
}

@Suite("SQL answers against the native query API and the reference evaluator")
struct SQLDifferentialTests {
    static func check(seed: UInt64) throws {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 256; return o
            }())
        let table = try db.createTable(RandomTable.spec())
        let batch = RandomTable.batch(rows: 800, days: 3, seed: seed)
        try table.append(batch)
        let query = RandomQuery.make(seed: seed, batch: batch)
        let expected = try ReferenceEvaluator.evaluate(query, on: ReferenceTable(spec: table.spec, batches: [batch]))
        for viaSubquery in [false, true] {
            let sql = NativeQuerySQL.sql(query, viaSubquery: viaSubquery)
            let answer = try db.query(sql)
            let difference = expected.mismatch(answer)
            #expect(difference == nil, "seed \(seed): \(sql)")
        }
    }

    @Test("random queries as SQL give the reference evaluator's answers, natively and on the general path")
    func differential() async throws {
        await propertyCheck(count: 30, input: Gen.int(in: 0...Int.max)) { seed in
            try Self.check(seed: UInt64(seed))
        }
    }

    /// Seeds that once found a disagreement (all three: `NOT (x IN () …)` over NULLs).
    @Test(
        "seeds that once disagreed agree",
        arguments: [2_784_038_555_188_834_062, 18_386_262_913_090_994_120, 16_365_665_573_296_468_021] as [UInt64])
    func regressions(seed: UInt64) throws {
        try Self.check(seed: seed)
    }

    @Test("no value is in an empty IN list, not even NULL, in every evaluator")
    func emptyInList() throws {
        let db = Database.inMemory()
        let table = try db.createTable(RandomTable.spec())
        try table.append(RandomTable.batch(rows: 200, days: 1, seed: 7))
        let all = try db.query("SELECT count(*) FROM t").rows
        #expect(try db.query("SELECT count(*) FROM t WHERE NOT (country IN ())").rows == all)
        #expect(try db.query("SELECT count(*) FROM (SELECT * FROM t) WHERE NOT (country IN ())").rows == all)
        #expect(try db.query("SELECT count(*) FROM t WHERE country NOT IN ()").rows == all)
        #expect(try db.query("SELECT count(*) FROM t WHERE country IN ()").rows == [[.int64(0)]])
        #expect(try db.query("SELECT NULL IN (), NULL NOT IN ()").rows == [[.bool(false), .bool(true)]])
        var query = Query(table: "t")
        query.filter = .not(.in("country", []))
        query.aggregations = [Aggregation("n", .count)]
        #expect(try db.execute(query).rows == all)
    }

    @Test(
        "native queries of seeds that once disagreed agree with the reference",
        arguments: [214_034_020_283_408_562, 2_784_038_555_188_834_062] as [UInt64])
    func nativeRegressions(seed: UInt64) throws {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 256; return o
            }())
        let table = try db.createTable(RandomTable.spec(userDictionary: seed % 2 == 0 ? .segment : .table))
        let batch = RandomTable.batch(rows: 1500, days: 3, seed: seed)
        let second = RandomTable.batch(rows: 300, days: 2, seed: seed &+ 1)
        try table.append(batch)
        try table.append(second)
        let query = RandomQuery.make(seed: seed, batch: batch)
        let expected = try ReferenceEvaluator.evaluate(
            query, on: ReferenceTable(spec: table.spec, batches: [batch, second]))
        let difference = expected.mismatch(try db.execute(query))
        #expect(difference == nil)
    }

    @Test("the plan is the pipeline's operators, the WHERE in the scan and time bounds as its range")
    func planShape() throws {
        let db = SQLTestTable.database
        func plan(_ sql: String) throws -> String {
            try db.query("EXPLAIN " + sql).rows.map { $0[0].description }.joined(separator: "\n")
        }
        let grouped = try plan(
            """
            SELECT country, date_trunc('hour', ts) AS h, count(*) AS n, sum(amount) FILTER (WHERE flag) AS s
            FROM events WHERE ts >= TIMESTAMP '2026-10-02' AND country IN ('US', 'DE') AND user LIKE 'u1%'
            GROUP BY ALL HAVING count(*) > 1 ORDER BY n DESC LIMIT 3
            """)
        #expect(grouped.contains("HashAggregate keys: [country, date_trunc('hour', ts)]"), "\(grouped)")
        #expect(grouped.contains("segments: 1 of 2 (1 pruned by time)"), "\(grouped)")
        #expect(grouped.contains("filter: (country IN ('US', 'DE')) AND (user LIKE 'u1%')"), "\(grouped)")
        #expect(grouped.contains("Filter count_star() > 1") && grouped.contains("Limit 3"), "\(grouped)")
        #expect(!grouped.contains("NativeQuery"))
        // An expression over aggregates: aggregation, then a projection.
        let ratio = try plan("SELECT country, sum(amount) / count(*) FROM events GROUP BY country")
        #expect(ratio.contains("HashAggregate") && ratio.contains("Project"))
        // Rows without aggregation: the scan applies the WHERE itself, reading the other columns late.
        let scan = try plan("SELECT user, amount FROM events WHERE country = 'US' AND cohort * 2 > score")
        #expect(
            scan.contains("Scan events (vectorized") && !scan.contains("Filter ")
                && scan.contains("filter: (country = 'US')"))
        // EXPLAIN ANALYZE adds rows and times per operator.
        let analyzed = try plan("SELECT country, count(*) FROM events GROUP BY country")
        #expect(!analyzed.contains("rows="))
        let analyze = try db.query("EXPLAIN ANALYZE SELECT country, count(*) FROM events GROUP BY country").rows
            .map { $0[0].description }.joined(separator: "\n")
        #expect(analyze.contains("rows=") && analyze.contains("work: segments 2/2 scanned") && analyze.contains("total:"), "\(analyze)")
    }

    @Test("subqueries in FROM: per-user sums, then per-variant n, sum and sum of squares")
    func nestedAggregation() throws {
        let db = SQLTestTable.database
        let nested = try db.query(
            """
            SELECT flag, count(*) AS n, sum(total) AS s, sum(total * total) AS s2
            FROM (SELECT user, flag, sum(amount) AS total FROM events WHERE amount IS NOT NULL GROUP BY user, flag)
            GROUP BY flag ORDER BY flag NULLS FIRST
            """)
        // The same by hand from the rows.
        let rows = try db.query("SELECT user, flag, amount FROM events WHERE amount IS NOT NULL").rows
        var perUser: [[Value]: Double] = [:]
        for row in rows { perUser[[row[0], row[1]], default: 0] += row[2].doubleValue! }
        var expected: [Value: (Int64, Double, Double)] = [:]
        for (key, total) in perUser {
            let (n, s, s2) = expected[key[1]] ?? (0, 0, 0)
            expected[key[1]] = (n + 1, s + total, s2 + total * total)
        }
        #expect(nested.rows.count == expected.count)
        for row in nested.rows {
            let (n, s, s2) = try #require(expected[row[0]])
            #expect(row[1] == .int64(n))
            #expect(abs(row[2].doubleValue! - s) <= 1e-9 * abs(s))
            #expect(abs(row[3].doubleValue! - s2) <= 1e-9 * abs(s2))
        }
    }

    @Test("a pinned snapshot answers SQL about its table only, and sees the data as of the pin")
    func snapshot() throws {
        let db = Database.inMemory()
        let table = try db.createTable(RandomTable.spec())
        try table.append(RandomTable.batch(rows: 100, days: 1, seed: 1))
        let pinned = table.snapshot()
        try table.append(RandomTable.batch(rows: 50, days: 1, seed: 2))
        #expect(try pinned.query("SELECT count(*) FROM t").rows == [[.int64(100)]])
        #expect(try db.query("SELECT count(*) FROM t").rows == [[.int64(150)]])
        #expect(throws: StrataError.self) { try pinned.query("SELECT count(*) FROM other") }
    }
}
