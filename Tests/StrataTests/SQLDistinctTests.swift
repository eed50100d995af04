import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// `SELECT DISTINCT …` is planned as a GROUP BY of its select list, so the vectorized engine takes the shapes
/// it groups. Answers are held against the reference evaluator's distinct rows (and DuckDB's in the golden
/// file: `distinct*`).
@Suite("DISTINCT as grouping")
struct SQLDistinctTests {
    @Test(
        "DISTINCT gives the reference's distinct rows, nulls grouped together",
        arguments: ["country", "country, flag", "cohort, user", "flag, seen", "score"])
    func distinctRows(columns: String) throws {
        let db = Database.inMemory()
        let spec = RandomTable.spec(name: "t")
        let table = try db.createTable(spec)
        let batch = RandomTable.batch(rows: 600, days: 3, nullRate: 0.2, seed: 21)
        try table.append(batch)
        let result = try db.query("SELECT DISTINCT \(columns) FROM t")
        let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let reference = ReferenceTable(spec: spec, batches: [batch])
        let positions = try names.map { name in try #require(reference.index(of: name)) }
        let expected = Set(reference.rows.map { row in positions.map { row[$0] } })
        #expect(result.rows.count == expected.count)
        #expect(Set(result.rows) == expected)
        let plan = try db.query("EXPLAIN SELECT DISTINCT \(columns) FROM t").rows.map { "\($0[0])" }
        // DISTINCT is a grouping without aggregates, which the pipeline's hash aggregate runs.
        #expect(plan.contains { $0.contains("HashAggregate") }, "\(plan)")
    }
}
