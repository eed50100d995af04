import Foundation
import StrataCore
import StrataExecution
import StrataSQL
import StrataStorage

/// `CREATE TABLE`, `DROP TABLE`, `INSERT INTO`, `CREATE VIEW` and `DROP VIEW`: statements that change the database,
/// each one catalog publish or one append (atomic, and as durable as an append), answered as DuckDB answers them.
extension SQLStatementRunner {
    /// Runs a statement that changes tables; nil for any other statement.
    func runDefinition(_ statement: SQLStatement) throws(StrataError) -> QueryResult? {
        let (verb, range): (String, SourceRange)
        switch statement {
        case .createTable(let create): (verb, range) = ("CREATE TABLE", create.name.range)
        case .dropTable(let drop): (verb, range) = ("DROP TABLE", drop.name.range)
        case .insert(let insert): (verb, range) = ("INSERT", insert.table.range)
        case .createView(let create): (verb, range) = ("CREATE VIEW", create.name.range)
        case .dropView(let drop): (verb, range) = ("DROP VIEW", drop.name.range)
        case .delete(let delete): (verb, range) = ("DELETE", delete.table.range)
        case .truncate(let name): (verb, range) = ("TRUNCATE", name.range)
        default: return nil
        }
        let source = SQLSourceText(sql)
        guard let database = catalog.database else {
            throw source.error(
                .unsupported, "\(verb) changes the database: run it on a Database, not a table snapshot", at: range)
        }
        guard database.mode == .readWrite else {
            throw source.error(
                .invalidArgument, "the database is open read-only: \(verb) needs a writable database", at: range)
        }
        switch statement {
        case .createTable(let create): return try createTable(create, in: database)
        case .dropTable(let drop): return try dropTable(drop, in: database)
        case .insert(let statement): return try insert(statement, into: database)
        case .createView(let create): return try createView(create, in: database)
        case .dropView(let drop): return try dropView(drop, in: database)
        case .delete(let statement): return try delete(statement, in: database)
        case .truncate(let name): return try truncate(name, in: database)
        default: return nil
        }
    }

    /// DuckDB's answer to a statement that changes rows: one `Count` row (none for a plain `CREATE TABLE`).
    static func countResult(_ count: Int?) -> QueryResult {
        QueryResult(columns: [.init(name: "Count", type: .int64)], rows: count.map { [[.int64(Int64($0))]] } ?? [])
    }

    // MARK: CREATE TABLE

    private func createTable(_ create: CreateTableStatement, in database: Database) throws(StrataError) -> QueryResult {
        let source = SQLSourceText(sql)
        let existing = database.tableNames.first { $0.lowercased() == create.name.normalized }
        if let existing, !create.orReplace {
            if create.ifNotExists { return Self.countResult(nil) }
            throw source.error(.alreadyExists, "table '\(existing)' already exists", at: create.name.range)
        }
        guard let query = create.query else {
            var columns: [TableColumn] = []
            for column in create.columns {
                if columns.contains(where: { $0.name.lowercased() == column.name.normalized }) {
                    throw source.error(
                        .binding, "column '\(column.name.name)' is declared twice", at: column.name.range)
                }
                columns.append(
                    TableColumn(
                        name: column.name.name, type: try declaredType(column.type, column: column.name),
                        notNull: column.notNull, range: column.name.range))
            }
            let spec = try tableSpec(create, columns: columns)
            do {
                if create.orReplace {
                    _ = try database.createTable(spec, rows: ColumnBatch(), replacing: true)
                } else {
                    try database.createTable(spec)
                }
            } catch  where error.location == nil {
                throw source.error(error.code, error.message, at: create.name.range)
            }
            return Self.countResult(nil)
        }
        let plan = try SQLPlanner(source: source, catalog: catalog, parameters: bound).plan(query, ctes: [:])
        var columns: [TableColumn] = []
        for column in plan.columns {
            guard TableSpec.isValidName(column.name) else {
                throw source.error(
                    .binding,
                    "the query's column '\(column.name)' cannot name a stored column (letters, digits and '_', not "
                        + "starting with a digit): give it an alias", at: query.range)
            }
            if columns.contains(where: { $0.name.lowercased() == column.name.lowercased() }) {
                throw source.error(
                    .binding, "the query has two columns named '\(column.name)': give one an alias", at: query.range)
            }
            columns.append(
                TableColumn(
                    name: column.name, type: try resultType(column.type, column: column.name, at: query.range),
                    notNull: false, range: query.range))
        }
        let spec = try tableSpec(create, columns: columns)
        let rows = try collect(
            plan, into: columns, targets: plan.columns.indices.map { $0 }, table: create.name.name, at: query.range)
        do {
            _ = try database.createTable(spec, rows: rows.batch(), replacing: create.orReplace)
        } catch  where error.location == nil {
            throw source.error(error.code, error.message, at: create.name.range)
        }
        return Self.countResult(rows.count)
    }

    /// A column of a table being created.
    struct TableColumn {
        var name: String
        var type: DataType
        var notNull: Bool
        /// Where the column was declared (for CREATE TABLE … AS, the query).
        var range: SourceRange
    }

    /// The stored type of a declared column.
    private func declaredType(_ type: SQLType, column: Identifier) throws(StrataError) -> DataType {
        switch type {
        case .boolean: return .bool
        case .integer, .bigint: return .int64
        case .double: return .double
        case .varchar: return .string
        case .date: return .date
        case .timestamp: return .timestamp
        case .decimal(let p, let s) where p <= DecimalValue.maxInt64Precision: return .decimal(precision: p, scale: s)
        case .decimal, .hugeint:
            throw SQLSourceText(sql).error(
                .unsupported,
                "column '\(column.name)': \(type) columns are not supported (stored integers and DECIMAL units have "
                    + "64 bits); use BIGINT or DECIMAL with at most 18 digits", at: column.range)
        }
    }

    /// The stored type of a query result column: HUGEINT (integer sums) is kept as BIGINT and a DECIMAL wider than
    /// 18 digits as DECIMAL(18, scale), since stored values have 64 bits; a value that does not fit is an error.
    private func resultType(_ type: SQLValueType, column: String, at range: SourceRange) throws(StrataError) -> DataType
    {
        switch type {
        case .boolean: return .bool
        case .bigint, .hugeint, .null: return .int64
        case .double: return .double
        case .varchar: return .string
        case .timestamp: return .timestamp
        case .date: return .date
        case .decimal(let p, let s):
            let maxDigits = DecimalValue.maxInt64Precision
            return p <= maxDigits
                ? .decimal(precision: p, scale: s) : .decimal(precision: maxDigits, scale: min(s, maxDigits))
        case .interval:
            throw SQLSourceText(sql).error(
                .unsupported, "column '\(column)': INTERVAL columns are not supported", at: range)
        }
    }

    /// The table spec of `create`: its columns, and the JSON spec's options from `WITH (…)`.
    private func tableSpec(_ create: CreateTableStatement, columns: [TableColumn]) throws(StrataError) -> TableSpec {
        let source = SQLSourceText(sql)
        var spec = TableSpec(name: create.name.name, timestamp: nil)
        var seen: Set<String> = []
        for option in create.options {
            let key = option.key.normalized
            guard seen.insert(key).inserted else {
                throw source.error(.syntax, "option '\(option.key.name)' is given twice", at: option.key.range)
            }
            func invalid(_ allowed: [String]) -> StrataError {
                source.error(
                    .schema,
                    "\(key) = '\(option.value)' is not valid; expected one of \(allowed.joined(separator: ", "))",
                    at: option.valueRange)
            }
            switch key {
            case "timestamp":
                guard let column = columns.first(where: { $0.name.lowercased() == option.value.lowercased() }) else {
                    throw source.error(
                        .binding, "timestamp: the table has no column '\(option.value)'", at: option.valueRange)
                }
                guard column.type == .timestamp || column.type == .date else {
                    throw source.error(
                        .schema, "timestamp: column '\(column.name)' is \(column.type), not a TIMESTAMP or DATE",
                        at: option.valueRange)
                }
                spec.timestamp = TimestampSpec(column: column.name, type: column.type)
            case "segment_granularity":
                guard let value = SegmentGranularity(rawValue: option.value.lowercased()) else {
                    throw invalid(SegmentGranularity.allCases.map(\.rawValue))
                }
                spec.segmentGranularity = value
            case "sort_time_granularity":
                guard let value = QueryGranularity(rawValue: option.value.lowercased()) else {
                    throw invalid(QueryGranularity.allCases.map(\.rawValue))
                }
                spec.sortTimeGranularity = value
            case "sort_key":
                spec.sortKey = option.value.split(separator: ",").map {
                    String($0).trimmingCharacters(in: .whitespaces)
                }
                .filter { !$0.isEmpty }
            case "codec":
                guard let value = Codec(rawValue: option.value.lowercased()) else {
                    throw invalid(Codec.allCases.map(\.rawValue))
                }
                spec.codec = value
            case "retention_days":
                guard let days = Int(option.value) else {
                    throw source.error(.schema, "retention_days must be a whole number of days", at: option.valueRange)
                }
                spec.retentionDays = days
            case "rollup":
                do {
                    spec.rollup = try JSONDecoder().decode(RollupSpec.self, from: Data(option.value.utf8))
                } catch {
                    throw source.error(
                        .schema,
                        "rollup must be the JSON spec's rollup object, e.g. '{\"granularity\": \"hour\", "
                            + "\"aggregates\": [{\"name\": \"n\", \"type\": \"count\"}]}': \(error)",
                        at: option.valueRange)
                }
            default:
                var message =
                    "unknown table option '\(option.key.name)'; options: \(Self.tableOptions.joined(separator: ", "))"
                if let suggestion = NameSuggestion.closest(to: key, among: Self.tableOptions) {
                    message = "unknown table option '\(option.key.name)'; did you mean '\(suggestion)'?"
                }
                throw source.error(.schema, message, at: option.key.range)
            }
        }
        // With a rollup, the columns its aggregates read are metrics; every other column is a dimension.
        let measured = Set((spec.rollup?.aggregates ?? []).compactMap { $0.column?.lowercased() })
        for column in columns where column.name.lowercased() != spec.timestamp?.column.lowercased() {
            if measured.contains(column.name.lowercased()) {
                spec.metrics.append(MetricSpec(name: column.name, type: column.type, nullable: !column.notNull))
            } else {
                spec.dimensions.append(DimensionSpec(name: column.name, type: column.type, nullable: !column.notNull))
            }
        }
        do {
            try spec.validate()
        } catch {
            throw source.error(error.code, error.message, at: create.name.range)
        }
        return spec
    }

    /// The options `WITH (…)` takes: the JSON table spec's, in snake case.
    static let tableOptions = [
        "timestamp", "segment_granularity", "sort_key", "sort_time_granularity", "codec", "retention_days", "rollup",
    ]

    // MARK: DROP TABLE

    /// DuckDB's answer to `DROP`: an empty `Success` column.
    static let dropResult = QueryResult(columns: [.init(name: "Success", type: .bool)], rows: [])

    private func dropTable(_ drop: DropStatement, in database: Database) throws(StrataError) -> QueryResult {
        let success = Self.dropResult
        let names = database.tableNames
        guard let name = names.first(where: { $0.lowercased() == drop.name.normalized }) else {
            if let view = database.view(named: drop.name.name) {
                throw SQLSourceText(sql).error(
                    .binding, "'\(view.name)' is a view, not a table: use DROP VIEW", at: drop.name.range)
            }
            if drop.ifExists { return success }
            throw SQLSourceText(sql).error(.notFound, Self.noTable(drop.name.name, among: names), at: drop.name.range)
        }
        try database.dropTable(named: name)
        return success
    }

    static func noTable(_ name: String, among names: [String]) -> String {
        var message = "no table named '\(name)'"
        if let suggestion = NameSuggestion.closest(to: name, among: names) {
            message += "; did you mean '\(suggestion)'?"
        }
        return message
    }

    // MARK: Views

    private func createView(_ create: CreateViewStatement, in database: Database) throws(StrataError) -> QueryResult {
        let source = SQLSourceText(sql)
        if let existing = database.view(named: create.name.name), !create.orReplace {
            if create.ifNotExists { return Self.countResult(nil) }
            throw source.error(.alreadyExists, "view '\(existing.name)' already exists", at: create.name.range)
        }
        if let table = database.tableNames.first(where: { $0.lowercased() == create.name.normalized }) {
            throw source.error(.alreadyExists, "a table named '\(table)' already exists", at: create.name.range)
        }
        // Planned once now, so a view that names a missing table or column is refused, as DuckDB refuses it.
        let planner = SQLPlanner(source: source, catalog: catalog, parameters: bound)
        planner.expandingViews = [create.name.normalized]
        _ = try planner.plan(create.query, ctes: [:])
        let bytes = Array(sql.utf8)
        let range = create.query.range
        guard range.offset >= 0, range.end <= bytes.count else {
            throw StrataError(.internal, "the view's query range is outside the statement")
        }
        let text = String(decoding: bytes[range.offset..<range.end], as: UTF8.self)
        do {
            try database.createView(named: create.name.name, sql: text, replacing: create.orReplace)
        } catch {
            throw source.error(error.code, error.message, at: create.name.range)
        }
        return Self.countResult(nil)
    }

    private func dropView(_ drop: DropStatement, in database: Database) throws(StrataError) -> QueryResult {
        let source = SQLSourceText(sql)
        guard let view = database.view(named: drop.name.name) else {
            if database.tableNames.contains(where: { $0.lowercased() == drop.name.normalized }) {
                throw source.error(
                    .binding, "'\(drop.name.name)' is a table, not a view: use DROP TABLE", at: drop.name.range)
            }
            if drop.ifExists { return Self.dropResult }
            var message = "no view named '\(drop.name.name)'"
            if let suggestion = NameSuggestion.closest(to: drop.name.name, among: database.viewNames) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw source.error(.notFound, message, at: drop.name.range)
        }
        try database.dropView(named: view.name)
        return Self.dropResult
    }

    // MARK: INSERT

    private func insert(_ insert: InsertStatement, into database: Database) throws(StrataError) -> QueryResult {
        let source = SQLSourceText(sql)
        let table: Table
        do {
            table = try database.table(named: insert.table.name)
        } catch {
            throw source.error(
                .binding, Self.noTable(insert.table.name, among: database.tableNames), at: insert.table.range)
        }
        let all = table.spec.inputColumns
        let columns = all.map {
            TableColumn(name: $0.name, type: $0.type, notNull: !$0.nullable, range: insert.table.range)
        }
        // Which table column each value of a row goes to.
        var targets: [Int] = []
        for name in insert.columns {
            guard let index = all.firstIndex(where: { $0.name.lowercased() == name.normalized }) else {
                var message = "table '\(table.name)' has no column '\(name.name)'"
                if let suggestion = NameSuggestion.closest(to: name.name, among: all.map(\.name)) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw source.error(.binding, message, at: name.range)
            }
            targets.append(index)
        }
        if insert.columns.isEmpty { targets = Array(all.indices) }
        let query: SelectStatement
        let range: SourceRange
        switch insert.source {
        case .query(let select):
            query = select
            range = select.range
        case .values(let rows):
            range = rows.first?.first?.range ?? insert.table.range
            guard rows.allSatisfy({ $0.count == targets.count }) else {
                throw source.error(
                    .binding,
                    "table '\(table.name)' has \(targets.count) columns but \(rows.first?.count ?? 0) values were supplied",
                    at: range)
            }
            query = Self.valuesQuery(
                rows, types: targets.map { Self.sqlType(all[$0].type) }, names: targets.map { all[$0].name })
        }
        let plan: PlanNode
        do {
            plan = try SQLPlanner(source: source, catalog: catalog, parameters: bound).plan(query, ctes: [:])
        } catch {
            // A value that cannot become its column's type: name the column.
            guard case .values(let rows) = insert.source, let offset = error.location?.offset,
                let k = rows.lazy.compactMap({ $0.firstIndex { $0.range.offset <= offset && offset < $0.range.end } })
                    .first
            else { throw error }
            throw StrataError(
                error.code, error.message + " (column '\(all[targets[k]].name)')", location: error.location,
                detail: error.detail)
        }
        guard plan.columns.count == targets.count else {
            throw source.error(
                .binding,
                "table '\(table.name)' has \(targets.count) columns but \(plan.columns.count) values were supplied",
                at: range)
        }
        let rows = try collect(plan, into: columns, targets: targets, table: table.name, at: range)
        if rows.count > 0 { try table.append(rows.batch()) }
        return Self.countResult(rows.count)
    }

    /// `VALUES` rows as one query: each row a `SELECT` of its values cast to their columns' types (so every
    /// row converts on its own, as DuckDB's INSERT does), joined by `UNION ALL`.
    static func valuesQuery(_ rows: [[SQLExpression]], types: [SQLType], names: [String]) -> SelectStatement {
        let selects = rows.map { row in
            SelectStatement(
                items: row.enumerated().map { c, value in
                    .expression(SQLExpression(.cast(value, types[c]), range: value.range), alias: Identifier(names[c]))
                })
        }
        var query = selects[0]
        query.setOperations = selects.dropFirst().map { SetOperation(kind: .union, all: true, query: $0) }
        return query
    }

    /// The SQL type that holds values of a stored type.
    static func sqlType(_ type: DataType) -> SQLType {
        switch type {
        case .bool: .boolean
        case .int64: .bigint
        case .double: .double
        case .string: .varchar
        case .date: .date
        case .timestamp: .timestamp
        case .hugeint: .hugeint
        case .decimal(let p, let s): .decimal(precision: p, scale: s)
        }
    }

    /// Runs `plan` and collects its rows as the table's columns: the plan's column `i` goes to column `targets[i]`,
    /// cast to its type (vectorized, in a projection); columns no plan column goes to are NULL.
    func collect(
        _ plan: PlanNode, into columns: [TableColumn], targets: [Int], table: String, at range: SourceRange
    ) throws(StrataError) -> ColumnBatchCollector {
        let binder = ExpressionBinder(source: SQLSourceText(sql))
        let types = columns.map { SQLValueType($0.type) }
        var expressions = types.map { BoundExpression.constant(.null, $0) }
        for (i, column) in plan.columns.enumerated() {
            let target = targets[i]
            let value = BoundExpression.column(i, column.type, name: column.name)
            do {
                expressions[target] = try binder.bindCast(
                    value, to: types[target], operand: SQLExpression(.literal(.null), range: range))
            } catch {
                throw SQLSourceText(sql).error(
                    .type,
                    "cannot store \(column.type) values in column '\(columns[target].name)' of table '\(table)', "
                        + "which is \(types[target])", at: range)
            }
        }
        let projected = PlanNode.project(
            plan, expressions, columns: zip(columns, types).map { SQLScope.Column(name: $0.name, type: $1) })
        var collector = ColumnBatchCollector(names: columns.map(\.name), types: types)
        let stream = try projected.batches(context: context, options: options, profile: nil)
        while let batch = try stream.next() {
            try collector.append(batch)
            try context.check()
        }
        return collector
    }
}
