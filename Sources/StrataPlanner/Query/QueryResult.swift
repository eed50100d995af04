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
    /// What the query read and skipped, and its phase times.
    public var stats: QueryStats

    public init(columns: [Column], rows: [[Value]], stats: QueryStats = QueryStats()) {
        self.columns = columns
        self.rows = rows
        self.stats = stats
    }

    /// Results are equal when their columns and rows are; work counters and times do not count.
    public static func == (lhs: QueryResult, rhs: QueryResult) -> Bool {
        lhs.columns == rhs.columns && lhs.rows == rhs.rows
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// The value in `row` of the column named `name`.
    public func value(_ name: String, row: Int) -> Value? {
        columns.firstIndex { $0.name == name }.map { rows[row][$0] }
    }
}
