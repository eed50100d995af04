import Strata
import StrataCore
import StrataTestSupport
import Testing

/// GROUPING SETS, ROLLUP and CUBE through the public API: the plan and the errors the golden tests do not pin
/// (their answers are in Fixtures/sql/queries-groupingsets.sql).
@Suite("SQL grouping sets: plans and errors")
struct SQLGroupingSetsTests {
    static func database() throws -> Database {
        let db = Database.inMemory()
        try db.createTable(RandomTable.spec()).append(RandomTable.batch(rows: 500, days: 3, seed: 5))
        return db
    }

    static func error(_ db: Database, _ sql: String) -> StrataError? {
        do {
            _ = try db.query(sql)
            return nil
        } catch {
            return error
        }
    }

    @Test("EXPLAIN shows one hash aggregation per set, their rows one after another")
    func explain() throws {
        let plan = try Self.database().query(
            "EXPLAIN SELECT country, flag, count(*) FROM t GROUP BY ROLLUP (country, flag)"
        ).rows.map { "\($0[0])" }
        #expect(plan.contains { $0.contains("UnionAll (3 inputs") }, "\(plan)")
        #expect(plan.filter { $0.contains("HashAggregate") }.count == 3, "\(plan)")
        #expect(plan.contains { $0.contains("HashAggregate keys: [country, flag]") }, "\(plan)")
        #expect(plan.contains { $0.contains("HashAggregate keys: []") }, "\(plan)")
    }

    @Test("every set's rows add up to the same total, and grouping() names the set of each row")
    func totals() throws {
        let result = try Self.database().query(
            "SELECT g, sum(n) FROM (SELECT grouping(country, flag) AS g, count(*) AS n FROM t "
                + "GROUP BY CUBE (country, flag)) GROUP BY g ORDER BY g")
        // Whatever the data, each of the 4 sets counts all 500 rows.
        #expect(result.rows.map { $0.map { "\($0)" } } == (0..<4).map { ["\($0)", "500"] })
    }

    @Test(
        "grouping() outside a grouped query or over a non-key, and subqueries in a set's key, are errors at the call",
        arguments: [
            ("SELECT grouping(country), count(*) FROM t", "needs a GROUP BY clause", 8),
            ("SELECT country, grouping(flag) FROM t GROUP BY ROLLUP (country)", "must be a GROUP BY key", 26),
            ("SELECT country, grouping(country + 1) FROM t GROUP BY country", "must be a GROUP BY key", 26),
            ("SELECT country, grouping_id(DISTINCT country) FROM t GROUP BY country", "takes 1 to 63", 17),
            ("SELECT country, grouping() FROM t GROUP BY country", "takes 1 to 63", 17),
            ("SELECT count(*) FROM t GROUP BY ROLLUP ((SELECT 1))", "subquery in a grouping set", 41),
            ("SELECT count(*) FROM t WHERE grouping(country) = 0 GROUP BY country", "not allowed in WHERE", 30),
            ("SELECT grouping(country) AS g FROM t GROUP BY CUBE (country, g)", "not allowed in GROUP BY", 8),
        ])
    func errors(sql: String, message: String, column: Int) throws {
        let error = try #require(Self.error(try Self.database(), sql))
        #expect(error.message.contains(message), "\(error)")
        #expect(error.location?.column == column, "\(error)")
    }

    @Test(
        "random tables with NULL keys: each CUBE set's groups are the rows grouped by its keys; grouping() tells them apart",
        arguments: 0..<30)
    func randomCube(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x6E75_0000 + seed)
        let (db, relation) = try SQLAggregateDifferentialTests.randomTable(&rng)
        // Per set (bit 1: country rolled up, bit 0: flag), the groups' (country, flag, grouping, count, count(amount)).
        var want: [[String]] = []
        for mask in 0..<4 {
            var groups: [[Value]: (rows: Int, amounts: Int)] = [:]
            for row in relation.namedRows {
                let key = [mask & 2 == 0 ? row["country"] : .null, mask & 1 == 0 ? row["flag"] : .null]
                groups[key, default: (0, 0)].rows += 1
                if !row["amount"].isNull { groups[key, default: (0, 0)].amounts += 1 }
            }
            // The empty set has its one row even without input rows.
            if mask == 3, groups.isEmpty { groups[[.null, .null]] = (0, 0) }
            for (key, counts) in groups {
                want.append(key.map { "\($0)" } + ["\(mask)", "\(counts.rows)", "\(counts.amounts)"])
            }
        }
        let sql =
            "SELECT country, flag, grouping(country, flag), count(*), count(amount) FROM t GROUP BY CUBE (country, flag)"
        for parallelism in [1, 3] {
            let got = try db.query(sql, options: QueryOptions(parallelism: parallelism)).rows.map { $0.map { "\($0)" } }
            #expect(
                got.sorted { $0.lexicographicallyPrecedes($1) } == want.sorted { $0.lexicographicallyPrecedes($1) },
                "seed \(seed), \(parallelism) workers")
        }
    }

    @Test("a CUBE of 13 keys (8192 sets) is refused before anything is planned")
    func tooManySets() throws {
        let keys = (1...13).map { "cohort + \($0)" }.joined(separator: ", ")
        let error = try #require(Self.error(try Self.database(), "SELECT count(*) FROM t GROUP BY CUBE (\(keys))"))
        #expect(error.code == .limit, "\(error)")
        #expect(error.message.contains("more than 4096 grouping sets"), "\(error)")
    }
}
