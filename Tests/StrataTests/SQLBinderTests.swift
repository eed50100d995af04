import Strata
import StrataCore
import StrataTestSupport
import Testing

/// A small table `events` with a column of every type (RandomTable's spec), for binder tests.
enum SQLTestTable {
    static let database: Database = {
        let db = Database.inMemory()
        let table = try! db.createTable(RandomTable.spec(name: "events"))
        try! table.append(RandomTable.batch(rows: 200, days: 2, seed: 5))
        return db
    }()
}

@Suite("SQL binder: type rules (DuckDB's)")
struct SQLTypeRuleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var sql: String
        var type: DataType?
        var value: Value
        var testDescription: String { sql }
    }

    static func ts(_ text: String) -> Value { .timestamp(try! Timestamp.parse(text).get()) }
    static func dec(_ unscaled: Int128, _ precision: Int, _ scale: Int) -> Value {
        .decimal(DecimalValue(unscaled: unscaled, precision: precision, scale: scale))
    }

    static let cases: [Case] = [
        Case(sql: "7 / 2", type: .double, value: .double(3.5)),  // `/` divides as doubles, as in DuckDB ≥ 0.8
        Case(sql: "7 % 2", type: .int64, value: .int64(1)),
        Case(sql: "-7 % 2", type: .int64, value: .int64(-1)),
        Case(sql: "6 / 3", type: .double, value: .double(2)),
        Case(sql: "1 / 0", type: .double, value: .double(.infinity)),
        Case(sql: "1 + 2 * 3", type: .int64, value: .int64(7)),
        Case(sql: "1 + 2.5", type: .decimal(precision: 12, scale: 1), value: dec(35, 12, 1)),
        Case(sql: "1 + 2.5::DOUBLE", type: .double, value: .double(3.5)),
        Case(sql: "0.06 + 0.01", type: .decimal(precision: 4, scale: 2), value: dec(7, 4, 2)),
        Case(sql: "0.06 - 0.01", type: .decimal(precision: 4, scale: 2), value: dec(5, 4, 2)),
        Case(sql: "1.5 * 2.25", type: .decimal(precision: 5, scale: 3), value: dec(3375, 5, 3)),
        Case(sql: "1.5 / 2", type: .double, value: .double(0.75)),
        Case(
            sql: "CAST(1.5 AS DECIMAL(18,2)) * CAST(2.25 AS DECIMAL(18,2))", type: .decimal(precision: 18, scale: 4),
            value: dec(33750, 18, 4)),
        Case(
            sql: "CAST(1.5 AS DECIMAL(18,2)) + CAST(2.25 AS DECIMAL(18,2))", type: .decimal(precision: 19, scale: 2),
            value: dec(375, 19, 2)),
        Case(sql: ".5", type: .decimal(precision: 1, scale: 1), value: dec(5, 1, 1)),
        Case(sql: "100.", type: .decimal(precision: 3, scale: 0), value: dec(100, 3, 0)),
        Case(sql: "-0.06", type: .decimal(precision: 3, scale: 2), value: dec(-6, 3, 2)),
        Case(sql: "1e3", type: .double, value: .double(1000)),
        Case(sql: "9223372036854775808", type: .hugeint, value: .hugeint(Int128(Int64.max) + 1)),
        Case(sql: "0.07 BETWEEN 0.06 - 0.01 AND 0.06 + 0.01", type: .bool, value: .bool(true)),
        Case(sql: "0.1 + 0.2 = 0.3", type: .bool, value: .bool(true)),
        Case(sql: "1.50 = 1.5", type: .bool, value: .bool(true)),
        Case(sql: "2 > 1.5", type: .bool, value: .bool(true)),
        Case(sql: "-(3 - 5)", type: .int64, value: .int64(2)),
        Case(sql: "7.5 % 2", type: .decimal(precision: 11, scale: 1), value: dec(15, 11, 1)),
        Case(sql: "NULL + 1", type: .int64, value: .null),
        Case(sql: "'a' || 1", type: .string, value: "a1"),
        Case(sql: "'a' || NULL", type: .string, value: .null),
        Case(sql: "NULL AND FALSE", type: .bool, value: .bool(false)),
        Case(sql: "NULL OR TRUE", type: .bool, value: .bool(true)),
        Case(sql: "NOT NULL", type: .bool, value: .null),
        Case(sql: "1 IN (1, NULL)", type: .bool, value: .bool(true)),
        Case(sql: "2 IN (1, NULL)", type: .bool, value: .null),
        Case(sql: "2 NOT IN (1, 3)", type: .bool, value: .bool(true)),
        Case(sql: "5 BETWEEN 1 AND 10", type: .bool, value: .bool(true)),
        Case(sql: "'abc' LIKE 'a%'", type: .bool, value: .bool(true)),
        Case(sql: "'ABC' ILIKE 'a_c'", type: .bool, value: .bool(true)),
        Case(
            sql: "CASE WHEN 1 = 1 THEN 1 ELSE 2.5 END", type: .decimal(precision: 11, scale: 1), value: dec(10, 11, 1)),
        Case(sql: "CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", type: .string, value: "two"),
        Case(sql: "CASE WHEN FALSE THEN 1 END", type: .int64, value: .null),
        Case(sql: "CAST(2.5 AS BIGINT)", type: .int64, value: .int64(3)),  // decimals round half away from zero
        Case(sql: "CAST(3.5 AS BIGINT)", type: .int64, value: .int64(4)),
        Case(sql: "CAST(-2.5 AS BIGINT)", type: .int64, value: .int64(-3)),
        Case(sql: "CAST(2.5::DOUBLE AS BIGINT)", type: .int64, value: .int64(2)),  // doubles round half to even
        Case(sql: "CAST(-2.5::DOUBLE AS BIGINT)", type: .int64, value: .int64(-2)),
        Case(sql: "CAST(2.5 AS HUGEINT)", type: .hugeint, value: .hugeint(3)),
        Case(sql: "CAST(1.005 AS DECIMAL(4,2))", type: .decimal(precision: 4, scale: 2), value: dec(101, 4, 2)),
        Case(sql: "CAST(-1.005 AS DECIMAL(4,2))", type: .decimal(precision: 4, scale: 2), value: dec(-101, 4, 2)),
        Case(sql: "CAST('1.005' AS DECIMAL(4,2))", type: .decimal(precision: 4, scale: 2), value: dec(101, 4, 2)),
        Case(sql: "CAST(1.005::DOUBLE AS DECIMAL(4,2))", type: .decimal(precision: 4, scale: 2), value: dec(100, 4, 2)),
        Case(sql: "CAST(3 AS NUMERIC)", type: .decimal(precision: 18, scale: 3), value: dec(3000, 18, 3)),
        Case(sql: "CAST(1.50 AS VARCHAR)", type: .string, value: "1.50"),
        Case(sql: "CAST(1.5 AS DOUBLE)", type: .double, value: .double(1.5)),
        Case(sql: "round(1.55, 1)", type: .decimal(precision: 3, scale: 1), value: dec(16, 3, 1)),
        Case(sql: "round(155.5, -1)", type: .decimal(precision: 4, scale: 0), value: dec(160, 4, 0)),
        Case(sql: "floor(-1.55)", type: .decimal(precision: 3, scale: 0), value: dec(-2, 3, 0)),
        Case(sql: "ceil(1.55)", type: .decimal(precision: 3, scale: 0), value: dec(2, 3, 0)),
        Case(sql: "floor(65)", type: .double, value: .double(65)),
        Case(sql: "round(floor(-1068.5), -2)", type: .decimal(precision: 6, scale: 0), value: dec(-1100, 6, 0)),
        Case(
            sql: "coalesce(CAST(1 AS DECIMAL(38,0)), 1.5)", type: .decimal(precision: 38, scale: 0),
            value: dec(1, 38, 0)),
        Case(
            sql: "coalesce(CAST(1 AS DECIMAL(34,0)), CAST(1 AS DECIMAL(8,5)))", type: .decimal(precision: 38, scale: 4),
            value: dec(10000, 38, 4)),
        Case(sql: "round(-720349, -1)", type: .int64, value: .int64(-720_350)),
        Case(sql: "abs(-1.5)", type: .decimal(precision: 2, scale: 1), value: dec(15, 2, 1)),
        Case(sql: "CAST(1 AS HUGEINT) + 1", type: .hugeint, value: .hugeint(2)),
        Case(sql: "coalesce(CAST(1 AS HUGEINT), 1.5)", type: .decimal(precision: 38, scale: 1), value: dec(10, 38, 1)),
        Case(sql: "CAST('12' AS BIGINT)", type: .int64, value: .int64(12)),
        Case(sql: "CAST(7 AS DOUBLE)", type: .double, value: .double(7)),
        Case(sql: "CAST(0.1 AS VARCHAR)", type: .string, value: "0.1"),
        Case(sql: "CAST(100.0 AS VARCHAR)", type: .string, value: "100.0"),
        Case(sql: "CAST(1e15 AS VARCHAR)", type: .string, value: "1000000000000000.0"),
        Case(sql: "CAST(1e16 AS VARCHAR)", type: .string, value: "1e+16"),
        Case(sql: "CAST(TRUE AS VARCHAR)", type: .string, value: "true"),
        Case(
            sql: "CAST(TIMESTAMP '2026-10-01 12:34:56.700' AS VARCHAR)", type: .string, value: "2026-10-01 12:34:56.7"),
        Case(sql: "CAST(TIMESTAMP '2026-10-01 12:34:56' AS VARCHAR)", type: .string, value: "2026-10-01 12:34:56"),
        Case(sql: "CAST(TIMESTAMP '2026-10-01 12:34:56.789' AS DATE)", type: .string, value: "2026-10-01"),
        Case(sql: "CAST('2026-10-01 10:00' AS TIMESTAMP)", type: .timestamp, value: ts("2026-10-01 10:00")),
        Case(sql: "DATE '2026-10-01' + 1", type: .string, value: "2026-10-02"),
        Case(sql: "DATE '2026-10-05' - DATE '2026-10-01'", type: .int64, value: .int64(4)),
        Case(sql: "TIMESTAMP '2026-10-01' + INTERVAL 1 DAY", type: .timestamp, value: ts("2026-10-02")),
        Case(sql: "TIMESTAMP '2026-01-31' + INTERVAL 1 MONTH", type: .timestamp, value: ts("2026-02-28")),
        Case(sql: "TIMESTAMP '2026-10-01' - INTERVAL '90 minutes'", type: .timestamp, value: ts("2026-09-30 22:30")),
        Case(sql: "INTERVAL '1 hour' + TIMESTAMP '2026-10-01'", type: .timestamp, value: ts("2026-10-01 01:00")),
        Case(sql: "DATE '2026-10-01' + INTERVAL 1 HOUR", type: .timestamp, value: ts("2026-10-01 01:00")),
        Case(
            sql: "date_trunc('hour', TIMESTAMP '2026-10-01 12:34:56.789')", type: .timestamp,
            value: ts("2026-10-01 12:00")),
        Case(sql: "date_trunc('week', TIMESTAMP '2026-10-01 12:34:56')", type: .timestamp, value: ts("2026-09-28")),
        Case(sql: "date_trunc('quarter', TIMESTAMP '2026-11-15')", type: .timestamp, value: ts("2026-10-01")),
        Case(sql: "date_trunc('day', DATE '2026-10-01')", type: .timestamp, value: ts("2026-10-01")),
        Case(
            sql: "time_bucket(INTERVAL '5 minutes', TIMESTAMP '2026-10-01 12:34:56')", type: .timestamp,
            value: ts("2026-10-01 12:30")),
        Case(sql: "time_bucket(INTERVAL '1 week', TIMESTAMP '2026-10-01')", type: .timestamp, value: ts("2026-09-28")),
        Case(
            sql: "time_bucket(INTERVAL '3 days', TIMESTAMP '2026-10-01 05:00')", type: .timestamp,
            value: ts("2026-10-01")),
        Case(sql: "time_bucket(INTERVAL '1 month', TIMESTAMP '2026-10-15')", type: .timestamp, value: ts("2026-10-01")),
        Case(sql: "extract(hour FROM TIMESTAMP '2026-10-01 05:00')", type: .int64, value: .int64(5)),
        Case(sql: "date_part('dow', TIMESTAMP '2026-10-01')", type: .int64, value: .int64(4)),
        Case(sql: "epoch_ms(TIMESTAMP '2026-10-01')", type: .int64, value: .int64(1_790_812_800_000)),
        Case(sql: "coalesce(NULL, 1, 2.5)", type: .decimal(precision: 11, scale: 1), value: dec(10, 11, 1)),
        Case(sql: "nullif(1, 1)", type: .int64, value: .null),
        Case(sql: "greatest(1, 3, 2)", type: .int64, value: .int64(3)),
        Case(sql: "round(2.345, 2)", type: .decimal(precision: 4, scale: 2), value: dec(235, 4, 2)),
        Case(sql: "round(2.345::DOUBLE, 2)", type: .double, value: .double(2.35)),
        Case(sql: "abs(-3)", type: .int64, value: .int64(3)),
        Case(sql: "length('héllo')", type: .int64, value: .int64(5)),
        Case(sql: "NULL", type: nil, value: .null),
    ]

    @Test("constant expressions have DuckDB's type and value", arguments: cases)
    func constant(_ c: Case) throws {
        let result = try SQLTestTable.database.query("SELECT " + c.sql)
        #expect(result.columns.map(\.type) == [c.type])
        #expect(result.rows == [[c.value]])
    }

    @Test("aggregate result types: count BIGINT, integer sums HUGEINT, avg and variances DOUBLE")
    func aggregateTypes() throws {
        let result = try SQLTestTable.database.query(
            """
            SELECT count(*), count(country), sum("count" % 1000), sum(amount), avg(cohort), var_samp(score),
                   stddev_samp(cohort), min(country), max(seen), min(flag), count(DISTINCT user)
            FROM events
            """)
        #expect(
            result.columns.map(\.type) == [
                .int64, .int64, .hugeint, .double, .double, .double, .double, .string, .timestamp, .bool, .int64,
            ])
    }

    @Test("queries without FROM and with column expressions keep the column types")
    func columnTypes() throws {
        let result = try SQLTestTable.database.query(
            "SELECT country || '!', cohort + 1, cohort / 2, score * 2, flag, NOT flag, CAST(ts AS DATE) FROM events LIMIT 1"
        )
        #expect(result.columns.map(\.type) == [.string, .int64, .double, .double, .bool, .bool, .string])
    }
}

@Suite("SQL binder: errors name the position, show a caret and suggest names")
struct SQLBindingErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var sql: String
        var code: StrataError.Code
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { sql }
    }

    static let cases: [Case] = [
        Case(sql: "SELECT count(*) FROM evnts", code: .binding, line: 1, column: 22, message: "did you mean 'events'"),
        Case(sql: "SELECT contry FROM events", code: .binding, line: 1, column: 8, message: "did you mean 'country'"),
        Case(
            sql: "SELECT country,\n       cohrt\nFROM events", code: .binding, line: 2, column: 8,
            message: "did you mean 'cohort'"),
        Case(
            sql: "SELECT x.country FROM events e", code: .binding, line: 1, column: 8,
            message: "no table or alias named 'x'"),
        Case(
            sql: "SELECT country FROM events WHERE scroe > 1", code: .binding, line: 1, column: 34,
            message: "did you mean 'score'"),
        Case(
            sql: "SELECT country + 1 FROM events", code: .type, line: 1, column: 8,
            message: "cannot apply '+' to VARCHAR and BIGINT"),
        Case(
            sql: "SELECT 1 FROM events WHERE country = 1", code: .type, line: 1, column: 38,
            message: "cannot compare VARCHAR with BIGINT"),
        Case(
            sql: "SELECT sum(country) FROM events", code: .type, line: 1, column: 12,
            message: "sum() needs a numeric argument"),
        Case(
            sql: "SELECT 1 FROM events WHERE cohort", code: .type, line: 1, column: 28, message: "WHERE needs a BOOLEAN"
        ),
        Case(
            sql: "SELECT CAST(ts AS BIGINT) FROM events", code: .type, line: 1, column: 13,
            message: "cannot cast TIMESTAMP to BIGINT"),
        Case(sql: "SELECT TIMESTAMP '2026-13-01'", code: .type, line: 1, column: 8, message: "not a valid TIMESTAMP"),
        Case(
            sql: "SELECT CAST('abc' AS BIGINT)", code: .type, line: 1, column: 8,
            message: "could not convert string 'abc'"),
        Case(
            sql: "SELECT country, cohort, count(*) FROM events GROUP BY country", code: .binding, line: 1, column: 17,
            message: "must appear in the GROUP BY clause"),
        Case(
            sql: "SELECT country, count(*) FROM events", code: .binding, line: 1, column: 8,
            message: "must appear in the GROUP BY"),
        Case(
            sql: "SELECT 1 FROM events WHERE count(*) > 1", code: .binding, line: 1, column: 28,
            message: "not allowed in WHERE"),
        Case(sql: "SELECT sum(count(*)) FROM events", code: .binding, line: 1, column: 12, message: "cannot be nested"),
        Case(
            sql: "SELECT count(*) FROM events GROUP BY count(*)", code: .binding, line: 1, column: 38,
            message: "not allowed in GROUP BY"),
        Case(
            sql: "SELECT count(*) FROM events GROUP BY 1", code: .binding, line: 1, column: 38,
            message: "refers to an aggregate"),
        Case(
            sql: "SELECT country FROM events ORDER BY 2", code: .binding, line: 1, column: 37,
            message: "ORDER BY position 2"),
        Case(
            sql: "SELECT date_trunc('day') FROM events", code: .binding, line: 1, column: 8,
            message: "takes 2 arguments, got 1"),
        Case(
            sql: "SELECT sum(amount, score) FROM events", code: .binding, line: 1, column: 8,
            message: "takes 1 argument, got 2"),
        Case(sql: "SELECT abs(*) FROM events", code: .binding, line: 1, column: 8, message: "takes 1 argument, got *"),
        Case(
            sql: "SELECT lenght(country) FROM events", code: .binding, line: 1, column: 8,
            message: "did you mean 'length'"),
        Case(
            sql: "SELECT date_trunc('fortnight', ts) FROM events", code: .binding, line: 1, column: 19,
            message: "unknown date_trunc unit"),
        Case(
            sql: "SELECT time_bucket(INTERVAL '0 minutes', ts) FROM events", code: .invalidArgument, line: 1,
            column: 20, message: "positive"),
        Case(
            sql: "SELECT list(amount) FROM events", code: .unsupported, line: 1, column: 8,
            message: "list() is not supported"),
        Case(
            sql: "SELECT quantile_cont(amount, 1.5) FROM events", code: .invalidArgument, line: 1, column: 30,
            message: "between 0 and 1"),
        Case(
            sql: "SELECT quantile_cont(amount) FROM events", code: .binding, line: 1, column: 8,
            message: "takes 2 arguments"),
        Case(sql: "SELECT 1 % 0", code: .invalidArgument, line: 1, column: 8, message: "division by zero"),
        Case(sql: "SELECT 9223372036854775807 + 1", code: .invalidArgument, line: 1, column: 8, message: "overflow"),
        Case(sql: "SELECT ts - ts FROM events", code: .unsupported, line: 1, column: 8, message: "INTERVAL"),
        Case(
            sql: "SELECT DISTINCT country FROM events ORDER BY cohort", code: .binding, line: 1, column: 46,
            message: "SELECT DISTINCT"),
        Case(sql: "SELECT country FROM events LIMIT -1", code: .type, line: 1, column: 34, message: "non-negative"),
        Case(
            sql: "SELECT * FROM (SELECT country FROM events) s WHERE s.cohort > 1", code: .binding, line: 1, column: 54,
            message: "no column named 'cohort'"),
        Case(
            sql: "SELECT country FROM events GROUP BY country HAVING amount > 1", code: .binding, line: 1, column: 52,
            message: "GROUP BY"),
        // Correlated subqueries the planner does not unnest: the subquery (or the outer name) is pointed at.
        Case(
            sql: "SELECT (SELECT max(amount) FROM events i WHERE i.cohort = e.cohort GROUP BY country) FROM events e",
            code: .unsupported, line: 1, column: 8, message: "with GROUP BY"),
        Case(
            sql: "SELECT (SELECT max(e.amount) FROM events i WHERE i.cohort = e.cohort) FROM events e",
            code: .unsupported, line: 1, column: 20, message: "only in its WHERE ('e.amount'"),
        Case(
            sql: "SELECT 1 FROM events e WHERE EXISTS (SELECT 1 FROM events i WHERE i.cohort = e.cohort LIMIT 1 OFFSET 1)",
            code: .unsupported, line: 1, column: 30, message: "LIMIT"),
        Case(
            sql: "SELECT 1 FROM events e WHERE EXISTS (SELECT 1 FROM events i WHERE i.cohort IN "
                + "(SELECT cohort FROM events j WHERE j.country = e.country))", code: .unsupported, line: 1, column: 30,
            message: "('e' belongs to the outer query)"),
    ]

    @Test("binding and type errors", arguments: cases)
    func error(_ c: Case) {
        do {
            let result = try SQLTestTable.database.query(c.sql)
            Issue.record("no error; got \(result.rows.count) rows")
        } catch {
            #expect(error.code == c.code, "\(error)")
            #expect(error.location?.line == c.line, "\(error)")
            #expect(error.location?.column == c.column, "\(error)")
            #expect(error.message.contains(c.message), "\(error)")
            // The detail is the query line with a caret under the column.
            let lines = (error.detail ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && lines[1].hasSuffix("^") && lines[1].count == c.column, "\(error)")
        }
    }

    @Test("a syntax error keeps the parser's position and caret")
    func syntax() {
        #expect {
            try SQLTestTable.database.query("SELECT country FORM events")
        } throws: { error in
            (error as? StrataError)?.code == .syntax && (error as? StrataError)?.location?.column == 16
        }
    }
}
