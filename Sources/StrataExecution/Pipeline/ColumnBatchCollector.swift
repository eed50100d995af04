package import StrataCore

/// Collects a query's batches into one ``ColumnBatch`` for a table's append path (`INSERT`,
/// `CREATE TABLE … AS`): each batch column already has its table column's SQL type (the planner casts to
/// it), and is copied a typed buffer at a time; only constant and boxed vectors go value by value.
package struct ColumnBatchCollector {
    private enum Buffer {
        case int64([Int64])
        case double([Double])
        case bool([Bool])
        case string([String])
    }

    private let names: [String]
    private let types: [SQLValueType]
    private var buffers: [Buffer]
    /// Per column, which rows hold a value; `nil` until the column's first null.
    private var validity: [Bitset?]
    /// The rows collected so far.
    package private(set) var count = 0

    /// - Parameters:
    ///   - names: The table's column names, in the order the batches hold them.
    ///   - types: Their SQL types: BOOLEAN, BIGINT, DOUBLE, VARCHAR, TIMESTAMP, DATE or DECIMAL.
    package init(names: [String], types: [SQLValueType]) {
        self.names = names
        self.types = types
        buffers = types.map { type in
            switch type {
            case .boolean: .bool([])
            case .double: .double([])
            case .varchar: .string([])
            default: .int64([])
            }
        }
        validity = Array(repeating: nil, count: types.count)
    }

    /// Adds the rows of `batch`, whose columns are the collector's, in order.
    /// - Throws: `type` for a value that does not fit its column (a DECIMAL beyond 18 digits).
    package mutating func append(_ batch: Batch) throws(StrataError) {
        let rows: [Int32]? = batch.selection
        for c in names.indices {
            var vector = batch.columns[c]
            if let rows { vector = vector.gather(rows) }
            try append(vector, column: c)
        }
        count += rows?.count ?? batch.count
    }

    private mutating func append(_ vector: Vector, column c: Int) throws(StrataError) {
        let n = vector.count
        let nulls = vector.nullMask()
        if let nulls {
            var bits = validity[c] ?? Bitset(count: count, value: true)
            for i in 0..<n { bits.append(nulls[i]) }
            validity[c] = bits
        } else if validity[c] != nil {
            for _ in 0..<n { validity[c]?.append(true) }
        }
        func isNull(_ i: Int) -> Bool { nulls.map { !$0[i] } ?? false }
        switch buffers[c] {
        case .int64(var values):
            buffers[c] = .bool([])  // drops the reference so the append below does not copy
            if case .int64(let v) = vector.storage, !types[c].isDecimal || vector.type == types[c] {
                values.append(contentsOf: v)
            } else {
                for i in 0..<n {
                    guard !isNull(i) else {
                        values.append(0)
                        continue
                    }
                    let value = vector.value(at: i)
                    switch (value, types[c]) {
                    case (.decimal, .decimal(let p, let s)):
                        guard let units = DecimalValue.storedUnits(value, precision: p, scale: s) else {
                            throw StrataError(.type, "column '\(names[c])': \(value) does not fit \(types[c])")
                        }
                        values.append(units)
                    case (.int64(let x), _), (.timestamp(let x), _): values.append(x)
                    default:
                        throw StrataError(.type, "column '\(names[c])' expects \(types[c]), got '\(value)'")
                    }
                }
            }
            buffers[c] = .int64(values)
        case .double(var values):
            buffers[c] = .bool([])
            if case .double(let v) = vector.storage {
                values.append(contentsOf: v)
            } else {
                for i in 0..<n {
                    switch isNull(i) ? .null : vector.value(at: i) {
                    case .double(let x): values.append(x)
                    case .int64(let x): values.append(Double(x))
                    default: values.append(0)
                    }
                }
            }
            buffers[c] = .double(values)
        case .bool(var values):
            buffers[c] = .int64([])
            if case .bool(let v) = vector.storage {
                values.append(contentsOf: v)
            } else {
                for i in 0..<n {
                    if case .bool(let b) = isNull(i) ? .null : vector.value(at: i) {
                        values.append(b)
                    } else {
                        values.append(false)
                    }
                }
            }
            buffers[c] = .bool(values)
        case .string(var values):
            buffers[c] = .bool([])
            if case .string(let v) = vector.storage {
                values.append(contentsOf: v)
            } else if case .dictionary(let codes, let entries, _) = vector.storage,
                case .string(let strings) = entries.storage
            {
                // Null entries hold some string; the validity above marks their rows.
                values.append(contentsOf: Vector.looked(strings, codes))
            } else {
                for i in 0..<n {
                    if case .string(let s) = isNull(i) ? .null : vector.value(at: i) {
                        values.append(s)
                    } else {
                        values.append("")
                    }
                }
            }
            buffers[c] = .string(values)
        }
    }

    /// The rows collected, as a batch named by the table's columns.
    package func batch() -> ColumnBatch {
        var batch = ColumnBatch()
        for c in names.indices {
            let values: ColumnVector.Values
            switch buffers[c] {
            case .int64(let v): values = types[c] == .timestamp || types[c] == .date ? .timestamp(v) : .int64(v)
            case .double(let v): values = .double(v)
            case .bool(let v): values = .bool(v)
            case .string(let v): values = .string(v)
            }
            batch.append(column: names[c], ColumnVector(values, validity: validity[c]))
        }
        return batch
    }
}
