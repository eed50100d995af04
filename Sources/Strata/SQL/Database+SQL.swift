import Foundation
public import StrataCore
import StrataSQL

extension Database {
    /// Runs one SQL statement (DuckDB's dialect, the subset of DESIGN.md §5) and returns its result.
    ///
    /// Every table the statement reads is pinned to one snapshot when the statement is planned. Parts
    /// the native engine expresses (one table; a WHERE of comparisons, IN, LIKE, IS NULL and time ranges;
    /// GROUP BY columns and time buckets; the exact aggregates with FILTER) run vectorized; the rest
    /// (expressions over aggregates, subqueries in FROM, DISTINCT, other predicates) runs row at a time.
    /// `EXPLAIN` returns the plan as one text column; `EXPLAIN ANALYZE` runs the query and adds rows and
    /// times per operator.
    ///
    /// ```swift
    /// let result = try db.query("SELECT variant, count(*) AS n FROM events GROUP BY ALL ORDER BY 1")
    /// ```
    ///
    /// - Parameter sql: One statement, optionally ending with `;`.
    /// - Returns: Named, typed columns and rows; a DATE is text `YYYY-MM-DD` as DuckDB prints it.
    /// - Throws: `syntax` or `binding` and `type` errors with the line, column and a caret snippet in
    ///   ``StrataError/detail``, and a suggestion for a misspelt table or column; `unsupported` for SQL
    ///   Strata does not run yet; `invalidArgument` for integer overflow or division by zero.
    public func query(_ sql: String) throws(StrataError) -> QueryResult {
        let catalog = SQLCatalog(tableNames: tableNames) { [self] name in try? table(named: name).snapshot() }
        return try SQLStatementRunner(sql: sql, catalog: catalog).run()
    }
}

extension TableSnapshot {
    /// Runs one SQL statement that reads only this snapshot's table (by its name), so several queries
    /// see the same data. See ``Database/query(_:)``.
    public func query(_ sql: String) throws(StrataError) -> QueryResult {
        let catalog = SQLCatalog(tableNames: [spec.name]) { [self] name in
            name.lowercased() == spec.name.lowercased() ? self : nil
        }
        return try SQLStatementRunner(sql: sql, catalog: catalog).run()
    }
}

/// Parses, plans and runs one statement.
struct SQLStatementRunner {
    let sql: String
    let catalog: SQLCatalog

    func run() throws(StrataError) -> QueryResult {
        let clock = ContinuousClock()
        let start = clock.now
        let statement = try SQLParser.parse(sql)
        let planner = SQLPlanner(source: SQLSourceText(sql), catalog: catalog)
        let plan = try planner.plan(statement.query, ctes: [:])
        switch statement {
        case .select:
            let profile = PlanProfile()
            var result = Self.result(columns: plan.columns, rows: try plan.run(profile: profile))
            // The native engine's work counters, when one native query did the reading.
            if profile.nativeStats.count == 1, let stats = profile.nativeStats.values.first { result.stats = stats }
            return result
        case .explain(_, let analyze):
            guard analyze else { return Self.planResult(plan.explain()) }
            let planned = clock.now
            let profile = PlanProfile()
            let rows = try plan.run(profile: profile)
            _ = Self.result(columns: plan.columns, rows: rows)
            let end = clock.now
            var lines = plan.explain(profile: profile)
            lines.append("")
            lines.append(
                String(
                    format: "total: %.3f ms (parse and plan %.3f ms, execute %.3f ms), %d rows",
                    Self.milliseconds(start.duration(to: end)), Self.milliseconds(start.duration(to: planned)),
                    Self.milliseconds(planned.duration(to: end)), rows.count))
            return Self.planResult(lines)
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }

    static func planResult(_ lines: [String]) -> QueryResult {
        QueryResult(columns: [.init(name: "plan", type: .string)], rows: lines.map { [.string($0)] })
    }

    /// Integer values of HUGEINT columns as `.hugeint`: the native engine gives an integer sum as
    /// `.int64` while it fits, SQL types every integer sum HUGEINT as DuckDB does.
    static func widened(_ rows: [[Value]], to columns: [SQLScope.Column]) -> [[Value]] {
        let wide = columns.indices.filter { columns[$0].type == .hugeint }
        guard !wide.isEmpty else { return rows }
        var rows = rows
        for r in rows.indices {
            for c in wide where c < rows[r].count {
                if case .int64(let x) = rows[r][c] { rows[r][c] = .hugeint(Int128(x)) }
            }
        }
        return rows
    }

    /// The result as the caller sees it: DATE values become `YYYY-MM-DD` text.
    static func result(columns: [SQLScope.Column], rows: [[Value]]) -> QueryResult {
        let dates = columns.indices.filter { columns[$0].type == .date }
        var rows = widened(rows, to: columns)
        if !dates.isEmpty {
            for r in rows.indices {
                for c in dates {
                    if case .timestamp(let ms) = rows[r][c] {
                        rows[r][c] = .string(SQLEvaluation.text(.timestamp(ms), type: .date))
                    }
                }
            }
        }
        return QueryResult(
            columns: columns.map { QueryResult.Column(name: $0.name, type: $0.type.dataType) }, rows: rows)
    }
}
