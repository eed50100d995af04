import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// A table with DECIMAL(15,2) metrics, as TPC-H's lineitem has them.
enum DecimalFixture {
    static let spec = TableSpec(
        name: "li", timestamp: TimestampSpec(column: "ts"),
        dimensions: [DimensionSpec(name: "flag", type: .string)],
        metrics: [
            MetricSpec(name: "price", type: .decimal(precision: 15, scale: 2)),
            MetricSpec(name: "discount", type: .decimal(precision: 15, scale: 2)),
        ])

    static let day: Int64 = 1_790_812_800_000  // 2026-10-01 00:00:00 UTC

    static func dec(_ unscaled: Int128, _ precision: Int, _ scale: Int) -> Value {
        .decimal(DecimalValue(unscaled: unscaled, precision: precision, scale: scale))
    }

    static func rows() -> [[String: Value]] {
        [
            ["ts": .timestamp(day), "flag": "A", "price": dec(1050, 15, 2), "discount": dec(6, 15, 2)],
            ["ts": .timestamp(day + 1000), "flag": "A", "price": .string("0.10"), "discount": .double(0.07)],
            ["ts": .timestamp(day + 2000), "flag": "B", "price": .int64(3), "discount": .string("0.05")],
            ["ts": .timestamp(day + 3000), "flag": "B", "price": .null, "discount": .string("0.049")],
        ]
    }
}

@Suite("DECIMAL columns")
struct DecimalColumnTests {
    typealias F = DecimalFixture

    static func expectAggregates(_ db: Database) throws {
        let result = try db.query(
            """
            SELECT sum(price) AS s, avg(price) AS a, min(price) AS lo, max(price) AS hi, sum(discount) AS d,
                   count(*) FILTER (WHERE discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01) AS q6
            FROM li
            """)
        #expect(
            result.columns.map(\.type) == [
                .decimal(precision: 38, scale: 2), .double, .decimal(precision: 15, scale: 2),
                .decimal(precision: 15, scale: 2), .decimal(precision: 38, scale: 2), .int64,
            ])
        #expect(
            result.rows == [
                [
                    F.dec(1360, 38, 2), .double(13.6 / 3), F.dec(10, 15, 2), F.dec(1050, 15, 2), F.dec(23, 38, 2),
                    .int64(4),
                ]
            ])
        #expect(result.rows[0][0].description == "13.60")
    }

    @Test("rows of decimals, text, integers and doubles append exactly; sum, avg, min and max are exact")
    func appendAndAggregate() throws {
        let db = Database.inMemory()
        let table = try db.createTable(F.spec)
        try table.append(rows: F.rows())
        let scanned = try table.scan().rows.map { $0[2] }
        #expect(scanned == [F.dec(1050, 15, 2), F.dec(10, 15, 2), F.dec(300, 15, 2), .null])
        try Self.expectAggregates(db)
        let grouped = try db.query("SELECT flag, sum(price) AS s FROM li GROUP BY flag ORDER BY flag")
        #expect(grouped.rows == [["A", F.dec(1060, 38, 2)], ["B", F.dec(300, 38, 2)]])
    }

    @Test("decimal columns survive a flush and a reopen")
    func flushAndReopen() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path)
            try db.createTable(F.spec).append(rows: F.rows())
            try db.flush()
            try Self.expectAggregates(db)
            try db.close()
        }
        let db = try Database.open(at: dir.path)
        #expect(try db.table(named: "li").spec == F.spec)
        try Self.expectAggregates(db)
    }

    @Test("decimal appends of a database dropped without close come back from the write-ahead log")
    func replayFromLog() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path)
            try db.createTable(F.spec).append(rows: F.rows())
            #expect(db.statistics.logAppends == 1)
        }
        let db = try Database.open(at: dir.path)
        #expect(try db.table(named: "li").rowCount == 4)
        try Self.expectAggregates(db)
    }

    @Test("CSV and JSON Lines decimal text is parsed exactly, never through a double")
    func ingestText() throws {
        let db = Database.inMemory()
        let table = try db.createTable(F.spec)
        let csv = "ts,flag,price,discount\n2026-10-01,A,0.1,0.07\n2026-10-01,A,1234567890123.45,1.005\n"
        try table.ingest(csvData: Array(csv.utf8), name: "in.csv")
        let jsonl = #"{"ts": "2026-10-01", "flag": "B", "price": 0.1, "discount": "0.06"}"# + "\n"
        try table.ingest(jsonLinesData: Array(jsonl.utf8), name: "in.jsonl")
        let result = try db.query("SELECT sum(price) AS p, sum(discount) AS d FROM li")
        // 1.005 rounds half away from zero to 1.01, as DuckDB's cast does.
        #expect(result.rows == [[F.dec(123_456_789_012_365, 38, 2), F.dec(114, 38, 2)]])
        let bad = "ts,flag,price,discount\n2026-10-01,A,12x,0\n"
        #expect(throws: StrataError.self) { try table.ingest(csvData: Array(bad.utf8), name: "bad.csv") }
        let tooWide = "ts,flag,price,discount\n2026-10-01,A,12345678901234.5,0\n"
        #expect(throws: StrataError.self) { try table.ingest(csvData: Array(tooWide.utf8), name: "wide.csv") }
    }

    @Test("experiment metrics over a decimal column equal those over the same values as doubles")
    func experimentMetric() throws {
        typealias Row = ExperimentFixture.Row
        let h = ExperimentFixture.hour
        let rows = [
            Row(t: 1 * h, user: "a", event: "exposure"), Row(t: 2 * h, user: "a", event: "purchase", revenue: 12.5),
            Row(t: 3 * h, user: "a", event: "purchase", revenue: 0.25),
            Row(t: 1 * h, user: "b", event: "exposure", variant: "treatment"),
            Row(t: 2 * h, user: "b", event: "purchase", variant: "treatment", revenue: 7.75),
            Row(t: 1 * h, user: "c", event: "exposure"), Row(t: 2 * h, user: "c", event: "purchase", revenue: nil),
            Row(t: 1 * h, user: "d", event: "exposure", variant: "treatment"),
        ]
        var decimalSpec = ExperimentFixture.spec()
        decimalSpec.metrics[0].type = .decimal(precision: 12, scale: 2)
        let decimalTable = try Database.inMemory().createTable(decimalSpec)
        try decimalTable.append(ExperimentFixture.batch(rows))
        let analysis = ExperimentAnalysis(
            experiment: "exp", metrics: [ExperimentMetric("revenue", .sum(column: "revenue", filter: nil))])
        let expected = try ExperimentFixture.table(rows).analyze(analysis)
        #expect(try decimalTable.analyze(analysis) == expected)
    }

    @Test("JSON specs name decimals with precision and scale, and encode them back the same way")
    func specJSON() throws {
        let json = """
            {"name": "t", "timestamp": {"column": "ts"},
             "dimensions": [{"name": "d", "type": "decimal", "precision": 10, "scale": 4}],
             "metrics": [{"name": "m", "type": "decimal", "precision": 18, "scale": 2}, {"name": "n", "type": "decimal"}]}
            """
        let spec = try TableSpec.decode(json: Data(json.utf8))
        #expect(spec.dimensions[0].type == .decimal(precision: 10, scale: 4))
        #expect(spec.metrics.map(\.type) == [.decimal(precision: 18, scale: 2), .decimal(precision: 18, scale: 3)])
        #expect(try TableSpec.decode(json: spec.encodeJSON()) == spec)
        let text = String(decoding: spec.encodeJSON(), as: UTF8.self)
        #expect(text.contains(#""precision" : 18"#))
    }

    @Test("decimals wider than 18 digits, bad scales and moments or quantile rollups of decimals are spec errors")
    func specErrors() {
        for (p, s) in [(19, 2), (10, 11), (0, 0)] {
            let spec = TableSpec(name: "t", metrics: [MetricSpec(name: "m", type: .decimal(precision: p, scale: s))])
            #expect(throws: StrataError.self) { try spec.validate() }
        }
        for kind in [AggregatorKind.moments, .quantile] {
            let rollup = TableSpec(
                name: "t", metrics: [MetricSpec(name: "m", type: .decimal(precision: 10, scale: 2))],
                rollup: RollupSpec(granularity: .hour, aggregates: [AggregateSpec(name: "s", type: kind, column: "m")]))
            #expect(throws: StrataError.self) { try rollup.validate() }
        }
    }

    @Test("a rollup keeps decimal sums, minima and maxima exact, and counts their distinct values")
    func rollup() throws {
        let db = Database.inMemory()
        let raw = try db.createTable(F.spec)
        var rolled = F.spec
        rolled.name = "li_hourly"
        rolled.rollup = RollupSpec(
            granularity: .hour,
            aggregates: [
                AggregateSpec(name: "n", type: .count), AggregateSpec(name: "price", type: .sum, column: "price"),
                AggregateSpec(name: "lo", type: .min, column: "discount"),
                AggregateSpec(name: "hi", type: .max, column: "discount"),
                AggregateSpec(name: "d", type: .hll, column: "discount"),
            ])
        let rollupTable = try db.createTable(rolled)
        for table in [raw, rollupTable] { try table.append(rows: F.rows()) }
        let sql =
            "SELECT flag, count(*) AS n, sum(price) AS s, min(discount) AS lo, max(discount) AS hi, "
            + "approx_count_distinct(discount) AS d FROM %@ GROUP BY flag ORDER BY flag"
        let expected = try db.query(sql.replacingOccurrences(of: "%@", with: "li"))
        let answer = try db.query(sql.replacingOccurrences(of: "%@", with: "li_hourly"))
        #expect(answer.rows == expected.rows)
        #expect(answer.rows[0][2] == F.dec(1060, 38, 2))
        #expect(answer.columns.map(\.type) == expected.columns.map(\.type))
    }
}

@Suite("DECIMAL columns on the vectorized engine")
struct DecimalNativeTests {
    typealias F = DecimalFixture

    static func database() throws -> Database {
        var options = Database.Options()
        options.blockRowCount = 64
        let db = Database.inMemory(options: options)
        let table = try db.createTable(F.spec)
        // Discounts 0.00 … 0.10 and prices with cents, over several blocks.
        var rows: [[String: Value]] = []
        for i in 0..<500 {
            let price: Value = i % 17 == 0 ? .null : F.dec(Int128(i * 1234 % 100_000), 15, 2)
            let row: [String: Value] = [
                "ts": .timestamp(F.day + Int64(i) * 60_000), "flag": .string(i % 3 == 0 ? "A" : "B"),
                "price": price, "discount": F.dec(Int128(i % 11), 15, 2),
            ]
            rows.append(row)
        }
        try table.append(rows: rows)
        return db
    }

    static func plan(_ db: Database, _ sql: String) throws -> String {
        try db.query("EXPLAIN " + sql).rows.map { $0[0].description }.joined(separator: "\n")
    }

    @Test("aggregates and group keys of decimal columns over the table give the answers they give over a subquery")
    func aggregates() throws {
        let db = try Self.database()
        let select =
            "SELECT flag, discount, count(*) AS n, count(price) AS c, sum(price) AS s, min(price) AS lo, "
            + "max(price) AS hi, avg(price) AS a, count(DISTINCT price) AS d, approx_count_distinct(price) AS h, "
            + "var_samp(price) AS v, stddev_samp(discount) AS sd"
        let native = select + " FROM li GROUP BY flag, discount ORDER BY flag, discount"
        let general = select + " FROM (SELECT * FROM li) AS t GROUP BY flag, discount ORDER BY flag, discount"
        // The same aggregation straight over the table's scan, and over a subquery's rows.
        #expect(try !Self.plan(db, native).contains("Project *"))
        #expect(try Self.plan(db, general).contains("Project "))
        let a = try db.query(native)
        let b = try db.query(general)
        #expect(a.columns == b.columns)
        #expect(a.rows.count == 22)
        #expect(ReferenceEvaluator.same(a, b, ordered: true))
        #expect(a.columns[4].type == .decimal(precision: 38, scale: 2))
        #expect(a.columns[5].type == .decimal(precision: 15, scale: 2))
    }

    @Test(
        "filters on a decimal column are exact, in the scan as over a subquery",
        arguments: ["=", "<>", "<", "<=", ">", ">="])
    func filters(op: String) throws {
        let db = try Self.database()
        for literal in [
            "0.05", "0.055", "0.1", "-1", "5", "0.049999999999", "1000000000000000000000", "123.45", "600.5", "'0.06'",
        ] {
            for condition in ["discount \(op) \(literal)", "NOT (price \(op) \(literal))", "price \(op) \(literal)"] {
                // The scan applies the first WHERE; a Filter over the subquery's rows the second.
                let native =
                    "SELECT flag, count(*) AS n, sum(price) AS s FROM li WHERE \(condition) GROUP BY flag ORDER BY flag"
                let general =
                    "SELECT flag, count(*) AS n, sum(price) AS s FROM (SELECT * FROM li) AS t WHERE \(condition) "
                    + "GROUP BY flag ORDER BY flag"
                #expect(try Self.plan(db, native).contains("filter: "), "\(condition)")
                #expect(try Self.plan(db, general).contains("Filter "), "\(condition)")
                #expect(try db.query(native).rows == db.query(general).rows, "\(condition)")
            }
        }
        for condition in [
            "discount IN (0.05, 0.055, 0.1)", "discount NOT IN (0.05, 0.055)", "discount IN (0.055)",
            "discount NOT IN (0.055)", "discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01",
            "discount BETWEEN 0.049 AND 0.071",
        ] {
            let native = "SELECT count(*) AS n FROM li WHERE \(condition)"
            let general = "SELECT count(*) AS n FROM (SELECT * FROM li) AS t WHERE \(condition)"
            #expect(try db.query(native).rows == db.query(general).rows, "\(condition)")
        }
    }

    @Test("the native query API sums, groups and filters decimal columns exactly")
    func nativeAPI() throws {
        let db = try Self.database()
        let query = Query(
            table: "li", filter: .compare("discount", .greaterThanOrEqual, .double(0.1)),
            groupBy: [.column("discount")],
            aggregations: [Aggregation("n", .count), Aggregation("s", .sum, column: "discount")])
        let result = try db.execute(query)
        #expect(result.rows == [[F.dec(10, 15, 2), .int64(45), F.dec(450, 38, 2)]])
        // Quantiles of the native API are doubles, computed on the units and scaled back.
        let median = try db.execute(
            Query(table: "li", aggregations: [Aggregation("m", .quantile(0.5), column: "discount")]))
        #expect(median.rows == [[.double(0.05)]])
        #expect(throws: StrataError.self) {
            try db.execute(Query(table: "li", aggregations: [Aggregation("q", .approxQuantile(0.5), column: "price")]))
        }
    }
}

@Suite("DECIMAL and HUGEINT in SQL")
struct DecimalSQLTests {
    typealias F = DecimalFixture

    @Test("DECIMAL arithmetic that leaves its width is an error, not a wrong answer")
    func decimalOverflow() throws {
        let db = Database.inMemory()
        let error = try #require(
            throws: StrataError.self,
            performing: { try db.query("SELECT CAST(99999999999999999.0 AS DECIMAL(18,1)) * 10") })
        #expect(error.message.contains("overflow in multiplication of DECIMAL(18,1)"))
        #expect(throws: StrataError.self) { try db.query("SELECT CAST(12345 AS DECIMAL(4,2))") }
        #expect(throws: StrataError.self) { try db.query("SELECT CAST('abc' AS DECIMAL(4,2))") }
        #expect(throws: StrataError.self) { try db.query("SELECT CAST(1 AS DECIMAL(39,2))") }
        #expect(throws: StrataError.self) {
            try db.query("SELECT CAST(1 AS DECIMAL(18,17)) * CAST(1 AS DECIMAL(18,17)) * CAST(1 AS DECIMAL(18,17))")
        }
    }

    @Test("integer sums are HUGEINT: exact past 2^63, and an error past 2^127 that names the expression")
    func hugeintSums() throws {
        let db = Database.inMemory()
        let table = try db.createTable(
            TableSpec(name: "t", metrics: [MetricSpec(name: "x", type: .int64)]))
        try table.append(rows: (0..<2000).map { i in ["ts": .timestamp(F.day + Int64(i)), "x": .int64(Int64.max)] })
        let result = try db.query(
            "SELECT sum(x) AS s, sum(9223372036854775807) AS c, sum(x * 1) + 1 AS e FROM t")
        let total = Int128(Int64.max) * 2000
        #expect(result.columns.map(\.type) == [.hugeint, .hugeint, .hugeint])
        #expect(result.rows == [[.hugeint(total), .hugeint(total), .hugeint(total + 1)]])
        // The native engine answers the same sum exactly, as a 128-bit integer (no rounding to a double).
        let native = try db.execute(Query(table: "t", aggregations: [Aggregation("s", .sum, column: "x")]))
        #expect(native.rows == [[.hugeint(total)]])
        let error = try #require(
            throws: StrataError.self,
            performing: {
                try db.query("SELECT sum(CAST(x AS HUGEINT) * 10000000000000000) AS big FROM t")
            })
        #expect(error.message.contains("overflow in sum(CAST(x AS HUGEINT) * 10000000000000000)"))
        #expect(throws: StrataError.self) {
            try db.query("SELECT 170141183460469231731687303715884105727 + 1")
        }
    }

    @Test("sum of a BIGINT expression, as issue 11 reports it, is DuckDB's exact HUGEINT")
    func issueExample() throws {
        let db = Database.inMemory()
        let table = try db.createTable(TableSpec(name: "e", metrics: [MetricSpec(name: "latency_ms", type: .int64)]))
        try table.append(rows: (0..<1000).map { i in ["ts": .timestamp(F.day + Int64(i)), "latency_ms": .int64(200)] })
        let result = try db.query("SELECT sum(latency_ms * 9000000000000) + 1 AS big FROM e")
        #expect(result.rows == [[.hugeint(1_800_000_000_000_000_001)]])
        #expect(result.rows[0][0].description == "1800000000000000001")
    }

    @Test("quantile_cont of decimals is a decimal interpolated in units and truncated, as DuckDB's")
    func decimalQuantiles() throws {
        let db = Database.inMemory()
        let table = try db.createTable(
            TableSpec(name: "q", metrics: [MetricSpec(name: "x", type: .decimal(precision: 15, scale: 2))]))
        let values: [Int128] = [101, 102, 104, 200]
        try table.append(
            rows: values.enumerated().map { i, x in ["ts": .timestamp(F.day + Int64(i)), "x": F.dec(x, 15, 2)] })
        let result = try db.query(
            "SELECT quantile_cont(x, 0.25) AS a, median(x) AS b, quantile_cont(x, 0.9) AS c, quantile_cont(x, 0.3) AS d FROM q"
        )
        #expect(result.columns.map(\.type) == Array(repeating: .decimal(precision: 15, scale: 2), count: 4))
        // DuckDB 2.0: 1.01, 1.03, 1.71, 1.01.
        #expect(result.rows == [[F.dec(101, 15, 2), F.dec(103, 15, 2), F.dec(171, 15, 2), F.dec(101, 15, 2)]])
    }

    @Test("results render decimals with every digit of their scale and HUGEINT in full")
    func rendering() throws {
        let db = Database.inMemory()
        let result = try db.query("SELECT 1.50 AS a, CAST(2 AS HUGEINT) * 9223372036854775807 AS b, -0.07 AS c")
        #expect(result.rendered(as: .csv) == "a,b,c\n1.50,18446744073709551614,-0.07\n")
        #expect(result.rendered(as: .json) == "[\n{\"a\":1.50,\"b\":18446744073709551614,\"c\":-0.07}\n]\n")
    }
}
