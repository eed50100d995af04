import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Bound parameters (`?`, `$1`, `$name`) through the public API: each statement answers as the same text
/// with the values written in as literals, in every position a value may stand.
@Suite("Bound parameters")
struct SQLParameterTests {
    static func database() throws -> Database {
        var options = Database.Options()
        options.blockRowCount = 64
        let db = Database.inMemory(options: options)
        let table = try db.createTable(RandomTable.spec(name: "t"))
        try table.append(RandomTable.batch(rows: 1_000, days: 3, seed: 7))
        // Strings a careless splice would break.
        let start = Int64(CivilDate.days(year: 2026, month: 10, day: 2)) * Timestamp.millisecondsPerDay
        try table.append(
            ColumnBatch([
                "ts": .timestamp([start, start + 1, start + 2]), "country": .string(["O'Brien", "'; DROP", "--"]),
                "user": .string(["u'1", nil, "u2"]), "cohort": .int64([1, 2, nil]), "score": .double([0.5, nil, 2]),
                "flag": .bool([true, false, nil]), "seen": .timestamp([start, nil, start]),
                "amount": .double([1, 2, 3]), "count": .int64([1, 2, 3]),
            ]))
        return db
    }

    /// The value as a SQL literal of the same type, for the inlined twin of a statement.
    static func literal(_ value: Value) -> String {
        switch value {
        case .null: "NULL"
        case .bool(let b): b ? "TRUE" : "FALSE"
        case .int64(let x): String(x)
        case .double(let x): "CAST('\(x)' AS DOUBLE)"
        case .string(let s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .timestamp(let ms): "TIMESTAMP '\(Timestamp.format(milliseconds: ms))'"
        case .hugeint(let x): String(x)
        case .decimal(let d): d.description
        }
    }

    /// `sql` with each `?` replaced by the literal of the next value (the statements here have no `?` in strings).
    static func inlined(_ sql: String, _ values: [Value]) -> String {
        var values = values.makeIterator()
        return sql.split(separator: "?", omittingEmptySubsequences: false).enumerated().map { i, part in
            i == 0 ? String(part) : literal(values.next() ?? .null) + part
        }.joined()
    }

    static let positions: [(String, [Value])] = [
        ("SELECT count(*) FROM t WHERE country = ?", ["DE"]),
        (
            "SELECT country, count(*) FROM t WHERE ts >= ? AND ts < ? GROUP BY ALL ORDER BY ALL",
            ["2026-10-01 12:00:00", .timestamp(Int64(CivilDate.days(year: 2026, month: 10, day: 2)) * 86_400_000)]
        ),
        ("SELECT ? AS label, ? + cohort AS shifted, user FROM t ORDER BY user, shifted LIMIT 5", ["x'y", 3]),
        ("SELECT user, amount FROM t ORDER BY user, amount LIMIT ? OFFSET ?", [7, 3]),
        ("SELECT count(*) FROM t WHERE country IN (?, ?, ?)", ["US", "O'Brien", .null]),
        ("SELECT count(*) FROM t WHERE country NOT IN (?, ?)", ["FR", "--"]),
        ("SELECT date_trunc(?, ts) AS d, count(*) FROM t GROUP BY 1 ORDER BY 1", ["day"]),
        ("SELECT coalesce(user, ?) AS u, count(*) FROM t GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 4", ["nobody"]),
        ("SELECT count(*) FROM t WHERE amount BETWEEN ? AND ?", [10.5, 40]),
        ("SELECT count(*) FROM t WHERE flag = ? AND score > ?", [true, -1.25]),
        ("SELECT count(*) FROM t WHERE user LIKE ?", ["u1%"]),
        (
            "SELECT CASE WHEN amount > ? THEN ? ELSE ? END AS size, count(*) FROM t GROUP BY 1 ORDER BY 1",
            [50, "big", "small"]
        ),
        ("SELECT country, sum(amount) FROM t GROUP BY country HAVING count(*) > ? ORDER BY 1", [100]),
        ("SELECT count(*) FROM t WHERE amount > (SELECT avg(amount) + ? FROM t WHERE country = ?)", [1, "US"]),
        ("SELECT count(*) FROM t WHERE user IN (SELECT user FROM t WHERE cohort > ?)", [5_000_000_000]),
        (
            "SELECT a.country, count(*) FROM t a JOIN t b ON a.user = b.user AND b.amount > ? "
                + "WHERE a.country = ? GROUP BY 1", [90, "DE"]
        ),
        ("WITH big AS (SELECT * FROM t WHERE amount > ?) SELECT count(*) FROM big WHERE country <> ?", [20, "US"]),
        ("SELECT ? IS NULL AS missing, ? AS nothing", [.null, .null]),
        ("SELECT count(*) FROM t WHERE seen < ?", ["2026-09-25"]),
        (
            "SELECT cohort * ? AS c FROM t WHERE cohort IS NOT NULL ORDER BY c LIMIT 3",
            [
                Value.decimal(
                    DecimalValue(unscaled: 25, precision: 2, scale: 1))
            ]
        ),
    ]

    @Test("'?' in every position answers as the literal values written in", arguments: positions)
    func questionMarks(sql: String, values: [Value]) throws {
        let db = try Self.database()
        let expected = try db.query(Self.inlined(sql, values))
        let result = try db.query(sql, values)
        #expect(result.rows == expected.rows)
        #expect(result.columns.map(\.type) == expected.columns.map(\.type))
    }

    @Test("'$n' placeholders may repeat and come in any order; '$name' matches without regard to case")
    func numberedAndNamed() throws {
        let db = try Self.database()
        let expected = try db.query(
            "SELECT country, count(*) FROM t WHERE country = 'DE' OR (country = 'FR' AND amount > 10) "
                + "OR user = 'DE' GROUP BY 1 ORDER BY 1")
        let numbered = try db.query(
            "SELECT country, count(*) FROM t WHERE country = $2 OR (country = $1 AND amount > $3) "
                + "OR user = $2 GROUP BY 1 ORDER BY 1", ["FR", "DE", 10])
        #expect(numbered.rows == expected.rows)
        let named = try db.query(
            "SELECT country, count(*) FROM t WHERE country = $de OR (country = $FR AND amount > $min) "
                + "OR user = $De GROUP BY 1 ORDER BY 1", ["DE": "DE", "fr": "FR", "min": 10])
        #expect(named.rows == expected.rows)
    }

    @Test("the plan of a statement with parameters is the plan of its literal twin, time pruning included")
    func samePlan() throws {
        let db = try Self.database()
        let sql = "SELECT country, count(*) FROM t WHERE ts >= ? AND ts < ? AND country = ? GROUP BY 1 LIMIT ?"
        let values: [Value] = ["2026-10-02", "2026-10-03", "DE", 2]
        let expected = try db.query("EXPLAIN " + Self.inlined(sql, values)).rows
        #expect(try db.query("EXPLAIN " + sql, values).rows == expected)
        #expect(expected.contains { "\($0[0])".contains("2026-10-02") }, "\(expected)")
    }

    @Test("a prepared statement runs many times with generated values, each as its literal twin")
    func preparedManyTimes() throws {
        let db = try Self.database()
        let sql =
            "SELECT count(*), sum(amount), min(user) FROM t WHERE (country = ? OR user = ?) AND ts >= ? "
            + "AND coalesce(cohort, 0) > ? AND coalesce(score, 0) < ?"
        let statement = try db.prepare(sql)
        #expect(statement.parameterCount == 5)
        var rng = SplitMix64(seed: 42)
        let countries: [Value] = ["US", "DE", "O'Brien", "'; DROP", "", "Ünïcode", "\"q\"", .null]
        let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
        for _ in 0..<40 {
            let values: [Value] = [
                countries.randomElement(using: &rng)!, .string("u\(Int.random(in: 0..<300, using: &rng))"),
                .timestamp(start + Int64.random(in: -86_400_000...(3 * 86_400_000), using: &rng)),
                Bool.random(using: &rng) ? .null : .int64(Int64.random(in: -6...20, using: &rng) * 1_000_000_007),
                .double(Double(Int.random(in: -10_000...10_000, using: &rng)) / 100),
            ]
            let expected = try db.query(Self.inlined(sql, values)).rows
            #expect(try statement.query(values).rows == expected, "\(values)")
        }
    }

    @Test("a prepared statement sees the rows appended after it was prepared")
    func preparedSeesNewRows() throws {
        let db = try Self.database()
        let statement = try db.prepare("SELECT count(*) FROM t WHERE country = $c")
        #expect(statement.parameterNames == ["c"])
        let before = try statement.query(["c": "DE"]).rows
        try db.table(named: "t").append(RandomTable.batch(rows: 500, days: 3, seed: 8))
        let after = try statement.query(["c": "DE"]).rows
        #expect(after == (try db.query("SELECT count(*) FROM t WHERE country = 'DE'").rows))
        #expect(after != before)
    }

    @Test("the async variants bind the same values")
    func asyncVariants() async throws {
        let db = try Self.database()
        let expected = try db.query("SELECT count(*) FROM t WHERE amount > 50").rows
        #expect(
            try await db.query("SELECT count(*) FROM t WHERE amount > ?", [50], options: QueryOptions()).rows
                == expected)
        #expect(
            try await db.query("SELECT count(*) FROM t WHERE amount > $a", ["a": 50], options: QueryOptions())
                .rows == expected)
        let statement = try db.prepare("SELECT count(*) FROM t WHERE amount > $1")
        #expect(try await statement.query([50], options: QueryOptions()).rows == expected)
    }

    static let misuses: [(String, [Value]?, [String: Value]?, StrataError.Code, String, Int?)] = [
        ("SELECT ?, ?", [1], nil, .binding, "no value for parameter 2 ('?')", 10),
        ("SELECT $1, $3", [1, 2], nil, .binding, "no value for parameter $3", 11),
        ("SELECT $999999999", [1], nil, .binding, "no value for parameter $999999999", 7),
        ("SELECT ?", [1, 2], nil, .binding, "takes 1 '?' parameter, but 2 values were given", nil),
        ("SELECT $1, $3", [1, 2, 3], nil, .binding, "value 2 is not used", nil),
        ("SELECT 1", [1], nil, .binding, "has no parameters", nil),
        ("SELECT $a", nil, ["b": 1], .binding, "no parameter named $b", nil),
        ("SELECT $a, $b", nil, ["a": 1], .binding, "no value for parameter $b", 11),
        ("SELECT $a", nil, ["a": 1, "A": 2], .binding, "two values were given", nil),
        ("SELECT $a", [1], nil, .binding, "give the values by name", 7),
        ("SELECT ?", nil, ["a": 1], .binding, "give the values as a list", 7),
        ("SELECT ?, $1", [1], nil, .syntax, "cannot mix '?' and numbered ('$1') parameters", 10),
        ("SELECT $1, $x", [1], nil, .syntax, "cannot mix numbered ('$1') and named ('$name')", 11),
        ("SELECT $0", [1], nil, .syntax, "numbers start at $1", 7),
        ("SELECT $ 1", [1], nil, .syntax, "'$' must be followed", 7),
        ("SELECT ? FROM t WHERE country = ?", [1, 2], nil, .type, "cannot compare VARCHAR with BIGINT", 32),
    ]

    @Test("wrong counts, unknown names and mixed styles are clear errors with the position", arguments: misuses)
    func errors(
        sql: String, list: [Value]?, names: [String: Value]?, code: StrataError.Code, message: String,
        offset: Int?
    ) throws {
        let db = try Self.database()
        let error = #expect(throws: StrataError.self) {
            if let names { _ = try db.query(sql, names) } else { _ = try db.query(sql, list ?? []) }
        }
        #expect(error?.code == code)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        if let offset { #expect(error?.location?.offset == offset, "\(String(describing: error))") }
    }

    @Test("a statement with placeholders run without values names the first one")
    func noValues() throws {
        let db = try Self.database()
        let error = #expect(throws: StrataError.self) { _ = try db.query("SELECT count(*) FROM t WHERE user = ?") }
        #expect(error?.code == .binding)
        #expect(error?.location?.offset == 36)
        #expect(throws: StrataError.self) { _ = try db.prepare("SELECT ?, $1") }
    }

    @Test(
        "strata query --param and --named-param bind text values",
        .enabled(if: IngestRoundTripTests.strataExecutable != nil, "the strata executable is not built"))
    func cli() throws {
        let dir = TestDirectory()
        let db = try SQLReplTests.fixtureDatabase(dir)
        let literal = try SQLReplTests.strata(
            [
                "query", "--db", db, "--format", "csv",
                "SELECT count(*) AS n FROM events WHERE ts >= TIMESTAMP '2026-10-01 12:00:00' AND country <> 'DE'",
            ],
            input: "")
        #expect(literal.status == 0, "\(literal.error)")
        for arguments in [
            [
                "--param", "2026-10-01 12:00:00", "--param", "DE",
                "SELECT count(*) AS n FROM events WHERE ts >= ? AND country <> ?",
            ],
            [
                "--named-param", "c=DE", "--named-param", "t=2026-10-01 12:00:00",
                "SELECT count(*) AS n FROM events WHERE ts >= $t AND country <> $c",
            ],
        ] {
            // Once streamed, and twice through the materialized path.
            for runs in ["1", "2"] {
                let run = try SQLReplTests.strata(
                    ["query", "--db", db, "--format", "csv", "--repeat", runs] + arguments, input: "")
                #expect(run.status == 0, "\(run.error)")
                #expect(run.output == literal.output)
            }
        }
        let missing = try SQLReplTests.strata(
            ["query", "--db", db, "--param", "DE", "SELECT count(*) FROM events WHERE country = ? AND user_id = ?"],
            input: "")
        #expect(missing.status == 1)
        #expect(missing.error.contains("no value for parameter 2"), "\(missing.error)")
        let both = try SQLReplTests.strata(
            ["query", "--db", db, "--param", "1", "--named-param", "a=1", "SELECT ?"], input: "")
        #expect(both.status != 0)
        #expect(both.error.contains("not both"), "\(both.error)")
    }

    @Test("a bare placeholder column is named as DuckDB names it; ORDER BY and GROUP BY refuse a bare placeholder")
    func namesAndKeys() throws {
        let db = try Self.database()
        #expect(try db.query("SELECT ?, ? AS b", [1, 2]).columnNames == ["$1", "b"])
        #expect(try db.query("SELECT $2, $1", [1, 2]).columnNames == ["$2", "$1"])
        #expect(try db.query("SELECT $Name", ["name": 1]).columnNames == ["$Name"])
        for sql in ["SELECT amount FROM t ORDER BY ?", "SELECT count(*) FROM t GROUP BY ?"] {
            let error = #expect(throws: StrataError.self) { _ = try db.query(sql, [1]) }
            #expect(error?.code == .binding)
            #expect(error?.location?.offset == sql.utf8.count - 1)
        }
        // Inside an expression a placeholder is a value, as in DuckDB.
        #expect(
            try db.query("SELECT amount FROM t ORDER BY amount + ? LIMIT 3", [1]).rows
                == (try db.query("SELECT amount FROM t ORDER BY amount + 1 LIMIT 3").rows))
    }

    @Test("a snapshot runs statements with parameters on its pinned data")
    func snapshotQuery() throws {
        let db = try Self.database()
        let snapshot = try db.table(named: "t").snapshot()
        try db.table(named: "t").append(RandomTable.batch(rows: 100, days: 3, seed: 9))
        let pinned = try snapshot.query("SELECT count(*) FROM t WHERE amount > 10").rows
        #expect(try snapshot.query("SELECT count(*) FROM t WHERE amount > ?", [10]).rows == pinned)
        #expect(try snapshot.query("SELECT count(*) FROM t WHERE amount > $a", ["a": 10]).rows == pinned)
        #expect(try db.query("SELECT count(*) FROM t WHERE amount > ?", [10]).rows != pinned)
    }
}
