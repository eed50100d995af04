public import StrataCore

/// The rows a test handed to Strata (the batches it appended), kept apart from Strata's storage:
/// the reference evaluator reads these, never a scan of the table, so a row that storage loses or
/// a range that a catalog gets wrong shows up as a difference instead of vanishing from both sides.
public struct ReferenceTable: Sendable {
    public let spec: TableSpec
    /// Lowercased column names: the time column first (when the spec has one), then dimensions,
    /// then metrics — the input columns, not a rolled-up table's stored states.
    public let columns: [String]
    public private(set) var rows: [[Value]] = []

    public init(spec: TableSpec) {
        self.spec = spec
        columns = spec.inputColumns.map { $0.name.lowercased() }
    }

    public init(spec: TableSpec, batches: [ColumnBatch]) {
        self.init(spec: spec)
        for batch in batches { append(batch) }
    }

    /// Adds the rows of `batch` as Strata is asked to store them. A rolled-up table answers as if
    /// every input row had its time truncated to the rollup granularity; that truncation is done
    /// here, from the spec, by the reference's own calendar (``ReferenceCalendar``).
    public mutating func append(_ batch: ColumnBatch) {
        let vectors = columns.map { name in
            batch.names.firstIndex { $0.lowercased() == name }.map { batch.vectors[$0] }
        }
        let granularity = spec.rollup?.granularity
        for r in 0..<batch.rowCount {
            var row = vectors.map { $0?.value(at: r) ?? .null }
            if let granularity, spec.hasTime, case .timestamp(let t) = row[0] {
                row[0] = .timestamp(ReferenceCalendar.truncate(t, to: granularity))
            }
            rows.append(row)
        }
    }

    /// Adds typed rows (the form of ``Table/append(rows:)``; values already typed, timestamps as
    /// `.timestamp`).
    public mutating func append(rows input: [[String: Value]]) {
        for row in input {
            let lowered = Dictionary(row.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
            var values = columns.map { lowered[$0] ?? .null }
            if let granularity = spec.rollup?.granularity, spec.hasTime, case .timestamp(let t) = values[0] {
                values[0] = .timestamp(ReferenceCalendar.truncate(t, to: granularity))
            }
            rows.append(values)
        }
    }

    /// The position of a column, by case-insensitive name.
    public func index(of column: String) -> Int? { columns.firstIndex(of: column.lowercased()) }
}
