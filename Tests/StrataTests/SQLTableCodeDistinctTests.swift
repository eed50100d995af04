import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// With a table-wide dictionary, `count(DISTINCT user)` counts codes without hashing a string, and group
/// keys number new codes without hashing until a value comes some other way (a head segment, a merge with
/// a worker that hashed). The answers must equal those over the same rows with segment dictionaries, where
/// every string is hashed — across flushed segments and head segments, one worker or several.
@Suite("Distinct counts and keys over table-dictionary codes")
struct SQLTableCodeDistinctTests {
    static let queries = [
        "SELECT count(DISTINCT user) AS users, count(*) AS n FROM t",
        "SELECT flag, count(DISTINCT user) AS users, count(*) AS n FROM t GROUP BY flag ORDER BY flag",
        "SELECT date_trunc('day', ts) AS day, country, count(DISTINCT user) AS users FROM t GROUP BY date_trunc('day', ts), country ORDER BY day, country",
        "SELECT country, count(DISTINCT user) FILTER (WHERE flag) AS flagged, count(DISTINCT user) AS users FROM t GROUP BY country ORDER BY country",
        "SELECT user, count(*) AS n, min(score) AS lo FROM t GROUP BY user ORDER BY user",
        "SELECT count(DISTINCT user) AS users FROM t WHERE country = 'US'",
        "SELECT user, flag, count(*) AS n FROM t WHERE cohort > 2 GROUP BY user, flag ORDER BY user, flag",
    ]

    @Test("answers equal those over segment dictionaries", arguments: [1, 4])
    func sameAnswers(parallelism: Int) throws {
        let batches = (0..<4).map { RandomTable.batch(rows: 900, days: 3, seed: 70 + UInt64($0)) }
        let reference = Database.inMemory()
        let plain = try reference.createTable(RandomTable.spec())
        for b in batches { try plain.append(b) }

        let dir = TestDirectory()
        var options = Database.Options()
        options.directWriteRows = 1000  // two batches to segments directly, two kept in the head
        let db = try Database.open(at: dir.path, options: options)
        let table = try db.createTable(RandomTable.spec(userDictionary: .table))
        try table.append(batches[0])
        try table.append(batches[1])
        try table.flush()
        try table.append(batches[2])
        try table.append(batches[3])

        let settings = QueryOptions(parallelism: parallelism)
        for sql in Self.queries {
            let expected = try reference.query(sql, options: settings).rows
            let got = try db.query(sql, options: settings).rows
            #expect(got == expected, "\(sql)")
        }
        // Only flushed segments: every value comes by table code.
        try table.flush()
        for sql in Self.queries {
            let expected = try reference.query(sql, options: settings).rows
            #expect(try db.query(sql, options: settings).rows == expected, "flushed: \(sql)")
        }
    }
}
