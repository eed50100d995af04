import StrataCore
import StrataExecution
import StrataSQL
import StrataStorage

/// `DELETE FROM t [WHERE …]` and `TRUNCATE t`: the time chunks that hold deleted rows are rewritten as a new version
/// holding the rows that stay (``Database/rewriteChunks(of:_:)``), in one catalog publish.
extension SQLStatementRunner {
    func delete(_ delete: DeleteStatement, in database: Database) throws(StrataError) -> QueryResult {
        let table = try writableTable(delete.table, in: database, verb: "DELETE")
        let spec = table.spec
        let deleted = try database.rewriteChunks(of: table) { stored throws(StrataError) in
            var catalog = self.catalog
            let key = table.name.lowercased()
            let others = catalog.snapshot
            catalog.snapshot = { $0.lowercased() == key ? stored : others($0) }
            let source = SQLSourceText(sql)
            let from = TableReference(source: .table(Identifier(table.name)))
            func plan(_ query: SelectStatement) throws(StrataError) -> PlanNode {
                try SQLPlanner(source: source, catalog: catalog, parameters: bound).plan(query, ctes: [:])
            }
            func column(_ name: String) -> SQLExpression {
                SQLExpression(.column(ColumnReference(column: Identifier(name))))
            }
            // Chunk start → end, of the chunks the stored segments hold.
            var chunks: [Int64: Int64] = [:]
            for entry in stored.entries { chunks[entry.chunkStart] = entry.chunkEnd }
            guard let condition = delete.whereClause else {
                // Every row: every chunk emptied.
                let rows = stored.entries.reduce(0) { $0 + $1.rowCount }
                return (chunks.keys.map { Database.ChunkRewrite(chunkStart: $0, rows: ColumnBatch()) }, rows)
            }
            // The deleted rows: how many, and in which chunks (by their time).
            var deletedPerChunk: [Int64: Int] = [:]
            if spec.hasTime, let time = spec.timestamp?.column {
                let times = try plan(
                    SelectStatement(items: [.expression(column(time), alias: nil)], from: from, whereClause: condition)
                )
                .run(context: context, options: options)
                let starts = chunks.keys.sorted()
                for row in times {
                    guard case .timestamp(let ms) = row[0],
                        let start = starts.last(where: { $0 <= ms }), ms < chunks[start] ?? .min
                    else {
                        throw StrataError(.internal, "a deleted row's time \(row[0]) is in no chunk of '\(table.name)'")
                    }
                    deletedPerChunk[start, default: 0] += 1
                }
            } else {
                let count = SQLExpression(
                    .function(FunctionCall(name: Identifier("count"), arguments: [], isStar: true)))
                let rows = try plan(
                    SelectStatement(items: [.expression(count, alias: nil)], from: from, whereClause: condition)
                )
                .run(context: context, options: options)
                if case .int64(let n) = rows.first?.first, n > 0, let start = chunks.keys.first {
                    deletedPerChunk[start] = Int(n)
                }
            }
            // The rows each affected chunk keeps: those for which the condition is not true (false or NULL).
            let columns = spec.inputColumns.map {
                TableColumn(name: $0.name, type: $0.type, notNull: !$0.nullable, range: delete.table.range)
            }
            let keeps = SQLExpression(
                .caseWhen(
                    CaseExpression(
                        branches: [.init(when: condition, then: SQLExpression(.literal(.boolean(false))))],
                        elseResult: SQLExpression(.literal(.boolean(true))))))
            var rewrites: [Database.ChunkRewrite] = []
            for start in deletedPerChunk.keys.sorted() {
                var filter = keeps
                if spec.hasTime, let time = spec.timestamp?.column, let end = chunks[start] {
                    func bound(_ op: BinaryOperator, _ ms: Int64) -> SQLExpression {
                        let text = SQLEvaluation.text(.timestamp(ms), type: .timestamp)
                        return SQLExpression(
                            .binary(op, column(time), SQLExpression(.literal(.typed(.timestamp, text)))))
                    }
                    filter = SQLExpression(
                        .binary(
                            .and, SQLExpression(.binary(.and, bound(.greaterOrEqual, start), bound(.less, end))), keeps)
                    )
                }
                let query = SelectStatement(
                    items: spec.inputColumns.map { .expression(column($0.name), alias: nil) }, from: from,
                    whereClause: filter)
                let rows = try collect(
                    try plan(query), into: columns, targets: Array(columns.indices), table: table.name,
                    at: delete.table.range)
                rewrites.append(Database.ChunkRewrite(chunkStart: start, rows: rows.batch()))
            }
            return (rewrites, deletedPerChunk.values.reduce(0, +))
        }
        return Self.countResult(deleted)
    }

    func truncate(_ name: Identifier, in database: Database) throws(StrataError) -> QueryResult {
        let table = try writableTable(name, in: database, verb: "TRUNCATE")
        let deleted = try database.rewriteChunks(of: table) { stored throws(StrataError) in
            let starts = Set(stored.entries.map(\.chunkStart))
            return (
                starts.map { Database.ChunkRewrite(chunkStart: $0, rows: ColumnBatch()) },
                stored.entries.reduce(0) { $0 + $1.rowCount }
            )
        }
        return Self.countResult(deleted)
    }

    /// The table `name` names, for a statement that deletes its rows: a rolled-up table is refused (its rows are
    /// aggregates of many events, which no condition on single events can split).
    private func writableTable(_ name: Identifier, in database: Database, verb: String) throws(StrataError) -> Table {
        let source = SQLSourceText(sql)
        let table: Table
        do {
            table = try database.table(named: name.name)
        } catch {
            throw source.error(.binding, Self.noTable(name.name, among: database.tableNames), at: name.range)
        }
        if table.spec.rollup != nil, verb == "DELETE" {
            throw source.error(
                .unsupported,
                "'\(table.name)' is rolled up: its rows are aggregates of many events, so DELETE cannot remove single "
                    + "events; TRUNCATE empties it", at: name.range)
        }
        return table
    }
}
