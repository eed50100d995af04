package import StrataCore

extension TableSpec {
    /// The position of the column `name` names, case-insensitively, among `columns` (default: the stored
    /// columns' names).
    /// - Throws: `binding`, naming the table and the closest column name.
    package func position(of name: String, among columns: [String]? = nil) throws(StrataError) -> Int {
        let names = columns ?? storedColumns.map(\.name)
        // The hidden time column of a table without time is no column of the user's.
        if let p = names.firstIndex(where: { $0.lowercased() == name.lowercased() && $0 != Self.hiddenTimeColumn }) {
            return p
        }
        throw unknownColumn(name, among: names)
    }

    /// The error for a column name no column has, with the closest of `names`.
    package func unknownColumn(_ name: String, among names: [String]? = nil) -> StrataError {
        var message = "no column '\(name)' in table '\(self.name)'"
        if let s = NameSuggestion.closest(to: name, among: names ?? visibleColumns.map(\.name)) {
            message += "; did you mean '\(s)'?"
        }
        return StrataError(.binding, message)
    }

    /// The position of the stored column `name` names, which must hold values (not a rollup's sketches):
    /// filters, group keys and scans read these.
    func valueColumn(_ name: String) throws(StrataError) -> Int {
        let p = try position(of: name)
        if storedColumns[p].isSketch { throw storedColumns[p].sketchMisuse }
        return p
    }
}
