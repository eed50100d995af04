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

    var columns: [Column]
    /// The names that may qualify a column: the alias, or the table name when there is none.
    var qualifiers: [String]
    /// Trailing columns that only aggregates can read: the input metrics of a rolled-up table, which
    /// are answered from its stored states. `*` leaves them out.
    var inputMetricCount = 0

    /// The columns `*` stands for.
    var starColumns: ArraySlice<Column> { columns.dropLast(inputMetricCount) }

    static let empty = SQLScope(columns: [], qualifiers: [])

    /// The position of the column `reference` names.
    /// - Throws: `binding`, pointing at the name, with the closest column name when one is near.
    func resolve(_ reference: ColumnReference, source: SQLSourceText) throws(StrataError) -> Int {
        if let table = reference.table, !qualifiers.contains(where: { $0.lowercased() == table.normalized }) {
            var message = "no table or alias named '\(table.name)' in FROM"
            if let suggestion = NameSuggestion.closest(to: table.name, among: qualifiers) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw source.error(.binding, message, at: table.range)
        }
        let wanted = reference.column.normalized
        let matches = columns.indices.filter { columns[$0].name.lowercased() == wanted }
        if matches.count > 1 {
            throw source.error(
                .binding, "column name '\(reference.column.name)' is ambiguous", at: reference.column.range)
        }
        guard let index = matches.first else {
            var message = "no column named '\(reference.column.name)'"
            if let table = qualifiers.first { message += " in '\(table)'" }
            if let suggestion = NameSuggestion.closest(to: reference.column.name, among: columns.map(\.name)) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw source.error(.binding, message, at: reference.column.range)
        }
        return index
    }
}
