import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Out-of-range input where DuckDB raises an error or answers at the edge: timestamps past Strata's
/// years 0001-9999, intervals past DuckDB's 32-bit months and days and 64-bit microseconds, BIGINT
/// LIMIT and OFFSET, `round` with extreme precisions. Every one is a `StrataError`, never a trap.
@Suite("SQL ranges: timestamps, intervals, LIMIT/OFFSET, round")
struct SQLRangeTests {
    struct Failure: CustomTestStringConvertible, Sendable {
        var sql: String
        var code: StrataError.Code
        var message: String
        var testDescription: String { sql }
    }

    static let failures: [Failure] = [
        // DuckDB: "Conversion Error: Date and time not in timestamp range".
        Failure(
            sql: "SELECT TIMESTAMP '2026-10-01' + INTERVAL '1000000000 days'", code: .invalidArgument,
            message: "not in timestamp range"),
        // DuckDB answers 10000-01-01 and 0001-12-31 (BC): past Strata's range.
        Failure(
            sql: "SELECT TIMESTAMP '9999-12-31' + INTERVAL 1 DAY", code: .invalidArgument,
            message: "not in timestamp range"),
        Failure(
            sql: "SELECT TIMESTAMP '0001-01-01' - INTERVAL '1 day'", code: .invalidArgument,
            message: "not in timestamp range"),
        Failure(
            sql: "SELECT DATE '2026-10-01' + 1000000000", code: .invalidArgument, message: "not in timestamp range"),
        Failure(
            sql: "SELECT DATE '2026-10-01' - (-9223372036854775807 - 1)", code: .invalidArgument,
            message: "not in timestamp range"),
        Failure(
            sql: "SELECT ts + INTERVAL '9000 years' FROM events", code: .invalidArgument,
            message: "not in timestamp range"),
        // DuckDB's time_bucket before year 1 gives a BC instant.
        Failure(
            sql: "SELECT time_bucket(INTERVAL '100000 days', TIMESTAMP '0002-01-01')", code: .invalidArgument,
            message: "not in timestamp range"),
        Failure(
            sql: "SELECT time_bucket(INTERVAL '7 months', TIMESTAMP '0001-02-01')", code: .invalidArgument,
            message: "not in timestamp range"),
        // DuckDB: "Could not convert Day to Microseconds".
        Failure(
            sql: "SELECT time_bucket(INTERVAL '2147483647 days', TIMESTAMP '2026-10-01')", code: .invalidArgument,
            message: "time_bucket width"),
        // DuckDB: "Type DOUBLE with value 9.223372036854776e+18 can't be cast ... INT64" (it traps today).
        Failure(
            sql: "SELECT TIMESTAMP '2026-10-01' + INTERVAL 9223372036854775807 MINUTE", code: .invalidArgument,
            message: "interval value is out of range"),
        Failure(
            sql: "SELECT TIMESTAMP '2026-10-01' + INTERVAL '9223372036854775807 minutes'", code: .invalidArgument,
            message: "interval value is out of range"),
        Failure(
            sql: "SELECT TIMESTAMP '2026-10-01' + INTERVAL '2147483648 months'", code: .invalidArgument,
            message: "interval value is out of range"),
        Failure(
            sql: "SELECT TIMESTAMP '2026-10-01' + INTERVAL '1500000000 days 1500000000 days'", code: .invalidArgument,
            message: "interval value is out of range"),
        Failure(
            sql: "SELECT TIMESTAMP '2026-10-01' + INTERVAL '9223372036855 seconds'", code: .invalidArgument,
            message: "interval value is out of range"),
        Failure(sql: "SELECT TIMESTAMP '0000-01-01'", code: .invalidArgument, message: "out of the TIMESTAMP range"),
        // DuckDB: 10000-01-01 and "Could not convert Timestamp(MS) to Timestamp(US)".
        Failure(sql: "SELECT epoch_ms(253402300800000)", code: .invalidArgument, message: "not in timestamp range"),
        Failure(
            sql: "SELECT epoch_ms(9223372036854775807)", code: .invalidArgument, message: "not in timestamp range"),
        Failure(
            sql: "SELECT TIMESTAMP '10000-01-01 00:00:00'", code: .invalidArgument,
            message: "out of the TIMESTAMP range"),
        Failure(sql: "SELECT DATE '0000-06-01'", code: .invalidArgument, message: "out of the DATE range"),
        Failure(
            sql: "SELECT CAST('0000-06-01' AS TIMESTAMP)", code: .invalidArgument,
            message: "out of the TIMESTAMP range"),
        Failure(sql: "SELECT CAST('2026-13-01' AS TIMESTAMP)", code: .type, message: "could not convert"),
        // DuckDB: "Overflow in ROUND of integer"; the precision is an INTEGER.
        Failure(sql: "SELECT round(9223372036854775807, -1)", code: .invalidArgument, message: "overflow in round"),
        Failure(sql: "SELECT round(5234567890123456789, -19)", code: .invalidArgument, message: "overflow in round"),
        Failure(sql: "SELECT round(1.5, 2147483648)", code: .invalidArgument, message: "out of range for INTEGER"),
        Failure(sql: "SELECT round(1.5, 1.5)", code: .type, message: "must be an INTEGER"),
    ]

    @Test("out-of-range timestamps, intervals and round precisions are errors with a code", arguments: failures)
    func failure(_ c: Failure) {
        let error = #expect(throws: StrataError.self) {
            try SQLTestTable.database.query(c.sql)
        }
        #expect(error?.code == c.code, "\(String(describing: error))")
        #expect(error?.message.contains(c.message) == true, "\(String(describing: error))")
    }

    static func ts(_ text: String) -> Value { .timestamp(try! Timestamp.parse(text).get()) }

    struct Answer: CustomTestStringConvertible, Sendable {
        var sql: String
        var value: Value
        var testDescription: String { sql }
    }

    static let answers: [Answer] = [
        Answer(sql: "TIMESTAMP '2026-10-01' + INTERVAL '100000000 minutes'", value: ts("2216-11-18 10:40")),
        Answer(
            sql: "TIMESTAMP '9999-12-31 23:59:59.999' - INTERVAL '1 millisecond'", value: ts("9999-12-31 23:59:59.998")),
        // Past 9999 after the months, back inside after the days: only the result is range-checked.
        Answer(sql: "TIMESTAMP '9999-12-31' + INTERVAL '1 month -40 days'", value: ts("9999-12-22")),
        Answer(
            sql: "time_bucket(INTERVAL '9223372036854 seconds', TIMESTAMP '2026-10-01')", value: ts("2000-01-03")),
        Answer(sql: "time_bucket(INTERVAL '2147483647 months', TIMESTAMP '2026-10-01')", value: ts("2000-01-01")),
        Answer(sql: "date_trunc('week', TIMESTAMP '0001-01-03')", value: ts("0001-01-01")),
        Answer(sql: "epoch_ms(1790812800000)", value: ts("2026-10-01")),
        Answer(sql: "epoch_ms(epoch_ms(TIMESTAMP '9999-12-31 23:59:59.999'))", value: ts("9999-12-31 23:59:59.999")),
        Answer(sql: "epoch_ms(-62135596800000)", value: ts("0001-01-01")),
        // round of a DOUBLE (a literal like 12.5 is a DECIMAL in DuckDB): the input is kept when 10^precision
        // overflows, and 0 for negative ones.
        Answer(sql: "round(CAST(12.5 AS DOUBLE), 400)", value: .double(12.5)),
        Answer(sql: "round(CAST(12.5 AS DOUBLE), 308)", value: .double(12.5)),
        Answer(sql: "round(CAST(1234.5678 AS DOUBLE), -2)", value: .double(1200)),
        Answer(sql: "round(CAST(1234.5678 AS DOUBLE), -400)", value: .double(0)),
        Answer(sql: "round(CAST(5000 AS DOUBLE), -4)", value: .double(10000)),
        Answer(sql: "round(CAST(0.125 AS DOUBLE), 2)", value: .double(0.13)),
        Answer(sql: "round(CAST(1.005 AS DOUBLE), 2)", value: .double(1)),
        Answer(sql: "round(1234, -2)", value: .int64(1200)),
        Answer(sql: "round(-1250, -2)", value: .int64(-1300)),
        Answer(sql: "round(1234, 2)", value: .int64(1234)),
        Answer(sql: "round(1234, -400)", value: .int64(0)),
        Answer(sql: "round(9223372036854775807, -18)", value: .int64(9_000_000_000_000_000_000)),
        Answer(sql: "round(4234567890123456789, -19)", value: .int64(0)),
        // upper/lower map code point by code point, as DuckDB (utf8proc).
        Answer(sql: "upper('straße')", value: "STRAẞE"),
        Answer(sql: "lower('STRAẞE')", value: "straße"),
        Answer(sql: "upper('ﬁne')", value: "ﬁNE"),
        Answer(sql: "lower('İstanbul')", value: "istanbul"),
        Answer(sql: "lower('ΣΊΣΥΦΟΣ')", value: "σίσυφοσ"),
        Answer(sql: "upper('σίσυφος')", value: "ΣΊΣΥΦΟΣ"),
        Answer(sql: "upper('ᾳ ǆ ŉ ı')", value: "ᾼ Ǆ ŉ I"),
        Answer(sql: "length(upper('ß'))", value: .int64(1)),
        // length counts code points, as DuckDB: a flag is two regional indicators, é here is e + U+0301.
        Answer(sql: "length('🇺🇸')", value: .int64(2)),
        Answer(sql: "length('e\u{301}')", value: .int64(2)),
        Answer(sql: "'İ' ILIKE 'i'", value: .bool(true)),
        Answer(sql: "'ΣΑΣ' ILIKE 'σας'", value: .bool(false)),
        Answer(sql: "'STRAẞE' ILIKE 'straße'", value: .bool(true)),
    ]

    @Test("edge answers match DuckDB's", arguments: answers)
    func answer(_ c: Answer) throws {
        let result = try SQLTestTable.database.query("SELECT " + c.sql)
        #expect(result.rows == [[c.value]], "\(result.rows)")
    }

    @Test("LIMIT and OFFSET up to 9223372036854775807 do not overflow")
    func limitOffset() throws {
        let db = SQLTestTable.database
        #expect(try db.query("SELECT 1 LIMIT 1 OFFSET 9223372036854775807").rows.isEmpty)
        #expect(try db.query("SELECT 1 LIMIT 9223372036854775807").rows == [[.int64(1)]])
        let all = try db.query("SELECT ts, country FROM events").rows.count
        #expect(try db.query("SELECT ts, country FROM events LIMIT 9223372036854775807 OFFSET 1").rows.count == all - 1)
        #expect(try db.query("SELECT ts, country FROM events OFFSET 9223372036854775807").rows.isEmpty)
        // On the engine's aggregate path and on the general path (an expression over an aggregate).
        let groups = try db.query("SELECT country, count(*) FROM events GROUP BY country").rows.count
        let native = try db.query(
            "SELECT country, count(*) FROM events GROUP BY country ORDER BY 1 LIMIT 9223372036854775807 OFFSET 1")
        #expect(native.rows.count == groups - 1)
        let general = try db.query(
            "SELECT country, count(*) + 1 FROM events GROUP BY country ORDER BY 1 LIMIT 9223372036854775807 OFFSET 1")
        #expect(general.rows.count == groups - 1)
    }
}
