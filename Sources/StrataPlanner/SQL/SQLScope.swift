package import StrataCore
import StrataSQL

/// The columns a clause can name: those of the table or subquery in FROM, each with the name (table
/// or alias) that may qualify it.
package struct SQLScope {
    package struct Column: Hashable {
        var name: String
        var type: SQLValueType
        /// A rolled-up table's stored quantile sketches: `approx_quantile` reads them by this name.
        var isQuantileSketch = false

        package init(name: String, type: SQLValueType, isQuantileSketch: Bool = false) {
            self.name = name
            self.type = type
            self.isQuantileSketch = isQuantileSketch
        }
    }

    /// One source in FROM: the name that may qualify its columns (the alias, or the table name; `nil` for a
    /// subquery without an alias) and which of the scope's columns are its.
    struct Source {
        var qualifier: String?
        var columns: Range<Int>
    }

    var columns: [Column]
    var sources: [Source]
    /// Columns only a qualified name reaches, and `*` leaves out: the right side's columns of `JOIN … USING`.
    var hidden: Set<Int> = []
    /// Trailing columns that only aggregates can read: the input metrics of a rolled-up table, which
    /// are answered from its stored states. `*` leaves them out.
    var inputMetricCount = 0

    /// The scope of one source: `qualifiers` holds its name, or nothing.
    init(columns: [Column], qualifiers: [String]) {
        self.columns = columns
        sources = [Source(qualifier: qualifiers.first, columns: 0..<columns.count)]
    }

    /// The names that may qualify a column.
    var qualifiers: [String] { sources.compactMap(\.qualifier) }

    static let empty = SQLScope(columns: [], qualifiers: [])

    /// The scope of `self JOIN right`: these columns, then the right side's.
    func joined(with right: SQLScope) -> SQLScope {
        var scope = self
        let offset = columns.count
        scope.columns += right.columns
        scope.sources += right.sources.map {
            Source(qualifier: $0.qualifier, columns: ($0.columns.lowerBound + offset)..<($0.columns.upperBound + offset))
        }
        scope.hidden.formUnion(right.hidden.map { $0 + offset })
        scope.inputMetricCount = 0
        return scope
    }

    /// The positions `*` stands for, or `qualifier.*`.
    /// - Throws: `binding` for a qualifier no source in FROM has.
    func starPositions(_ qualifier: Identifier?, source: SQLSourceText) throws(StrataError) -> [Int] {
        guard let qualifier else {
            // `#` names are the planner's own (a subquery's joined columns).
            return (0..<(columns.count - inputMetricCount)).filter { !hidden.contains($0) && !columns[$0].name.hasPrefix("#") }
        }
        let matching = sources.filter { $0.qualifier?.lowercased() == qualifier.normalized }
        guard !matching.isEmpty else {
            throw source.error(.binding, "no table or alias named '\(qualifier.name)' in FROM", at: qualifier.range)
        }
        return matching.flatMap { Array($0.columns) }.filter {
            $0 < columns.count - inputMetricCount && columns[$0].name != TableSpec.hiddenTimeColumn
        }
    }

    /// A reference to the column at `position` (as `*` expands): its bare name when that names it alone, else
    /// qualified by its source.
    func reference(to position: Int, at range: SourceRange) -> ColumnReference {
        let name = columns[position].name
        let bare = ColumnReference(column: Identifier(name, range: range))
        let sameName = columns.indices.filter { !hidden.contains($0) && columns[$0].name.lowercased() == name.lowercased() }
        if sameName == [position] { return bare }
        guard let qualifier = sources.first(where: { $0.columns.contains(position) })?.qualifier else { return bare }
        return ColumnReference(table: Identifier(qualifier, range: range), column: Identifier(name, range: range))
    }

    /// The position of the column `reference` names.
    /// - Throws: `binding`, pointing at the name, with the closest column name when one is near.
    func resolve(_ reference: ColumnReference, source: SQLSourceText) throws(StrataError) -> Int {
        var candidates: [Int]
        if let table = reference.table {
            let matching = sources.filter { $0.qualifier?.lowercased() == table.normalized }
            guard !matching.isEmpty else {
                var message = "no table or alias named '\(table.name)' in FROM"
                if let suggestion = NameSuggestion.closest(to: table.name, among: qualifiers) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw source.error(.binding, message, at: table.range)
            }
            candidates = matching.flatMap { Array($0.columns) }
        } else {
            candidates = columns.indices.filter { !hidden.contains($0) }
        }
        // The stored time column of a table without time is no column of the user's.
        candidates.removeAll { columns[$0].name == TableSpec.hiddenTimeColumn }
        let wanted = reference.column.normalized
        let matches = candidates.filter { columns[$0].name.lowercased() == wanted }
        if matches.count > 1 {
            throw source.error(
                .binding, "column name '\(reference.column.name)' is ambiguous", at: reference.column.range)
        }
        guard let index = matches.first else {
            var message = "no column named '\(reference.column.name)'"
            if reference.table == nil, sources.count == 1, let table = qualifiers.first { message += " in '\(table)'" }
            if let table = reference.table { message += " in '\(table.name)'" }
            if let suggestion = NameSuggestion.closest(to: reference.column.name, among: candidates.map { columns[$0].name }) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw source.error(.binding, message, at: reference.column.range)
        }
        return index
    }
}
