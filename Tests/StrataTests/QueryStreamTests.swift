import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// `Database.stream(_:)` hands back a query's rows batch by batch: the same rows, in the same order, as
/// `query(_:)`, whether the plan streams (scan, filter, projection, limit) or makes its rows at once.
@Suite("Streaming results")
struct QueryStreamTests {
    static func database() throws -> Database {
        var options = Database.Options()
        options.blockRowCount = 64
        let db = Database.inMemory(options: options)
        let table = try db.createTable(RandomTable.spec(name: "t"))
        try table.append(RandomTable.batch(rows: 3_000, days: 3, nullRate: 0.2, seed: 5))
        return db
    }

    static func collect(_ stream: QueryStream) throws -> (batches: Int, rows: [[Value]]) {
        var rows: [[Value]] = []
        var batches = 0
        while let batch = try stream.next() {
            #expect(batch.columns == stream.columns)
            rows += batch.rows
            batches += 1
        }
        return (batches, rows)
    }

    @Test(
        "streamed rows are the query's rows",
        arguments: [
            "SELECT * FROM t", "SELECT user, amount * 2 AS a FROM t WHERE country = 'US' OR amount > 3",
            "SELECT ts, CAST(ts AS DATE) AS day FROM t LIMIT 150 OFFSET 70",
            "SELECT country, count(*) AS n FROM t GROUP BY country ORDER BY country",
            "SELECT user, score FROM t ORDER BY score DESC NULLS LAST, user LIMIT 20", "SELECT 1 + 1 AS two",
            "SELECT * FROM t WHERE amount > 1000000",
        ])
    func sameRows(sql: String) throws {
        let db = try Self.database()
        let expected = try db.query(sql)
        let stream = try db.stream(sql)
        #expect(stream.columns == expected.columns)
        #expect(try Self.collect(stream).rows == expected.rows)
    }

    @Test("a scan streams one batch per block, and the async form gives the same rows")
    func batches() async throws {
        let db = try Self.database()
        let (batches, rows) = try Self.collect(try db.stream("SELECT * FROM t"))
        #expect(rows.count == 3_000)
        #expect(batches >= 3_000 / 64)
        var asyncRows: [[Value]] = []
        for try await batch in try db.stream("SELECT * FROM t") { asyncRows += batch.rows }
        #expect(asyncRows == rows)
    }

    @Test("CSV and JSON written batch by batch are the whole result's text")
    func writers() throws {
        let db = try Self.database()
        for sql in ["SELECT user, country, ts, amount FROM t", "SELECT * FROM t WHERE amount > 1000000"] {
            for format in [ResultFormat.csv, .json] {
                let stream = try db.stream(sql)
                var writer = try #require(ResultStreamWriter(format: format, columns: stream.columns))
                var text = writer.header()
                while let batch = try stream.next() { text += writer.text(batch) }
                text += writer.footer()
                #expect(text == (try db.query(sql)).rendered(as: format, maxRows: Int.max), "\(sql) \(format)")
            }
        }
        #expect(ResultStreamWriter(format: .table, columns: []) == nil)
    }

    @Test("errors while reading come from next(), and a memory limit still holds for a sort")
    func errors() throws {
        let db = try Self.database()
        #expect(throws: StrataError.self) { try db.stream("SELECT nope FROM t") }
        let options = QueryOptions(memoryLimit: 10_000)
        #expect(throws: StrataError.self) { try db.stream("SELECT * FROM t ORDER BY amount", options: options) }
        // A stream of a scan holds one batch at a time: the same limit lets it read every row.
        let (_, rows) = try Self.collect(try db.stream("SELECT * FROM t", options: options))
        #expect(rows.count == 3_000)
    }
}
