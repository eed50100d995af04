import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// What BI tools ask on connecting: the tables, their columns, the catalog's names. DuckDB's answers for the
/// fixture tables are in the golden file (`show_tables`, `describe_events`, `information_schema_*`).
@Suite("Catalog introspection")
struct CatalogIntrospectionTests {
    @Test("SHOW t describes a table, in a session too, where SHOW still shows settings")
    func showTable() throws {
        let db = Database.inMemory()
        _ = try db.createTable(RandomTable.spec(name: "t"))
        let described = try db.query("SHOW t")
        #expect(described.columnNames == ["column_name", "column_type", "null", "key", "default", "extra"])
        #expect(described.rows.first?.first == .string("ts"))
        #expect(described.rows.count == RandomTable.spec(name: "t").storedColumns.count)

        var out = ""
        var errors = ""
        let session = SQLSession(database: db, output: { out += $0 }, errorOutput: { errors += $0 })
        session.run("SHOW t")
        #expect(out.contains("column_type") && out.contains("country"), "\(out)")
        out = ""
        session.run("SHOW memory_limit")
        #expect(out.contains("memory_limit"), "\(out)")
        session.run("SHOW nothing_here")
        #expect(errors.contains("nothing_here"), "\(errors)")
    }

    @Test("information_schema names the catalog after the database directory; columns has DuckDB's 45 columns")
    func catalogName() throws {
        let dir = TestDirectory()
        let path = dir.path + "/analytics"
        let db = try Database.open(at: path)
        defer { try? db.close() }
        _ = try db.createTable(RandomTable.spec(name: "t"))
        let tables = try db.query("SELECT table_catalog, table_schema, table_name FROM information_schema.tables")
        #expect(tables.rows == [[.string("analytics"), .string("main"), .string("t")]])
        #expect(try db.query("SELECT current_database()").rows == [[.string("analytics")]])
        #expect(try db.query("SELECT count(*) FROM analytics.main.t").rows == [[.int64(0)]])
        let columns = try db.query("SELECT * FROM information_schema.columns")
        #expect(columns.columns.count == 45)
        #expect(columns.rows.count == RandomTable.spec(name: "t").storedColumns.count)
        let error = #expect(throws: StrataError.self) { try db.query("SELECT * FROM information_schema.tabels") }
        #expect(error?.message.contains("did you mean 'tables'") == true)
    }
}
