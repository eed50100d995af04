package import StrataCore
import StrataExecution
package import StrataSQL
package import StrataStorage

/// A function in FROM that produces rows, such as `experiment_analysis(…)`. The facade registers the
/// functions in the ``SQLCatalog``, so the planner knows none of them by name (the experiment module sits
/// above it).
package protocol TableFunction: Sendable {
    /// The name a query calls it by (lower case).
    var name: String { get }
    /// Binds a call: reads its constant arguments and pins the tables it reads.
    func bind(_ call: TableFunctionBinding) throws(StrataError) -> any TableFunctionRows
}

/// A bound table function call: its output columns, what EXPLAIN prints, and the rows when the plan runs.
package protocol TableFunctionRows: Sendable {
    var columns: [SQLScope.Column] { get }
    /// EXPLAIN's headline for the node.
    var headline: String { get }
    /// EXPLAIN's detail lines.
    var details: [String] { get }
    /// Runs the function (when the plan runs, not when it is explained).
    func run(context: QueryContext) throws(StrataError) -> [[Value]]
}

/// What a ``TableFunction`` binds a call with: the call, its constant arguments, the catalog's snapshots
/// and errors positioned in the statement.
package struct TableFunctionBinding {
    package let call: TableFunctionCall
    let planner: SQLPlanner

    /// An error at `range` of the statement, with its line, column and caret.
    package func error(_ code: StrataError.Code, _ message: String, at range: SourceRange) -> StrataError {
        planner.error(code, message, at: range)
    }

    /// An error at byte `offset` of the statement.
    package func error(_ code: StrataError.Code, _ message: String, at offset: Int) -> StrataError {
        planner.source.error(code, message, at: offset)
    }

    /// The snapshot of table `name` (pinned for the statement), written at `range`.
    package func snapshot(_ name: String, at range: SourceRange) throws(StrataError) -> TableSnapshot {
        try planner.snapshot(Identifier(name, range: range))
    }

    /// The text of a constant argument: a string, or (with `numbers`) a number or boolean as written.
    package func constantText(_ argument: SQLExpression, what: String, numbers: Bool = false) throws(StrataError)
        -> String
    {
        try planner.constantText(argument, what: what, numbers: numbers)
    }

    /// The statement offset of byte `inner` of a string literal's value (its `''` escapes counted).
    package func literalOffset(_ argument: SQLExpression, inner: Int) -> Int {
        planner.literalOffset(argument, inner: inner)
    }
}

extension SQLPlanner {
    /// Binds a table function call in FROM to a plan node that produces its rows.
    func bindTableFunction(_ call: TableFunctionCall) throws(StrataError) -> PlanNode {
        let functions = catalog.tableFunctions + CatalogTableFunction.all + SeriesTableFunction.all
        guard let function = functions.first(where: { $0.name == call.name.normalized }) else {
            let names = catalog.tableFunctions.map(\.name) + ["pragma_table_info", "range", "generate_series"]
            var message = "no table function named '\(call.name.name)'"
            if let suggestion = NameSuggestion.closest(to: call.name.name, among: names) {
                message += "; did you mean '\(suggestion)'?"
            } else if names.isEmpty {
                message += "; there are no table functions here"
            } else {
                message += "; the table functions are " + names.map { "\($0)(…)" }.joined(separator: ", ")
            }
            throw error(.binding, message, at: call.name.range)
        }
        return .tableFunction(try function.bind(TableFunctionBinding(call: call, planner: self)))
    }

    /// The text of a constant argument: a string, or (with `numbers`) a number or boolean as written.
    fileprivate func constantText(_ argument: SQLExpression, what: String, numbers: Bool = false) throws(StrataError)
        -> String
    {
        let bound = try bindInput(argument, scope: .empty, clause: "table function arguments")
        switch bound.constantValue {
        case .string(let text)?: return text
        case .int64(let n)? where numbers: return String(n)
        case .double(let x)? where numbers: return String(x)
        case .decimal(let d)? where numbers: return d.description
        case .hugeint(let n)? where numbers: return String(n)
        case .bool(let b)? where numbers: return String(b)
        default:
            throw error(
                .type, "\(what) must be a constant string\(numbers ? ", number or boolean" : ""), not \(argument)",
                at: argument.range)
        }
    }

    /// The query offset of byte `inner` of a string literal's value (its `''` escapes taken into account).
    fileprivate func literalOffset(_ argument: SQLExpression, inner: Int) -> Int {
        guard case .literal(.string) = argument.kind else { return argument.range.offset }
        let bytes = Array(source.sql.utf8)
        var raw = argument.range.offset + 1  // after the opening quote
        var remaining = inner
        while remaining > 0, raw < argument.range.end - 1 {
            raw += bytes[raw] == UInt8(ascii: "'") ? 2 : 1
            remaining -= 1
        }
        return raw
    }
}
