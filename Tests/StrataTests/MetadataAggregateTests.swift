import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// `count(*)`, `count(x)`, `min(x)` and `max(x)` over a whole table come from segment metadata (row and
/// null counts, zone maps, the ends of sorted dictionaries); they must equal the values computed from
/// the input rows, over stored and head segments, with and without table dictionaries.
@Suite("Aggregates from segment metadata")
struct MetadataAggregateTests {
    @Test(
        "min, max and counts equal the reference's, over flushed and head segments and both dictionary scopes",
        arguments: [(DictionaryScope.segment, true), (.segment, false), (.table, true), (.table, false)])
    func answers(scope: DictionaryScope, flush: Bool) throws {
        var options = Database.Options()
        options.blockRowCount = 64
        let db = Database.inMemory(options: options)
        let spec = RandomTable.spec(name: "t", userDictionary: scope)
        let table = try db.createTable(spec)
        let batches = (0..<3).map { RandomTable.batch(rows: 500, days: 4, nullRate: 0.3, seed: 40 + UInt64($0)) }
        for batch in batches {
            try table.append(batch)
            if flush { try db.flush() }
        }
        let reference = ReferenceTable(spec: spec, batches: batches)
        // The first list is answered from metadata; booleans and doubles read rows.
        for columns in [["country", "user", "cohort", "seen", "ts", "count"], ["flag", "score"]] {
            let sql =
                "SELECT count(*), "
                + columns.map { "count(\($0)), min(\($0)), max(\($0))" }.joined(separator: ", ") + " FROM t"
            let row = try #require(try db.query(sql).rows.first)
            var expected: [Value] = [.int64(Int64(reference.rows.count))]
            for name in columns {
                let index = try #require(reference.index(of: name))
                let values = reference.rows.map { $0[index] }.filter { !$0.isNull }
                func order(_ a: Value, _ b: Value) -> Bool { ValueOrder.sortOrder(a, b, nullsFirst: false) < 0 }
                expected += [.int64(Int64(values.count)), values.min(by: order) ?? .null, values.max(by: order) ?? .null]
            }
            #expect(row == expected, "\(columns)")
        }
        // Whole-table string extremes do not read rows: the plan is the general aggregate, not the native one.
        let plan = try db.query("EXPLAIN SELECT min(country), max(user) FROM t").rows.map { "\($0[0])" }
        #expect(plan.contains { $0.contains("HashAggregate") }, "\(plan)")
    }
}
