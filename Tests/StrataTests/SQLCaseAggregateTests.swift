import Strata
import StrataCore
import StrataTestSupport
import Testing

/// `CASE WHEN c THEN x ELSE k END` inside aggregates (a column THEN, a constant or no ELSE) picks each row's
/// value in one pass; its answers must be those of the same aggregates written with FILTER, which take
/// another path: `sum(CASE WHEN c THEN x END)` is `sum(x) FILTER (WHERE c)`, and with `ELSE 0` it is 0 instead
/// of NULL for a group with a row where `c` is not TRUE. NULL conditions, NULL values and both number types.
@Suite("CASE inside aggregates")
struct SQLCaseAggregateTests {
    static let database: Database = {
        var options = Database.Options()
        options.blockRowCount = 128
        let db = Database.inMemory(options: options)
        let table = try! db.createTable(RandomTable.spec(name: "t"))
        try! table.append(RandomTable.batch(rows: 3000, days: 3, nullRate: 0.2, seed: 41))
        return db
    }()

    @Test(
        "CASE with a column THEN equals FILTER",
        arguments: ["flag", "country = 'US'", "cohort > 2", "score < 0.5 OR flag"])
    func equalsFilter(condition: String) throws {
        let db = Self.database
        for x in ["amount", "count", "cohort"] {
            let cased = """
                SELECT country, sum(CASE WHEN \(condition) THEN \(x) END) AS s, count(CASE WHEN \(condition) THEN \(x) END) AS c,
                       sum(CASE WHEN \(condition) THEN \(x) ELSE 0 END) AS z, avg(CASE WHEN \(condition) THEN \(x) ELSE NULL END) AS a
                FROM t GROUP BY country ORDER BY country NULLS FIRST
                """
            let filtered = """
                SELECT country, sum(\(x)) FILTER (WHERE \(condition)) AS s, count(\(x)) FILTER (WHERE \(condition)) AS c,
                       CASE WHEN count(*) FILTER (WHERE NOT coalesce((\(condition)), false)) > 0
                            THEN coalesce(sum(\(x)) FILTER (WHERE \(condition)), 0)
                            ELSE sum(\(x)) FILTER (WHERE \(condition)) END AS z,
                       avg(\(x)) FILTER (WHERE \(condition)) AS a
                FROM t GROUP BY country ORDER BY country NULLS FIRST
                """
            let a = try db.query(cased)
            let b = try db.query(filtered)
            #expect(a.rows.count > 3)
            #expect(ReferenceEvaluator.same(a, b, ordered: true, tolerance: 1e-9), "\(x) \(condition)\n\(a.rows)\n\(b.rows)")
        }
    }
}
