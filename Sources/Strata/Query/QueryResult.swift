public import StrataCore

/// The answer to a query: named, typed columns and rows of values.
public struct QueryResult: Sendable, Equatable {
    public struct Column: Sendable, Hashable {
        public var name: String
        /// The column's type; `nil` when every value is NULL and the type is unknown.
        public var type: DataType?

        public init(name: String, type: DataType?) {
            self.name = name
            self.type = type
        }
    }

    public var columns: [Column]
    public var rows: [[Value]]

    public init(columns: [Column], rows: [[Value]]) {
        self.columns = columns
        self.rows = rows
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// The value in `row` of the column named `name`.
    public func value(_ name: String, row: Int) -> Value? {
        columns.firstIndex { $0.name == name }.map { rows[row][$0] }
    }
}
