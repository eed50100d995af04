import Foundation
import Strata
import StrataCore
import StrataStats
import Testing

/// `experiment_analysis(…)` in SQL and `.experiment` in the REPL, against the Swift API's report.
@Suite("Experiment analysis from SQL and the REPL")
struct ExperimentSQLTests {
    static let metrics = [
        "converted=binomial(event = 'purchase')",
        "revenue=sum(revenue) cap=0.99 cuped=2d",
        "aov=ratio(sum(revenue), count(event = 'purchase'))",
    ]

    /// A database holding a random experiment table `events` (experiment `exp`).
    static func database(seed: UInt64 = 11, at path: String? = nil) throws -> Database {
        var options = Database.Options()
        options.blockRowCount = 64
        let db =
            try path.map { p throws(StrataError) in try Database.open(at: p, options: options) }
            ?? Database.inMemory(options: options)
        let table = try db.createTable(ExperimentFixture.spec())
        try table.append(ExperimentFixture.batch(ExperimentFixture.randomRows(seed: seed, users: 400)))
        return db
    }

    /// The SQL string literal of `text`.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func call(_ metrics: [String] = metrics, options: String = "") -> String {
        "experiment_analysis('events', 'exp', " + metrics.map(literal).joined(separator: ", ") + options + ")"
    }

    /// The analysis the SQL call describes, built with the Swift API.
    static func analysis() throws -> ExperimentAnalysis {
        var analysis = ExperimentAnalysis(experiment: "exp")
        analysis.metrics = try metrics.map { try ExperimentMetric.parse($0) }
        return analysis
    }

    static func close(_ value: Value, _ expected: Double?) -> Bool {
        guard let expected, expected.isFinite else { return value == .null }
        guard case .double(let x) = value else { return false }
        return x == expected
    }

    @Test("every row equals the Swift API's report: units, sums, ratio and CUPED sums, comparisons")
    func matchesReport() throws {
        let db = try Self.database()
        let report = try db.analyzeExperiment(try Self.analysis(), table: "events")
        let result = try db.query("SELECT * FROM \(Self.call())")
        #expect(
            result.columnNames == [
                "metric", "variant", "units", "sum", "sum_squares", "denominator_sum", "denominator_sum_squares",
                "sum_products", "covariate_sum", "covariate_sum_squares", "covariate_sum_products", "mean", "lift",
                "ci_low", "ci_high", "p_value", "adjusted_p_value", "chance_to_win", "verdict", "error",
                "srm_p_value", "excluded_units",
            ])
        #expect(result.rows.count == 3 * report.variants.count)
        var r = 0
        for metric in report.overall.metrics {
            for s in metric.variants {
                let row = result[r]
                r += 1
                #expect(row.string("metric") == metric.name)
                #expect(row.string("variant") == s.variant)
                #expect(row.int64("units") == Int64(s.units))
                #expect(Self.close(row["sum"]!, s.sum))
                #expect(Self.close(row["sum_squares"]!, s.sumSquares))
                #expect(Self.close(row["denominator_sum"]!, s.ratio?.denominatorSum))
                #expect(Self.close(row["sum_products"]!, s.ratio?.sumProducts))
                #expect(Self.close(row["covariate_sum"]!, s.covariate?.sum))
                #expect(Self.close(row["covariate_sum_products"]!, s.covariate?.sumProducts))
                #expect(Self.close(row["mean"]!, s.mean))
                let c = metric.comparison(s.variant)
                #expect(Self.close(row["lift"]!, c?.interval?.lift))
                #expect(Self.close(row["ci_low"]!, c?.interval?.ciLow))
                #expect(Self.close(row["ci_high"]!, c?.interval?.ciHigh))
                #expect(Self.close(row["p_value"]!, c?.pValue))
                #expect(Self.close(row["adjusted_p_value"]!, c?.adjustedPValue))
                #expect(Self.close(row["chance_to_win"]!, c?.bayesian?.chanceToWin))
                #expect(row.string("verdict") == (c?.verdict.rawValue ?? "baseline"))
                #expect(Self.close(row["srm_p_value"]!, report.overall.srmPValue))
                #expect(row.int64("excluded_units") == Int64(report.excludedUnits))
            }
        }
        #expect(report.excludedUnits > 0)  // the random table has units seen in both variants
        #expect(result.rows.contains { $0[5] != .null } && result.rows.contains { $0[8] != .null })
    }

    @Test("named options set the analysis as the Swift API does; a breakdown adds a breakdown column")
    func options() throws {
        let db = try Self.database()
        var analysis = try Self.analysis()
        try analysis.applyOption("window", "0d..3d")
        try analysis.applyOption("alpha", "0.1")
        try analysis.applyOption("correction", "holm")
        try analysis.applyOption("breakdown", "platform")
        let report = try db.analyzeExperiment(analysis, table: "events")
        let sql =
            "SELECT breakdown, metric, variant, units, p_value, adjusted_p_value FROM "
            + Self.call(options: ", window = '0d..3d', alpha => 0.1, correction = 'holm', breakdown = 'platform'")
        let result = try db.query(sql)
        var expected: [[Value]] = []
        for section in report.breakdown {
            for metric in section.metrics {
                for s in metric.variants {
                    let c = metric.comparison(s.variant)
                    expected.append([
                        section.label.map { .string($0) } ?? .null, .string(metric.name), .string(s.variant),
                        .int64(Int64(s.units)), c?.pValue.flatMap { $0.isFinite ? .double($0) : nil } ?? .null,
                        c?.adjustedPValue.flatMap { $0.isFinite ? .double($0) : nil } ?? .null,
                    ])
                }
            }
        }
        #expect(result.rows == expected)
        #expect(Set(result.rows.map { $0[0] }).contains(.null))  // units without a platform
    }

    @Test("the function's rows are a relation: WHERE, ORDER BY, aliases, aggregates and subqueries apply")
    func relation() throws {
        let db = try Self.database()
        let all = try db.query("SELECT metric, variant, lift, p_value FROM \(Self.call())").rows
        let filtered = try db.query(
            "SELECT metric, variant, lift FROM \(Self.call()) WHERE p_value < 0.99 ORDER BY 1 DESC, 2")
        let significant: [[Value]] = all.filter { row in (row[3].doubleValue ?? 1) < 0.99 }
        let expected: [[Value]] = significant.map { row in Array(row.prefix(3)) }.sorted { a, b in
            let (x, y) = (a[0].description, b[0].description)
            return x != y ? x > y : a[1].description < b[1].description
        }
        #expect(!expected.isEmpty)
        #expect(filtered.rows == expected)
        let counted = try db.query(
            "SELECT e.verdict, count(*) AS n FROM \(Self.call()) AS e WHERE e.variant <> 'control' GROUP BY ALL "
                + "ORDER BY 1")
        #expect(counted.rows.compactMap { $0[1].doubleValue }.reduce(0, +) == 3)
        let nested = try db.query(
            "SELECT max(units) FROM (SELECT * FROM \(Self.call()) WHERE metric = 'converted') AS s")
        let units = try db.query("SELECT units FROM \(Self.call()) WHERE metric = 'converted'").rows.compactMap {
            $0[0].doubleValue
        }
        #expect(nested.rows[0][0].doubleValue == units.max())
        let plan = try db.query("EXPLAIN SELECT * FROM \(Self.call()) WHERE p_value < 0.05")
        #expect(plan.rows.contains { $0[0].description.contains("ExperimentAnalysis exp on events") })
    }

    /// The error a query throws.
    static func error(_ db: Database, _ sql: String) throws -> StrataError {
        do {
            _ = try db.query(sql)
        } catch {
            return error
        }
        Issue.record("no error: \(sql)")
        throw StrataError(.internal, "no error")
    }

    /// The 1-based column of the first occurrence of `marker` in `sql`.
    static func column(of marker: String, in sql: String) -> Int {
        sql.distance(from: sql.startIndex, to: sql.range(of: marker)!.lowerBound) + 1
    }

    @Test("bad arguments are clear errors that point at the argument")
    func badArguments() throws {
        let db = try Self.database()
        var sql = "SELECT * FROM experiment_analyss('events', 'exp', 'm=count()')"
        var e = try Self.error(db, sql)
        #expect(e.code == .binding)
        #expect(e.message == "no table function named 'experiment_analyss'; did you mean 'experiment_analysis'?")
        #expect(e.location?.column == 15)

        sql = "SELECT * FROM read_parquet('x.parquet')"
        e = try Self.error(db, sql)
        #expect(
            e.message
                == "no table function named 'read_parquet'; the table functions are experiment_analysis(…), pragma_table_info(…), "
                + "range(…), generate_series(…)")

        sql =
            "SELECT * FROM experiment_analysis('events', 'exp', 'conv=binomial(event = ''purchase'')', 'x=median(revenue)')"
        e = try Self.error(db, sql)
        #expect(e.code == .unsupported)
        #expect(e.message.contains("metric 'x': unknown metric aggregate 'median'"))
        #expect(e.location?.column == Self.column(of: "median(", in: sql))
        #expect(e.detail?.hasSuffix("^") == true)

        sql = "SELECT * FROM experiment_analysis('events', 'exp', 'conv=binomial(event = ''purchase'' AND)')"
        e = try Self.error(db, sql)
        #expect(e.code == .syntax)
        #expect(e.location?.column == Self.column(of: ")')", in: sql))

        sql = "SELECT * FROM experiment_analysis('events', 'exp', 'm=count()', window = '0d..1x')"
        e = try Self.error(db, sql)
        #expect(e.code == .syntax)
        #expect(e.message.contains("a duration is an integer and a unit"))
        #expect(e.location?.column == Self.column(of: "'0d..1x'", in: sql))

        sql = "SELECT * FROM experiment_analysis('events', 'exp', 'm=count() window=7d..1d')"
        e = try Self.error(db, sql)
        #expect(e.message.contains("a window must end after it starts"))
        #expect(e.location?.column == Self.column(of: "window=", in: sql))

        sql = "SELECT * FROM experiment_analysis('events', 'exp', 'm=count()', windw = '0d..')"
        e = try Self.error(db, sql)
        #expect(e.code == .binding)
        #expect(e.message == "unknown experiment option 'windw'; did you mean 'window'?")
        #expect(e.location?.column == Self.column(of: "windw", in: sql))

        sql = "SELECT * FROM experiment_analysis('evnts', 'exp', 'm=count()')"
        e = try Self.error(db, sql)
        #expect(e.message == "no table named 'evnts'; did you mean 'events'?")
        #expect(e.location?.column == Self.column(of: "'evnts'", in: sql))

        sql = "SELECT * FROM experiment_analysis('events', 'exp')"
        e = try Self.error(db, sql)
        #expect(e.message.hasPrefix("experiment_analysis needs a table, an experiment and at least one metric"))

        sql = "SELECT * FROM experiment_analysis('events', 42, 'm=count()')"
        e = try Self.error(db, sql)
        #expect(e.code == .type)
        #expect(e.location?.column == Self.column(of: "42", in: sql))

        sql = "SELECT * FROM experiment_analysis('events', 'exp', 'm=count()') WHERE lfit > 0"
        e = try Self.error(db, sql)
        #expect(e.message.contains("no column named 'lfit'") && e.message.contains("did you mean 'lift'?"))
    }

    @Test(
        "the REPL's .experiment prints the report; bad metrics and options fail with a message and status 1",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func repl() throws {
        let dir = TestDirectory()
        let path = dir.path + "/db"
        let analysis = try Self.analysis()
        var expected = ""
        do {  // the database is closed (its directory lock released) before the REPL opens it
            let db = try Self.database(at: path)
            expected = try db.analyzeExperiment(analysis, table: "events").text()
        }
        let input = """
            .experiment exp converted=binomial(event = 'purchase') "revenue=sum(revenue)" cap=0.99 cuped=2d aov=ratio(sum(revenue), count(event = 'purchase'))
            SELECT count(*) AS n FROM experiment_analysis('events', 'exp', 'm=count()');
            .experiment exp m=count() --window 0d..1x
            .experiment exp m=foo(revenue)
            .experiment exp m=count() --windw 1d..
            """
        let run = try SQLReplTests.strata(["repl", "--db", path], input: input + "\n")
        expected += "n\n-\n2\n(1 row)\n"
        #expect(run.output == expected)
        #expect(run.status == 1)
        #expect(run.error.contains(".experiment: syntax error: --window: a duration is an integer and a unit"))
        #expect(run.error.contains("1:3: unsupported error: metric 'm': unknown metric aggregate 'foo'"))
        #expect(run.error.contains("unknown experiment option 'windw'; did you mean 'window'?"))
        let help = try SQLReplTests.strata(["repl", "--db", path], input: ".help\n")
        #expect(help.output.contains(".experiment E METRIC..."))
    }

    @Test("REPL words: blanks inside parentheses and quotes stay in the word; double quotes are removed")
    func words() throws {
        #expect(
            try SQLSession.experimentWords(#"e  m=binomial(event = 'a b') "r=sum(x) cap=0.9" --window 0d..7d"#)
                == ["e", "m=binomial(event = 'a b')", "r=sum(x) cap=0.9", "--window", "0d..7d"])
        #expect(throws: StrataError.self) { try SQLSession.experimentWords("m=count(") }
    }
}
