import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Window functions through the public API: the plan, the errors (with the position of the call) and
/// the answers the golden and differential tests do not reach.
@Suite("SQL window functions: plans and errors")
struct SQLWindowTests {
    static func database() throws -> Database {
        let db = Database.inMemory()
        try db.createTable(RandomTable.spec()).append(RandomTable.batch(rows: 500, days: 3, seed: 11))
        return db
    }

    /// The error `sql` fails with.
    static func error(_ db: Database, _ sql: String) -> StrataError? {
        do {
            _ = try db.query(sql)
            return nil
        } catch {
            return error
        }
    }

    @Test("EXPLAIN shows the Window operator between the aggregation and the sort, with the calls")
    func explain() throws {
        let db = try Self.database()
        let plan = try db.query(
            "EXPLAIN SELECT country, count(*), rank() OVER (ORDER BY count(*) DESC) AS r FROM t GROUP BY country "
                + "QUALIFY r <= 3 ORDER BY r"
        ).rows.map { "\($0[0])" }
        let window = try #require(
            plan.firstIndex { $0.contains("Window rank() OVER (ORDER BY count(*) DESC)") }, "\(plan)")
        let aggregate = try #require(plan.firstIndex { $0.contains("HashAggregate") }, "\(plan)")
        let sort = try #require(plan.firstIndex { $0.contains("Sort") }, "\(plan)")
        #expect(sort < window && window < aggregate, "\(plan)")
        let analyzed = try db.query(
            "EXPLAIN ANALYZE SELECT user, row_number() OVER (PARTITION BY country ORDER BY ts) FROM t"
        ).rows.map { "\($0[0])" }
        #expect(analyzed.contains { $0.contains("Window row_number()") && $0.contains("rows=500") }, "\(analyzed)")
    }

    @Test(
        "window functions where they are not allowed are binding errors at the call",
        arguments: [
            ("SELECT count(*) FROM t WHERE row_number() OVER () > 1", "WHERE", 30),
            ("SELECT count(*) FROM t GROUP BY rank() OVER (ORDER BY ts)", "GROUP BY", 33),
            ("SELECT country FROM t GROUP BY country HAVING count(*) OVER () > 1", "HAVING", 47),
            ("SELECT sum(amount) FILTER (WHERE row_number() OVER () = 1) FROM t", "FILTER", 34),
        ])
    func misplaced(sql: String, clause: String, column: Int) throws {
        let error = try #require(Self.error(try Self.database(), sql))
        #expect(error.code == .binding, "\(error)")
        #expect(error.message.contains("window functions are not allowed in \(clause)"), "\(error)")
        #expect(error.location?.column == column, "\(error)")
    }

    @Test(
        "bad calls, frames and window names are errors that say why",
        arguments: [
            ("SELECT sum(row_number() OVER ()) OVER () FROM t", "cannot be nested"),
            ("SELECT row_number() OVER w FROM t", "no window named 'w'"),
            ("SELECT rank(amount) OVER () FROM t", "rank() takes 0 arguments"),
            ("SELECT upper(country) OVER () FROM t", "not a window function"),
            ("SELECT ntile(amount) OVER () FROM t", "must be an integer"),
            (
                "SELECT sum(amount) OVER (ORDER BY ts, amount RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
                "exactly one ORDER BY key"
            ),
            ("SELECT sum(amount) OVER (ORDER BY amount RANGE INTERVAL 1 DAY PRECEDING) FROM t", "TIMESTAMP or DATE"),
            ("SELECT sum(amount) OVER (ORDER BY ts RANGE 5 PRECEDING) FROM t", "needs an INTERVAL offset"),
            ("SELECT sum(amount) OVER (ORDER BY ts ROWS -1 PRECEDING) FROM t", "non-negative integer"),
            ("SELECT sum(amount) OVER (ORDER BY ts ROWS amount PRECEDING) FROM t", "window frame offset"),
            (
                "SELECT sum(amount) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM t",
                "cannot start at UNBOUNDED FOLLOWING"
            ),
            (
                "SELECT sum(amount) OVER (w PARTITION BY user) FROM t WINDOW w AS (PARTITION BY country)",
                "cannot add a PARTITION BY"
            ),
            ("SELECT country FROM t QUALIFY country = 'DE'", "QUALIFY needs a window function"),
            (
                "SELECT sum(amount) OVER (ORDER BY ts RANGE INTERVAL '-1 day' PRECEDING) FROM t",
                "must not be negative"
            ),
            (
                "SELECT sum(amount) OVER (w ORDER BY ts) FROM t WINDOW w AS (ROWS 2 PRECEDING)",
                "has a frame; it cannot be refined"
            ),
            ("SELECT row_number() FILTER (WHERE true) OVER () FROM t", "FILTER"),
        ])
    func badCalls(sql: String, reason: String) throws {
        let error = Self.error(try Self.database(), sql)
        #expect(error != nil && error!.code != .internal, "\(sql): \(String(describing: error))")
        #expect(error?.message.contains(reason) == true, "\(sql): \(String(describing: error))")
    }

    @Test("ntile and nth_value refuse a count below one when they meet it")
    func runtimeArguments() throws {
        let db = try Self.database()
        #expect(Self.error(db, "SELECT ntile(0) OVER () FROM t")?.code == .invalidArgument)
        #expect(Self.error(db, "SELECT nth_value(amount, 0) OVER () FROM t")?.code == .invalidArgument)
    }

    @Test("a frame's HUGEINT sum past 128 bits is an overflow error, as in DuckDB, not a wrapped number")
    func hugeintOverflow() throws {
        let db = try Self.database()
        let error = Self.error(
            db,
            "SELECT sum(x) OVER (ORDER BY c ROWS 1 PRECEDING) FROM (SELECT cohort AS c, "
                + "100000000000000000000000000000000000000 + 0 * count(*) AS x FROM t GROUP BY cohort)")
        #expect(error?.message.contains("overflow in sum(x)") == true, "\(String(describing: error))")
    }

    @Test("lag's default takes the value's type; lag and lead past the partition without one are NULL")
    func lagDefault() throws {
        let db = Database.inMemory()
        let result = try db.query(
            "SELECT lag(x, 1, 0) OVER (ORDER BY x) AS a, lead(x) OVER (ORDER BY x) AS b FROM (SELECT 1.5 AS x)")
        #expect(result.rows == [[.decimal(DecimalValue(unscaled: 0, precision: 2, scale: 1)), .null]])
    }

    @Test("a running sum over many rows, with workers, agrees with the running total computed here")
    func longRunningSum() throws {
        let db = Database.inMemory()
        try db.createTable(RandomTable.spec()).append(RandomTable.batch(rows: 20_000, days: 5, nullRate: 0, seed: 3))
        let rows = try db.query(
            "SELECT ts, cohort, sum(cohort) OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING) AS s, "
                + "count(*) OVER (ORDER BY ts ROWS BETWEEN 99 PRECEDING AND CURRENT ROW) AS c FROM t ORDER BY ts",
            options: QueryOptions(parallelism: 3)
        ).rows
        var total: Int128 = 0
        for (i, row) in rows.enumerated() {
            guard case .int64(let x) = row[1] else { continue }
            total += Int128(x)
            let sum: Int128? =
                switch row[2] {
                case .int64(let s): Int128(s)
                case .hugeint(let s): s
                default: nil
                }
            #expect(sum == total)
            #expect(row[3] == .int64(Int64(min(i + 1, 100))))
            if sum != total { break }
        }
    }

    @Test("many partitions computed by several workers give one worker's answer and the counts computed here")
    func parallelPartitions() throws {
        let db = Database.inMemory()
        try db.createTable(RandomTable.spec()).append(RandomTable.batch(rows: 12_000, days: 4, nullRate: 0.1, seed: 8))
        let sql = """
            SELECT ts, user, row_number() OVER (PARTITION BY user ORDER BY ts) AS rn,
                   count(*) OVER (PARTITION BY user) AS n,
                   sum(cohort) OVER (PARTITION BY country ORDER BY ts ROWS 5 PRECEDING) AS s,
                   rank() OVER (PARTITION BY flag ORDER BY score DESC) AS r
            FROM t ORDER BY ts, user
            """
        let one = try db.query(sql, options: QueryOptions(parallelism: 1)).rows
        let three = try db.query(sql, options: QueryOptions(parallelism: 3)).rows
        #expect(one == three)
        var seen: [Value: Int64] = [:]
        var totals: [Value: Int64] = [:]
        for row in one { totals[row[1], default: 0] += 1 }
        for row in one {
            seen[row[1], default: 0] += 1
            #expect(row[2] == .int64(seen[row[1]]!) && row[3] == .int64(totals[row[1]]!), "\(row)")
            if row[2] != .int64(seen[row[1]]!) { break }
        }
    }
}
