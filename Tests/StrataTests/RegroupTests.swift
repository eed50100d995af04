import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Aggregates over an aggregate's rows ("per user, then per variant"): the hash aggregate over the inner
/// one's rows gives the same answers with and without a Filter between them, over segment and table
/// dictionaries.
@Suite("Aggregating an aggregate")
struct RegroupTests {
    static func database(userDictionary: DictionaryScope) throws -> Database {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 256; return o
            }())
        let table = try db.createTable(RandomTable.spec(userDictionary: userDictionary))
        try table.append(RandomTable.batch(rows: 4000, days: 3, seed: 21))
        try table.append(RandomTable.batch(rows: 700, days: 2, seed: 22))
        return db
    }

    static let queries = [
        """
        SELECT country, count(*) AS n, sum(s) AS total, sum(s * s) AS squares
        FROM (SELECT country, "user", sum(amount) AS s FROM t GROUP BY country, "user") AS per_user
        {W} GROUP BY country ORDER BY country NULLS FIRST
        """,
        """
        SELECT flag, count(*) AS n, sum(c) AS events, sum(k) AS counted
        FROM (SELECT flag, "user", count(*) AS c, sum("count") AS k FROM t GROUP BY flag, "user")
        {W} GROUP BY flag ORDER BY flag NULLS FIRST
        """,
        """
        SELECT flag, country, count(*) AS n, sum(s * s) AS squares, sum(s) AS total
        FROM (SELECT country, "user", flag, sum(score) AS s FROM t WHERE cohort > 0 GROUP BY ALL)
        {W} GROUP BY flag, country ORDER BY flag NULLS FIRST, country NULLS FIRST
        """,
        """
        SELECT count(*) AS users, sum(s) AS total FROM (SELECT "user", sum(amount) AS s FROM t GROUP BY "user") {W}
        """,
        """
        SELECT count(*) AS users, sum(s) AS total
        FROM (SELECT "user", sum(amount) AS s FROM t WHERE country = 'nowhere' GROUP BY "user") {W}
        """,
        """
        SELECT country, count(*) AS n FROM (SELECT country, "user", sum(amount) AS s FROM t GROUP BY country, "user")
        {W} GROUP BY country HAVING count(*) > 10 ORDER BY n DESC, country LIMIT 3
        """,
    ]

    /// The query as written (`fast`: regrouped natively), or with an outer `WHERE 1 = 1`, which keeps it on
    /// the general path.
    static func text(_ sql: String, fast: Bool) -> String {
        sql.replacingOccurrences(of: "{W}", with: fast ? "" : "WHERE 1 = 1")
    }

    @Test(
        "outer count(*), sum(a) and sum(a * a) by inner keys, with and without a filter between",
        arguments: [DictionaryScope.segment, .table])
    func sameAsGeneralPath(userDictionary: DictionaryScope) throws {
        let db = try Self.database(userDictionary: userDictionary)
        for query in Self.queries {
            let sql = Self.text(query, fast: true)
            let general = Self.text(query, fast: false)
            let a = try db.query(sql)
            let b = try db.query(general)
            #expect(a.columnNames == b.columnNames)
            if userDictionary == .segment {
                #expect(a.rows == b.rows, "\(sql)")
            } else {
                // Sparse: the sums add the same numbers in another order.
                #expect(ReferenceEvaluator.same(a, b, ordered: true, tolerance: 1e-12), "\(sql)")
            }
            #expect(!a.rows.isEmpty)
        }
        #expect(try db.query(Self.text(Self.queries[4], fast: true)).rows == [[.int64(0), .null]])
    }

    @Test("other outer aggregates, filters and inner shapes stay on the general path")
    func otherShapes() throws {
        let db = try Self.database(userDictionary: .segment)
        let general = [
            "SELECT country, avg(s) FROM (SELECT country, \"user\", sum(amount) AS s FROM t GROUP BY ALL) GROUP BY country",
            "SELECT country, sum(s + 1) FROM (SELECT country, \"user\", sum(amount) AS s FROM t GROUP BY ALL) GROUP BY country",
            "SELECT s, count(*) FROM (SELECT country, \"user\", sum(\"count\") AS s FROM t GROUP BY ALL) GROUP BY s",
            "SELECT country, count(*) FROM (SELECT country, \"user\", sum(amount) AS s FROM t GROUP BY ALL LIMIT 5) GROUP BY country",
            "SELECT country, count(DISTINCT s) FROM (SELECT country, \"user\", sum(amount) AS s FROM t GROUP BY ALL) GROUP BY country",
        ]
        for sql in general {
            let plan = try db.query("EXPLAIN " + sql).rows.map { $0[0].description }.joined(separator: "\n")
            #expect(!plan.contains("then regroup by"), "\(sql)")
            #expect(plan.contains("HashAggregate"), "\(sql)")
            _ = try db.query(sql)
        }
    }
}
