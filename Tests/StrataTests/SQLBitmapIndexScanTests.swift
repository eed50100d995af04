import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// `col = 'x'` and `col IN (…)` conjuncts read a segment's bitmap index before its columns: segments and
/// blocks without such rows are skipped, and sparse blocks keep only those rows. The answers must be the
/// ones the same condition gives when written so that no index can serve it (`NOT (col <> 'x')`, an OR
/// chain), row for row and in the same order.
@Suite("Bitmap indexes in the pipeline's scan")
struct SQLBitmapIndexScanTests {
    static func database(_ scope: DictionaryScope) throws -> Database {
        var options = Database.Options()
        // Small blocks: each segment has many, most without a rare value.
        options.blockRowCount = 64
        let db = Database.inMemory(options: options)
        let table = try db.createTable(RandomTable.spec(name: "t", userDictionary: scope))
        try table.append(RandomTable.batch(rows: 3_000, days: 3, seed: 7))
        try table.append(RandomTable.batch(rows: 500, days: 3, seed: 8))
        return db
    }

    /// (condition an index serves, the same condition in a form it does not)
    static let conditions: [(String, String)] = [
        ("country = 'FR'", "NOT (country <> 'FR')"),
        ("'JP' = country", "NOT (country <> 'JP')"),
        ("country IN ('DE', 'a,b')", "(country = 'DE' OR country = 'a,b')"),
        ("country IN ('Ünïcode', NULL)", "country = 'Ünïcode'"),
        ("country = 'nowhere'", "NOT (country <> 'nowhere')"),
        ("country = ''", "NOT (country <> '')"),
        ("country = 'US' AND user = 'u17'", "NOT (country <> 'US') AND NOT (user <> 'u17')"),
        ("user IN ('u3', 'u4', 'u5')", "(user = 'u3' OR user = 'u4' OR user = 'u5')"),
        (
            "country = 'BR' AND ts >= TIMESTAMP '2026-10-02 05:00:00' AND ts < TIMESTAMP '2026-10-02 09:00:00'",
            "NOT (country <> 'BR') AND ts >= TIMESTAMP '2026-10-02 05:00:00' AND ts < TIMESTAMP '2026-10-02 09:00:00'"
        ),
    ]

    static let shapes = [
        "SELECT * FROM t WHERE %@",
        "SELECT ts, user, amount FROM t WHERE %@ LIMIT 7",
        "SELECT country, count(*), sum(amount), count(DISTINCT user) FROM t WHERE %@ GROUP BY country ORDER BY country",
        "SELECT count(*), min(score), max(seen) FROM t WHERE %@",
    ]

    @Test("answers equal those of the same condition without an index", arguments: DictionaryScope.allCases)
    func sameAnswers(scope: DictionaryScope) throws {
        let db = try Self.database(scope)
        for (indexed, plain) in Self.conditions {
            for shape in Self.shapes {
                let a = try db.query(shape.replacingOccurrences(of: "%@", with: indexed)).rows
                let b = try db.query(shape.replacingOccurrences(of: "%@", with: plain)).rows
                #expect(a == b, "\(shape) with \(indexed)")
            }
        }
    }

    @Test("EXPLAIN names the index the scan reads")
    func explained() throws {
        let db = try Self.database(.segment)
        let plan = try db.query("EXPLAIN SELECT ts FROM t WHERE country IN ('DE', 'it''s') AND score > 0").rows
            .map { "\($0[0])" }
        #expect(plan.contains { $0.contains("bitmap index: country IN ('DE', 'it''s')") }, "\(plan)")
        let without = try db.query("EXPLAIN SELECT ts FROM t WHERE country <> 'DE'").rows.map { "\($0[0])" }
        #expect(!without.contains { $0.contains("bitmap index") }, "\(without)")
    }
}
