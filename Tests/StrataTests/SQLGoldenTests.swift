import Foundation
import Strata
import StrataCore
import Testing

/// One cell of a golden answer, as DuckDB gave it.
enum GoldenCell: Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case text(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    var description: String {
        switch self {
        case .null: "NULL"
        case .bool(let b): String(b)
        case .integer(let i): String(i)
        case .double(let d): String(d)
        case .text(let s): "'\(s)'"
        }
    }

    /// Whether a Strata value is the same answer: numbers within `tolerance` (relative), DECIMAL and
    /// HUGEINT exactly (DuckDB's text, digit for digit), timestamps by their DuckDB text, dates as text.
    func matches(_ value: Value, tolerance: Double = 1e-9) -> Bool {
        switch (self, value) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .int64(let b)): return a == b || GoldenCell.close(Double(a), Double(b), tolerance)
        case (.integer(let a), .double(let b)): return GoldenCell.close(Double(a), b, tolerance)
        case (.double(let a), .double(let b)): return GoldenCell.close(a, b, tolerance)
        case (.double(let a), .int64(let b)): return GoldenCell.close(a, Double(b), tolerance)
        case (.text(let a), .string(let b)): return a == b
        // DuckDB's NaN (corr of a constant), written as text since JSON has no NaN.
        case (.text("nan"), .double(let b)): return b.isNaN
        case (.text(let a), .decimal(let d)): return a == d.description
        case (.text(let a), .hugeint(let x)): return a == String(x)
        case (.integer(let a), .hugeint(let b)): return Int128(a) == b
        case (.text(let a), .timestamp(let ms)): return a == GoldenCell.duckDBText(ms)
        default: return false
        }
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        a == b || abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    /// DuckDB's VARCHAR form of a timestamp: no trailing zeros in the fraction.
    static func duckDBText(_ ms: Int64) -> String {
        var text = Timestamp.format(milliseconds: ms)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
        }
        return text
    }
}

struct GoldenQuery: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var sql: String
    var columns: [String]?
    /// DuckDB's column types (`BIGINT`, `DECIMAL(38,2)`, `HUGEINT`).
    var types: [String]?
    var rows: [[GoldenCell]]?
    var error: String?

    var testDescription: String { name }
}

extension GoldenCell: Sendable {}

struct GoldenFile: Decodable {
    var duckdb: String
    var queries: [GoldenQuery]
}

/// Strata's SQL answers against DuckDB's on the fixture dataset (Fixtures/sql), cell by cell.
@Suite("SQL golden answers from DuckDB")
struct SQLGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `golden.json` and every `golden-TOPIC.json` (one per feature family; `sql_golden.py` writes them from
    /// `queries.sql` and `queries-TOPIC.sql`).
    static let golden: [GoldenQuery] = {
        let folder = fixtures.appendingPathComponent("sql")
        let topics = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("golden-") && $0.hasSuffix(".json") }.sorted()
        return (["golden.json"] + topics).flatMap { load("sql/" + $0) }
    }()

    /// The queries of a golden file under Fixtures (none when it is missing or unreadable).
    static func load(_ path: String) -> [GoldenQuery] {
        let url = fixtures.appendingPathComponent(path)
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(GoldenFile.self, from: data)
        else { return [] }
        return file.queries
    }

    /// Queries Strata cannot answer yet, and why. A gap that starts passing fails the test, so the list
    /// stays honest.
    static let knownGaps: [String: String] = [:]

    /// Relative tolerances of approximate aggregates: the engine's bound plus DuckDB's own approximation.
    /// Strata's HyperLogLog is exact at these cardinalities while DuckDB's is off by one of 37 (2.7%); the
    /// DDSketch is within 1% of the exact quantile, DuckDB's t-digest within about as much.
    static let approximate: [String: Double] = [
        "approx_count_distinct": 0.05, "approx_quantile": 0.02, "approx_quantile_integer": 0.02,
    ]

    /// The fixture datasets in an in-memory database (ingested once): `events`, and `lineitem`, a TPC-H
    /// sample with DECIMAL(15,2) columns.
    static let database: Result<Database, StrataError> = fixtureDatabase()

    /// A new in-memory database holding the fixture tables.
    static func fixtureDatabase() -> Result<Database, StrataError> {
        do {
            let db = Database.inMemory()
            for (specFile, csv) in [("events-spec.json", "sql/events.csv"), ("lineitem-spec.json", "sql/lineitem.csv")]
            {
                let spec = try TableSpec.decode(json: try Data(contentsOf: fixtures.appendingPathComponent(specFile)))
                let table = try db.createTable(spec)
                _ = try table.ingest(csv: fixtures.appendingPathComponent(csv).path)
            }
            return .success(db)
        } catch let error as StrataError {
            return .failure(error)
        } catch {
            return .failure(StrataError(.io, "\(error)"))
        }
    }

    /// The statements of a golden entry: one, or several separated by `;` (outside quotes and `--` comments).
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        var comment = false
        for c in sql {
            if comment {
                comment = c != "\n"
            } else if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "-", current.last == "-" {
                comment = true
            } else if c == ";" {
                statements.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        statements.append(current)
        return statements.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// Runs a golden entry's statements in order and answers with the last one's result. An entry of several
    /// statements, or one that changes tables (DDL/DML), runs on its own new fixture database: no other query
    /// (those of `information_schema` included) sees its tables, whatever order the tests run in.
    static func answer(_ sql: String, on shared: Database) throws(StrataError) -> QueryResult {
        let statements = statements(sql)
        guard statements.count > 1 || statements.contains(where: Database.changesData) else {
            return try shared.query(sql)
        }
        let db = try fixtureDatabase().get()
        var result = QueryResult(columns: [], rows: [])
        for statement in statements { result = try db.query(statement) }
        return result
    }

    @Test("the golden file holds at least 40 queries; DuckDB answers all but those named error_*, which it refuses")
    func goldenFileIsComplete() {
        #expect(Self.golden.count >= 40)
        for query in Self.golden {
            #expect(
                (query.error != nil) == query.name.hasPrefix("error_"), "\(query.name): \(query.error ?? "answered")")
        }
    }

    @Test("Strata's answer matches DuckDB's", arguments: golden)
    func matchesDuckDB(_ query: GoldenQuery) throws {
        try Self.expectMatch(query, knownGaps: Self.knownGaps, tolerance: Self.approximate[query.name] ?? 1e-9)
    }

    /// Runs `query` on the fixture database (or on `db`) and records an issue unless Strata's outcome is
    /// DuckDB's (its rows, or a refusal where DuckDB refused); a query in `knownGaps` must still differ.
    /// `label` names the database in the issues.
    static func expectMatch(
        _ query: GoldenQuery, knownGaps: [String: String], tolerance: Double, on db: Database? = nil,
        label: String = ""
    ) throws {
        let db = try db ?? database.get()
        let name = label.isEmpty ? query.name : "\(query.name) [\(label)]"
        let outcome = Result { () throws(StrataError) in try answer(query.sql, on: db) }
        if let duckError = query.error {
            // DuckDB refuses it (an out-of-range value, an overflow): Strata must refuse it too, never answer.
            guard case .failure(let error) = outcome else {
                Issue.record("\(name): Strata answered where DuckDB failed with: \(duckError)\n\(query.sql)")
                return
            }
            #expect(error.code != .internal, "\(name): \(error)")
            return
        }
        let expected = try #require(query.rows)
        let mismatch = Self.mismatch(outcome, expected: expected, types: query.types, tolerance: tolerance)
        if let reason = knownGaps[query.name] {
            #expect(mismatch != nil, "\(name) now matches DuckDB: remove it from the known gaps (\(reason))")
            return
        }
        #expect(mismatch == nil, "\(name): \(mismatch ?? "")\n\(query.sql)")
    }

    /// Why Strata's outcome differs from the golden rows, or nil when it matches.
    static func mismatch(
        _ outcome: Result<QueryResult, StrataError>, expected: [[GoldenCell]], types: [String]? = nil,
        tolerance: Double
    ) -> String? {
        let result: QueryResult
        switch outcome {
        case .failure(let error): return "error: \(error)"
        case .success(let r): result = r
        }
        // Exact types must agree as DuckDB spells them (Strata has no INTEGER, so other types are not compared).
        for (column, duckType) in zip(result.columns, types ?? [])
        where duckType.hasPrefix("DECIMAL") || duckType == "HUGEINT" {
            let strataType = column.type?.description.uppercased() ?? "NULL"
            if strataType != duckType { return "column \(column.name): Strata \(strataType), DuckDB \(duckType)" }
        }
        guard result.rows.count == expected.count else {
            return "\(result.rows.count) rows, DuckDB has \(expected.count)"
        }
        for (r, (row, golden)) in zip(result.rows, expected).enumerated() {
            guard row.count == golden.count else { return "row \(r): \(row.count) columns, DuckDB has \(golden.count)" }
            for (c, (value, cell)) in zip(row, golden).enumerated() where !cell.matches(value, tolerance: tolerance) {
                return "row \(r) column \(result.columns[c].name): Strata \(value), DuckDB \(cell)"
            }
        }
        return nil
    }
}
