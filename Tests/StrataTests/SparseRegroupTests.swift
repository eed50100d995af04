import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// "Per user, then per variant" statistics over a mostly-zero metric, run sparse (units counted in
/// bitsets, only non-zero rows grouped per user): the general path's answers, edge cases included — NULL
/// users, groups whose values are all zero or all NULL, no input.
@Suite("Sparse regroup of per-unit sums")
struct SparseRegroupTests {
    static func batch(rows: Int, day: Int, seed: UInt64) -> ColumnBatch {
        var rng = SplitMix64(seed: seed)
        let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1 + day)) * Timestamp.millisecondsPerDay
        let countries = ["US", "DE", "zero", "none", "FR"]
        var ts: [Int64?] = []
        var country: [String?] = []
        var user: [String?] = []
        var flag: [Bool?] = []
        var amount: [Double?] = []
        var count: [Int64?] = []
        for _ in 0..<rows {
            ts.append(start + Int64.random(in: 0..<Timestamp.millisecondsPerDay, using: &rng))
            let c = Int.random(in: 0...countries.count, using: &rng)
            let place = c < countries.count ? countries[c] : nil
            country.append(place)
            user.append(Int.random(in: 0..<20, using: &rng) == 0 ? nil : "u\(Int.random(in: 0..<300, using: &rng))")
            flag.append(Bool.random(using: &rng))
            let roll = Int.random(in: 0..<100, using: &rng)
            switch (place, roll) {
            case ("none", _): amount.append(nil)
            case ("zero", _): amount.append(roll < 50 ? 0 : -0.0)
            case (_, 0..<6): amount.append(nil)
            case (_, 6..<12): amount.append(Double(Int.random(in: -500...5_000, using: &rng)) / 100)
            default: amount.append(0)
            }
            count.append(roll < 3 ? nil : (roll < 10 ? Int64.random(in: -3...9, using: &rng) : 0))
        }
        return ColumnBatch([
            "ts": .timestamp(ts), "country": .string(country), "user": .string(user), "flag": .bool(flag),
            "amount": .double(amount), "count": .int64(count),
        ])
    }

    static func database(userDictionary: DictionaryScope, seed: UInt64 = 7) throws -> Database {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 128; return o
            }())
        let spec = TableSpec(
            name: "t", timestamp: TimestampSpec(column: "ts"),
            dimensions: [
                DimensionSpec(name: "country", type: .string),
                DimensionSpec(name: "user", type: .string, dictionary: userDictionary),
                DimensionSpec(name: "flag", type: .bool),
            ],
            metrics: [MetricSpec(name: "amount", type: .double), MetricSpec(name: "count", type: .int64)],
            segmentGranularity: .day)
        let table = try db.createTable(spec)
        try table.append(batch(rows: 2500, day: 0, seed: seed))
        try table.append(batch(rows: 1500, day: 1, seed: seed + 1))
        try table.append(batch(rows: 900, day: 2, seed: seed + 2))
        return db
    }

    /// Queries that run sparse with table-wide user codes; `{W}` becomes `WHERE 1 = 1` for the general path.
    static let sparse = [
        """
        SELECT country, count(*) AS n, sum(s) AS total, sum(s * s) AS squares
        FROM (SELECT country, "user", sum(amount) AS s FROM t GROUP BY country, "user")
        {W} GROUP BY country ORDER BY country NULLS FIRST
        """,
        """
        SELECT flag, country, count(*) AS n, sum(k) AS counted, sum(s) AS total, sum(s * s) AS squares
        FROM (SELECT flag, country, "user", sum("count") AS k, sum(amount) AS s FROM t GROUP BY ALL)
        {W} GROUP BY flag, country ORDER BY flag NULLS FIRST, country NULLS FIRST
        """,
        """
        SELECT count(*) AS users, sum(s) AS total, sum(s * s) AS squares
        FROM (SELECT "user", sum(amount) AS s FROM t GROUP BY "user") {W}
        """,
        """
        SELECT country, count(*) AS n, sum(s) AS total
        FROM (SELECT country, "user", count(*) AS events, sum(amount) AS s FROM t
              WHERE ts >= '2026-10-02' AND country <> 'US' GROUP BY country, "user")
        {W} GROUP BY country ORDER BY country NULLS FIRST
        """,
        """
        SELECT count(*) AS users, sum(s) AS total, sum(s * s) AS squares
        FROM (SELECT "user", sum(amount) AS s FROM t WHERE country = 'nowhere' GROUP BY "user") {W}
        """,
    ]

    static func text(_ sql: String, general: Bool) -> String {
        sql.replacingOccurrences(of: "{W}", with: general ? "WHERE 1 = 1" : "")
    }

    static func plan(_ db: Database, _ sql: String) throws -> String {
        try db.query("EXPLAIN " + sql).rows.map { $0[0].description }.joined(separator: "\n")
    }

    @Test(
        "the sparse regroup answers as the general path does",
        arguments: [(DictionaryScope.table, UInt64(7)), (.table, 1001), (.table, 77_777), (.segment, 7)])
    func sameAnswers(userDictionary: DictionaryScope, seed: UInt64) throws {
        let db = try Self.database(userDictionary: userDictionary, seed: seed)
        for query in Self.sparse {
            let fast = Self.text(query, general: false)
            let plan = try Self.plan(db, fast)
            #expect(plan.contains("then regroup by"), "\(fast)")
            #expect(plan.contains("sparse regroup") == (userDictionary == .table), "\(plan)")
            let a = try db.query(fast)
            let b = try db.query(Self.text(query, general: true))
            #expect(a.columnNames == b.columnNames)
            #expect(ReferenceEvaluator.same(a, b, ordered: true, tolerance: 1e-12), "\(fast)\n\(a.rows)\n\(b.rows)")
        }
    }

    @Test("counts include NULL users; all-zero groups sum to 0, all-NULL groups to NULL; no input gives one row")
    func edgeCases() throws {
        let db = try Self.database(userDictionary: .table)
        let rows = try db.query(Self.text(Self.sparse[0], general: false)).rows
        let byCountry = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0) })
        #expect(byCountry[.string("zero")]?[2] == .double(0))
        #expect(byCountry[.string("zero")]?[3] == .double(0))
        #expect(byCountry[.string("none")]?[2] == .null)
        #expect(byCountry[.string("none")]?[3] == .null)
        // 300 users and the NULL user: every country saw nearly all of them.
        for row in rows {
            guard case .int64(let n) = row[1] else {
                Issue.record("\(row)")
                continue
            }
            #expect((250...301).contains(n), "\(row)")
        }
        let distinct = try db.query(
            """
            SELECT country, count(DISTINCT "user") + max(CASE WHEN "user" IS NULL THEN 1 ELSE 0 END) AS n
            FROM t GROUP BY country ORDER BY country NULLS FIRST
            """)
        #expect(distinct.rows.map { [$0[0], $0[1]] } == rows.map { [$0[0], $0[1]] })
        let empty = try db.query(Self.text(Self.sparse[4], general: false))
        #expect(empty.rows == [[.int64(0), .null, .null]])
    }

    @Test("a regroup that reads a count, or a sum with a filter, is not sparse")
    func notSparse() throws {
        let db = try Self.database(userDictionary: .table)
        let queries = [
            """
            SELECT country, count(*) AS n, sum(c) AS events
            FROM (SELECT country, "user", count(*) AS c FROM t GROUP BY country, "user") {W} GROUP BY country
            ORDER BY country NULLS FIRST
            """
        ]
        for query in queries {
            let fast = Self.text(query, general: false)
            let plan = try Self.plan(db, fast)
            #expect(plan.contains("then regroup by") && !plan.contains("sparse regroup"), "\(plan)")
            #expect(try db.query(fast).rows == db.query(Self.text(query, general: true)).rows)
        }
    }
}
