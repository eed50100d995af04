public import StrataCore

extension QueryResult: RandomAccessCollection {
    /// One row of a result, with typed access by column name or position.
    public struct Row: Sendable, Hashable {
        public let values: [Value]
        let names: [String]

        /// The value of the column named `name` (case-insensitive), or `nil` for an unknown column.
        public subscript(_ name: String) -> Value? {
            let lowered = name.lowercased()
            return names.firstIndex { $0.lowercased() == lowered }.map { values[$0] }
        }

        public subscript(_ position: Int) -> Value { values[position] }

        /// An integer column's value; `nil` for NULL, another type, an unknown column or a HUGEINT (such as
        /// a SQL `sum`) beyond 64 bits.
        public func int64(_ name: String) -> Int64? {
            switch self[name] {
            case .int64(let v)?: v
            case .hugeint(let v)?: Int64(exactly: v)
            default: nil
            }
        }

        /// An integer column's value in 128 bits (BIGINT or HUGEINT).
        public func int128(_ name: String) -> Int128? {
            switch self[name] {
            case .int64(let v)?: Int128(v)
            case .hugeint(let v)?: v
            default: nil
            }
        }

        /// A DECIMAL column's exact value.
        public func decimal(_ name: String) -> DecimalValue? {
            if case .decimal(let v)? = self[name] { return v }
            return nil
        }

        /// A numeric column's value as a double (integers and timestamps convert); `nil` for NULL.
        public func double(_ name: String) -> Double? { self[name]?.doubleValue }

        public func string(_ name: String) -> String? {
            if case .string(let v)? = self[name] { return v }
            return nil
        }

        public func bool(_ name: String) -> Bool? {
            if case .bool(let v)? = self[name] { return v }
            return nil
        }

        /// A timestamp column's value in epoch milliseconds.
        public func timestamp(_ name: String) -> Int64? {
            if case .timestamp(let v)? = self[name] { return v }
            return nil
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows.count }

    /// Row `position`, with typed accessors: `for row in result { row.string("variant") }`.
    public subscript(position: Int) -> Row { Row(values: rows[position], names: columnNames) }

    /// Every value of the column named `name`, top to bottom (`nil` for an unknown column).
    public func column(_ name: String) -> [Value]? {
        let lowered = name.lowercased()
        guard let p = columns.firstIndex(where: { $0.name.lowercased() == lowered }) else { return nil }
        return rows.map { $0[p] }
    }
}
