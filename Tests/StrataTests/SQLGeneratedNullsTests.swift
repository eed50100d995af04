import Foundation
import Strata
import StrataCore
import Testing

/// Generated queries over the `nulls` fixture (Benchmarks/peers/sql_generated_nulls.py: NULLs in every stored
/// column, a string NULL for whole days, columns NULL in every row, ~2,000 distinct ids, negative and zero
/// metrics, a DECIMAL) against DuckDB's answers in Fixtures/sql/generated-nulls-golden.json. The table is
/// loaded with small blocks (each daily segment holds several) under every spec and layout of `variants`, and
/// each must give DuckDB's answers.
@Suite("SQL generated queries over NULLs against DuckDB")
struct SQLGeneratedNullsTests {
    static let generated: [GoldenQuery] = SQLGoldenTests.load("sql/generated-nulls-golden.json")

    /// Generated queries Strata cannot answer yet, and why (a gap that starts passing fails the test).
    static let knownGaps: [String: String] = [:]

    /// How the fixture is stored: the spec (Fixtures/nulls-spec.json, changed), the block size, and how rows
    /// reach the table.
    struct Variant: Sendable {
        enum Layout: Sendable {
            /// One ingest call: one stored segment per day.
            case stored
            /// Every other row stored (one call), the rest in the head (`calls` calls): each day has a stored
            /// segment and head segments, with different dictionaries.
            case headBeside(calls: Int)
            /// As `headBeside`, then the head flushed and each day's segments compacted into one.
            case compacted(calls: Int)
        }

        var name: String
        var blockRowCount: Int
        var sortKey: [String]
        var tableDictionaries: Bool
        var layout: Layout

        var hasHead: Bool {
            if case .headBeside = layout { return true }
            return false
        }
    }

    static let variants: [Variant] = [
        Variant(
            name: "time order, 256-row blocks", blockRowCount: 256, sortKey: [], tableDictionaries: false,
            layout: .stored),
        Variant(
            name: "sort key (grp, note, tag) by day, table dictionaries, 192-row blocks", blockRowCount: 192,
            sortKey: ["grp", "note", "tag"], tableDictionaries: true, layout: .stored),
        Variant(
            name: "stored and 10 head appends, sort key (grp), 64-row blocks", blockRowCount: 64, sortKey: ["grp"],
            tableDictionaries: false, layout: .headBeside(calls: 10)),
        Variant(
            name: "compacted, sort key (void, note, uid), table dictionaries, 128-row blocks", blockRowCount: 128,
            sortKey: ["void", "note", "uid"], tableDictionaries: true, layout: .compacted(calls: 5)),
    ]

    /// Each variant's in-memory database holding `nulls` (ingested once).
    static let databases: [Result<Database, StrataError>] = variants.map { variant in
        Result { () throws(StrataError) in try load(variant) }
    }

    static func load(_ variant: Variant) throws(StrataError) -> Database {
        var options = Database.Options()
        options.blockRowCount = variant.blockRowCount
        options.flushInterval = nil
        // An ingest call of 2,000 rows or more writes one segment per day; a smaller one goes to the head.
        options.directWriteRows = 2_000
        options.headRowLimit = 1_000_000
        let db = Database.inMemory(options: options)
        do {
            var spec = try TableSpec.decode(
                json: try Data(contentsOf: SQLGoldenTests.fixtures.appendingPathComponent("nulls-spec.json")))
            spec.sortKey = variant.sortKey
            if !variant.sortKey.isEmpty { spec.sortTimeGranularity = .day }
            if variant.tableDictionaries {
                for i in spec.dimensions.indices where spec.dimensions[i].type == .string {
                    spec.dimensions[i].dictionary = .table
                }
            }
            let table = try db.createTable(spec)
            let csv = SQLGoldenTests.fixtures.appendingPathComponent("sql/nulls.csv")
            switch variant.layout {
            case .stored:
                _ = try table.ingest(csv: csv.path)
            case .headBeside(let calls), .compacted(let calls):
                // Even rows as segments (one call), odd rows to the head (calls below directWriteRows).
                let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
                let rows = Array(lines.dropFirst())
                let odd = stride(from: 1, to: rows.count, by: 2).map { rows[$0] }
                var parts = [stride(from: 0, to: rows.count, by: 2).map { rows[$0] }]
                for k in 0..<calls { parts.append(Array(odd[odd.count * k / calls..<odd.count * (k + 1) / calls])) }
                for part in parts {
                    let text = ([lines[0]] + part).joined(separator: "\n") + "\n"
                    _ = try table.ingest(csvData: Array(text.utf8))
                }
                if case .compacted = variant.layout {
                    try table.flush()
                    try table.compact()
                }
            }
        } catch let error as StrataError {
            throw error
        } catch {
            throw StrataError(.io, "\(error)")
        }
        return db
    }

    @Test("the generated file holds at least 250 queries, all answered by DuckDB")
    func generatedFileIsComplete() {
        #expect(Self.generated.count >= 250)
        for query in Self.generated {
            #expect(query.error == nil, "\(query.name): \(query.error ?? "")")
        }
    }

    @Test("every variant holds the 5,000 rows, with a stored segment per day")
    func variantsHoldTheFixture() throws {
        for (variant, database) in zip(Self.variants, Self.databases) {
            let db = try database.get()
            let result = try db.query("SELECT count(*) AS n, count(DISTINCT CAST(ts AS DATE)) AS days FROM nulls")
            #expect(result.rows == [[.int64(5000), .int64(4)]], "\(variant.name)")
            // One stored segment per day (with a head beside it, half the rows are in the head).
            let segments = try db.table(named: "nulls").snapshot().segments
            let stored = segments.filter { !$0.isHead }.count
            let head = segments.count - stored
            let layout = "\(variant.name): \(stored) stored, \(head) head segments"
            #expect(stored == 4 && (head > 0) == variant.hasHead, "\(layout)")
        }
    }

    @Test("Strata's answer matches DuckDB's under every spec", arguments: generated)
    func matchesDuckDB(_ query: GoldenQuery) throws {
        for (variant, database) in zip(Self.variants, Self.databases) {
            try SQLGoldenTests.expectMatch(
                query, knownGaps: Self.knownGaps, tolerance: 1e-9, on: try database.get(), label: variant.name)
        }
    }
}
