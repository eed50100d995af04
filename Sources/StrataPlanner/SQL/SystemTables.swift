import StrataCore
import StrataExecution
import StrataSQL
import StrataStorage

/// The catalog as tables, the way DuckDB shows it to the tools that connect to it: `information_schema`'s
/// `schemata`, `tables` and `columns` (DuckDB's column names and types; one schema, `main`, in a catalog
/// named after the database), and the rows of `DESCRIBE t` and `PRAGMA table_info('t')`.
enum SystemTables {
    /// The tables of `information_schema`.
    static let names = ["columns", "schemata", "tables"]

    /// `information_schema.<name>` over `catalog`'s tables; `nil` for a name it does not have.
    static func informationSchema(_ name: String, catalog: SQLCatalog) -> PlanNode? {
        let database = catalog.databaseName
        switch name.lowercased() {
        case "schemata":
            let columns = varchars(
                "catalog_name", "schema_name", "schema_owner", "default_character_set_catalog",
                "default_character_set_schema", "default_character_set_name", "sql_path")
            let rows: [[Value]] = [database, "system", "temp"].flatMap { catalogName in
                (catalogName == "system" ? ["information_schema", "main"] : ["main"]).map { schema in
                    [.string(catalogName), .string(schema), .string("strata"), .null, .null, .null, .null]
                }
            }
            return .values(columns: columns, rows: rows)
        case "tables":
            let columns = varchars(
                "table_catalog", "table_schema", "table_name", "table_type", "self_referencing_column_name",
                "reference_generation", "user_defined_type_catalog", "user_defined_type_schema",
                "user_defined_type_name", "is_insertable_into", "is_typed", "commit_action", "TABLE_COMMENT")
            // Tables and views, by name; a view cannot be inserted into.
            let entries = tables(catalog).map { ($0.name, true) } + catalog.views.values.map { ($0.name, false) }
            let rows: [[Value]] = entries.sorted { $0.0.lowercased() < $1.0.lowercased() }.map { name, isTable in
                [.string(database), .string("main"), .string(name), .string(isTable ? "BASE TABLE" : "VIEW"), .null, .null,
                 .null, .null, .null, .string(isTable ? "YES" : "NO"), .string("NO"), .null, .null]
            }
            return .values(columns: columns, rows: rows)
        case "columns":
            var columns = varchars("table_catalog", "table_schema", "table_name", "column_name")
            columns.append(SQLScope.Column(name: "ordinal_position", type: .bigint))
            columns += varchars("column_default", "is_nullable", "data_type")
            for name in ["character_maximum_length", "character_octet_length", "numeric_precision",
                "numeric_precision_radix", "numeric_scale", "datetime_precision"]
            {
                columns.append(SQLScope.Column(name: name, type: .bigint))
            }
            // The rest are NULL for every column Strata has (DuckDB's too), but `is_generated`.
            columns += varchars("interval_type")
            columns.append(SQLScope.Column(name: "interval_precision", type: .bigint))
            columns += varchars(
                "character_set_catalog", "character_set_schema", "character_set_name", "collation_catalog",
                "collation_schema", "collation_name", "domain_catalog", "domain_schema", "domain_name", "udt_catalog",
                "udt_schema", "udt_name", "scope_catalog", "scope_schema", "scope_name")
            columns.append(SQLScope.Column(name: "maximum_cardinality", type: .bigint))
            columns += varchars("dtd_identifier")
            columns.append(SQLScope.Column(name: "is_self_referencing", type: .boolean))
            columns.append(SQLScope.Column(name: "is_identity", type: .boolean))
            columns += varchars(
                "identity_generation", "identity_start", "identity_increment", "identity_maximum", "identity_minimum")
            columns.append(SQLScope.Column(name: "identity_cycle", type: .boolean))
            columns += varchars("is_generated", "generation_expression")
            columns.append(SQLScope.Column(name: "is_updatable", type: .boolean))
            columns += varchars("COLUMN_COMMENT")
            var rows: [[Value]] = []
            for spec in tables(catalog) {
                for (i, column) in spec.visibleColumns.enumerated() {
                    let type = SQLValueType(column.type)
                    var precision: Value = .null
                    var radix: Value = .null
                    var scale: Value = .null
                    switch type {
                    case .bigint: (precision, radix, scale) = (.int64(64), .int64(2), .int64(0))
                    case .hugeint: (precision, radix, scale) = (.int64(128), .int64(2), .int64(0))
                    case .double: (precision, radix, scale) = (.int64(53), .int64(2), .int64(0))
                    case .decimal(let p, let s): (precision, radix, scale) = (.int64(Int64(p)), .int64(10), .int64(Int64(s)))
                    default: break
                    }
                    var row: [Value] = [
                        .string(database), .string("main"), .string(spec.name), .string(column.name),
                        .int64(Int64(i + 1)), .null, .string("YES"), .string(type.description), .null, .null, precision,
                        radix, scale, .null,
                    ]
                    row += [Value](repeating: .null, count: 27)
                    row += [.string("NEVER"), .null, .null, .null]
                    rows.append(row)
                }
            }
            return .values(columns: columns, rows: rows)
        default:
            return nil
        }
    }

    /// The specs of the catalog's tables, by name.
    private static func tables(_ catalog: SQLCatalog) -> [TableSpec] {
        catalog.tableNames.sorted().compactMap { catalog.snapshot($0)?.spec }
    }

    private static func varchars(_ names: String...) -> [SQLScope.Column] {
        names.map { SQLScope.Column(name: $0, type: .varchar) }
    }
}

/// `describe('t')` (what `DESCRIBE t` and `SHOW COLUMNS FROM t` run) and `pragma_table_info('t')`: a table's
/// columns, as DuckDB lists them.
struct CatalogTableFunction: TableFunction {
    enum Shape { case describe, tableInfo }

    let name: String
    let shape: Shape

    static let all = [
        CatalogTableFunction(name: "describe", shape: .describe),
        CatalogTableFunction(name: "pragma_table_info", shape: .tableInfo),
    ]

    func bind(_ binding: TableFunctionBinding) throws(StrataError) -> any TableFunctionRows {
        guard binding.call.arguments.count == 1, binding.call.namedArguments.isEmpty else {
            throw binding.error(.binding, "\(name) takes one argument, a table name: \(name)('events')", at: binding.call.range)
        }
        let argument = binding.call.arguments[0]
        let table = try binding.constantText(argument, what: "the table name")
        let spec = try binding.snapshot(table, at: argument.range).spec
        return Rows(spec: spec, shape: shape)
    }

    struct Rows: TableFunctionRows {
        let spec: TableSpec
        let shape: Shape

        var columns: [SQLScope.Column] {
            switch shape {
            case .describe:
                ["column_name", "column_type", "null", "key", "default", "extra"].map {
                    SQLScope.Column(name: $0, type: .varchar)
                }
            case .tableInfo:
                [SQLScope.Column(name: "cid", type: .bigint), SQLScope.Column(name: "name", type: .varchar),
                 SQLScope.Column(name: "type", type: .varchar), SQLScope.Column(name: "notnull", type: .boolean),
                 SQLScope.Column(name: "dflt_value", type: .varchar), SQLScope.Column(name: "pk", type: .boolean)]
            }
        }

        var headline: String { "Catalog \(shape == .describe ? "DESCRIBE" : "table_info") \(spec.name)" }
        var details: [String] { [] }

        func run(context: QueryContext) throws(StrataError) -> [[Value]] {
            spec.visibleColumns.enumerated().map { i, column in
                let type = Value.string(SQLValueType(column.type).description)
                switch shape {
                case .describe: return [.string(column.name), type, .string("YES"), .null, .null, .null]
                case .tableInfo: return [.int64(Int64(i)), .string(column.name), type, .bool(false), .null, .bool(false)]
                }
            }
        }
    }
}
