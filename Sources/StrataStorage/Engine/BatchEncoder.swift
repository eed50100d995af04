import StrataCore

/// Checks a columnar batch against a table spec and converts it into stored-input columns
/// (``TableSpec/storedInputColumns``).
enum BatchEncoder {
    static func encode(_ batch: ColumnBatch, spec: TableSpec) throws(StrataError) -> [ColumnData] {
        let rowCount = batch.rowCount
        for (name, vector) in zip(batch.names, batch.vectors) {
            guard spec.inputColumns.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw StrataError(.ingest, "column '\(name)' is not in table '\(spec.name)'")
            }
            guard vector.count == rowCount else {
                throw StrataError(.ingest, "column '\(name)' has \(vector.count) rows, expected \(rowCount)")
            }
        }
        var out: [ColumnData] = []
        for column in spec.inputColumns {
            guard let index = batch.names.firstIndex(where: { $0.lowercased() == column.name.lowercased() }) else {
                throw StrataError(.ingest, "column '\(column.name)' is missing")
            }
            let vector = batch.vectors[index]
            if !column.nullable, let validity = vector.validity,
                let row = (0..<rowCount).first(where: { !validity[$0] })
            {
                throw StrataError(.ingest, "row \(row + 1): column '\(column.name)' is null but not nullable")
            }
            out.append(try convert(vector, to: column.type, name: column.name))
        }
        // Every timestamp column, not only the time axis: queries format, truncate and bucket them with
        // calendar arithmetic that holds for the years 0001-9999 only.
        for (c, column) in spec.inputColumns.enumerated() where column.type.physical == .timestamp {
            guard case .int64(let times, let validity) = out[c],
                let row = times.indices.first(where: { r in
                    (times[r] < Timestamp.minimum || times[r] > Timestamp.maximum) && validity.map { $0[r] } ?? true
                })
            else { continue }
            let what = c == 0 && spec.hasTime ? "timestamp" : "column '\(column.name)': timestamp"
            throw StrataError(.ingest, "row \(row + 1): \(what) \(times[row]) is out of range (years 0001-9999)")
        }
        // A table without time stores its hidden time column as zeros (``TableSpec/storedInputColumns``).
        return spec.hasTime ? out : [.int64(Array(repeating: 0, count: rowCount), validity: nil)] + out
    }

    private static func convert(_ vector: ColumnVector, to type: DataType, name: String) throws(StrataError)
        -> ColumnData
    {
        switch (vector.values, type) {
        case (.int64(let v), .int64), (.timestamp(let v), .timestamp), (.int64(let v), .timestamp):
            return .int64(v, validity: vector.validity)
        case (.timestamp(let v), .date), (.int64(let v), .date):
            // A DATE keeps the day of each instant (its midnight), as casting a TIMESTAMP to DATE does.
            return .int64(v.map(Timestamp.dayStart), validity: vector.validity)
        case (.double(let v), .double):
            return .double(v, validity: vector.validity)
        case (.int64(let v), .double):
            return .double(v.map { Double($0) }, validity: vector.validity)
        case (.bool(let v), .bool):
            return .bool(v, validity: vector.validity)
        case (.int64(let v), .decimal(let p, _)):
            // An int64 vector holds a decimal column's units of 10^-scale, as stored (row appends convert
            // their values to units first).
            if let i = v.indices.first(where: { !vector.isNull($0) && !DecimalValue.fits(Int128(v[$0]), precision: p) })
            {
                throw StrataError(.type, "row \(i + 1): column '\(name)' units \(v[i]) do not fit \(type)")
            }
            return .int64(v, validity: vector.validity)
        case (_, .decimal(let p, let scale)):
            // Doubles (to the nearest unit) or exact text, as int64 units of 10^-scale.
            var units = [Int64](repeating: 0, count: vector.count)
            for i in 0..<vector.count where !vector.isNull(i) {
                let value = vector.value(at: i)
                guard !(value.dataType == .bool || value.dataType == .timestamp),
                    let x = DecimalValue.storedUnits(value, precision: p, scale: scale)
                else {
                    throw StrataError(.type, "row \(i + 1): column '\(name)' expects \(type), got '\(value)'")
                }
                units[i] = x
            }
            return .int64(units, validity: vector.validity)
        case (.string(let v), .string):
            var codes: [String: UInt32] = [:]
            var dictionary: [String] = []
            var out = [UInt32](repeating: 0, count: v.count)
            for (i, s) in v.enumerated() where !vector.isNull(i) {
                if let code = codes[s] {
                    out[i] = code
                } else {
                    let code = UInt32(dictionary.count)
                    codes[s] = code
                    dictionary.append(s)
                    out[i] = code
                }
            }
            return .string(dictionary: dictionary, codes: out, validity: vector.validity)
        default:
            throw StrataError(.type, "column '\(name)' has type \(vector.dataType), expected \(type)")
        }
    }

    /// Builds a batch from row dictionaries.
    static func batch(fromRows rows: [[String: Value]], spec: TableSpec) throws(StrataError) -> ColumnBatch {
        var batch = ColumnBatch()
        let known = Set(spec.inputColumns.map { $0.name.lowercased() })
        for (i, row) in rows.enumerated() {
            for key in row.keys where !known.contains(key.lowercased()) {
                throw StrataError(.ingest, "row \(i + 1): column '\(key)' is not in table '\(spec.name)'")
            }
        }
        for column in spec.inputColumns {
            func cell(_ i: Int) -> Value { rows[i][column.name] ?? .null }
            var validity = Bitset(count: rows.count, value: true)
            var bad: (Int, Value)?
            let values: ColumnVector.Values
            switch column.type {
            case .timestamp, .date, .int64:
                values = .int64(
                    rows.indices.map { i in
                        switch cell(i) {
                        case .int64(let v), .timestamp(let v):
                            return column.type == .date ? Timestamp.dayStart(v) : v
                        case .string(let s) where column.type != .int64:
                            if case .success(let ms) = Timestamp.parse(s) {
                                return column.type == .date ? Timestamp.dayStart(ms) : ms
                            }
                            bad = bad ?? (i, cell(i))
                        case .null: validity[i] = false
                        default: bad = bad ?? (i, cell(i))
                        }
                        return 0
                    })
            case .double:
                values = .double(
                    rows.indices.map { i in
                        switch cell(i) {
                        case .double(let v): return v
                        case .int64(let v): return Double(v)
                        case .null: validity[i] = false
                        default: bad = bad ?? (i, cell(i))
                        }
                        return 0
                    })
            case .decimal(let p, let scale):
                values = .int64(
                    rows.indices.map { i in
                        let value = cell(i)
                        if value.isNull {
                            validity[i] = false
                        } else if value.dataType != .bool, value.dataType != .timestamp,
                            let x = DecimalValue.storedUnits(value, precision: p, scale: scale)
                        {
                            return x
                        } else {
                            bad = bad ?? (i, value)
                        }
                        return 0
                    })
            case .hugeint:
                throw StrataError(.schema, "column '\(column.name)': HUGEINT columns are not supported")
            case .bool:
                values = .bool(
                    rows.indices.map { i in
                        switch cell(i) {
                        case .bool(let v): return v
                        case .null: validity[i] = false
                        default: bad = bad ?? (i, cell(i))
                        }
                        return false
                    })
            case .string:
                values = .string(
                    rows.indices.map { i in
                        switch cell(i) {
                        case .string(let v): return v
                        case .null: validity[i] = false
                        default: bad = bad ?? (i, cell(i))
                        }
                        return ""
                    })
            }
            if let (row, value) = bad {
                throw StrataError(
                    .type,
                    "row \(row + 1): column '\(column.name)' expects \(column.type), got \(value.dataType?.rawValue ?? "null") '\(value)'"
                )
            }
            batch.append(column: column.name, ColumnVector(values, validity: validity.isAllSet ? nil : validity))
        }
        return batch
    }
}
