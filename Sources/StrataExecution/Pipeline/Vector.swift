package import StrataCore
import StrataStorage

/// A column of one batch: values of one SQL type in a typed buffer, with a validity bitmap.
///
/// The physical form follows the type: BOOLEAN in `bool`; BIGINT, TIMESTAMP and DATE (milliseconds at
/// midnight) and stored DECIMAL columns (units) in `int64`; DOUBLE in `double`; VARCHAR in `string` or,
/// straight from a segment, `dictionary` (codes into the segment's sorted dictionary, so that a function
/// of the column runs once per dictionary entry). HUGEINT and computed DECIMAL values, which only the
/// exact-arithmetic rules produce, are `boxed`. A constant is one value for every row.
package struct Vector: Sendable {
    indirect enum Storage: Sendable {
        case bool([Bool])
        case int64([Int64])
        case double([Double])
        case string([String])
        /// Row `i` is `entries[codes[i]]`; every code is below `entries.count` (the scan checks the codes it
        /// reads, and every kernel that makes codes keeps it), so kernels read entries by code unchecked.
        /// `id` names the dictionary within one query, so that a function of its entries is computed once and
        /// reused by every batch of the segment (`nil`: not cached); a negative `id` is a table-wide
        /// dictionary, whose codes mean the same strings in every segment.
        case dictionary(codes: [UInt32], entries: Vector, id: Int?)
        case boxed([Value])
        case constant(Value)
        /// Serialized sketches straight from a rolled-up table's `hll` or `quantile` column: row `i` is
        /// `bytes[offsets[r]..<offsets[r + 1]]` with `r = rows?[i] ?? i` (a gather only renumbers rows).
        /// Read as a value, a row is the sketch's one-line summary, as a scan shows it.
        case sketch(bytes: [UInt8], offsets: [Int], rows: [Int32]?)
    }

    var type: SQLValueType
    var storage: Storage
    /// Which rows hold a value (`nil`: all of them). Values at null rows are unspecified.
    var validity: Bitset?
    var count: Int

    init(type: SQLValueType, storage: Storage, validity: Bitset? = nil, count: Int) {
        self.type = type
        self.storage = storage
        self.validity = validity.flatMap { $0.isAllSet ? nil : $0 }
        self.count = count
    }

    static func constant(_ value: Value, type: SQLValueType, count: Int) -> Vector {
        Vector(type: type, storage: .constant(value), count: count)
    }

    @inline(__always)
    func isNull(_ row: Int) -> Bool {
        if let validity, !validity[row] { return true }
        switch storage {
        case .constant(let value): return value.isNull
        case .dictionary(let codes, let entries, _): return entries.isNull(Int(codes[row]))
        case .boxed(let values): return values[row].isNull
        default: return false
        }
    }

    /// Whether the vector is one value for every row.
    var isConstantStorage: Bool {
        if case .constant = storage { return true }
        return false
    }

    /// Whether some row is null (a quick check that lets kernels skip validity).
    var mayHaveNulls: Bool {
        if validity != nil { return true }
        switch storage {
        case .constant(let value): return value.isNull
        case .dictionary(_, let entries, _): return entries.mayHaveNulls
        case .boxed: return true
        default: return false
        }
    }

    /// The value at `row`, boxed as the row-at-a-time rules see it.
    func value(at row: Int) -> Value {
        if let validity, !validity[row] { return .null }
        switch storage {
        case .bool(let v): return .bool(v[row])
        case .int64(let v): return Self.box(v[row], type: type)
        case .double(let v): return .double(v[row])
        case .string(let v): return .string(v[row])
        case .dictionary(let codes, let entries, _): return entries.value(at: Int(codes[row]))
        case .boxed(let v): return v[row]
        case .constant(let value): return value
        case .sketch(let bytes, let offsets, let rows):
            let r = rows.map { Int($0[row]) } ?? row
            return .string(SketchSummary.describe(bytes[offsets[r]..<offsets[r + 1]]))
        }
    }

    /// An `int64` element of a vector of `type`, boxed: a TIMESTAMP or DATE, DECIMAL units, a HUGEINT or a BIGINT.
    static func box(_ x: Int64, type: SQLValueType) -> Value {
        switch type {
        case .timestamp, .date: .timestamp(x)
        case .decimal(let p, let s): .decimal(DecimalValue(unscaled: Int128(x), precision: p, scale: s))
        case .hugeint: .hugeint(Int128(x))
        default: .int64(x)
        }
    }

    /// The validity as a bitset over every row, folding in nulls of a dictionary's entries and of boxed
    /// or constant values (`nil`: no nulls).
    func nullMask() -> Bitset? {
        guard mayHaveNulls else { return nil }
        var bits = validity ?? Bitset(count: count, value: true)
        switch storage {
        case .constant(let value):
            if value.isNull { return Bitset(count: count, value: false) }
        case .dictionary(let codes, let entries, _):
            if let entryNulls = entries.nullMask() {
                for i in 0..<count where !entryNulls[Int(codes[i])] { bits[i] = false }
            }
        case .boxed(let values):
            for i in 0..<count where values[i].isNull { bits[i] = false }
        default: break
        }
        return bits.isAllSet ? nil : bits
    }

    /// The rows `rows` of this vector, in that order.
    func gather(_ rows: [Int32]) -> Vector {
        let validity = self.validity.map { v in
            var out = Bitset(count: rows.count, value: true)
            for (i, r) in rows.enumerated() where !v[Int(r)] { out[i] = false }
            return out
        }
        let storage: Storage
        switch self.storage {
        case .bool(let v): storage = .bool(Self.gathered(v, rows))
        case .int64(let v): storage = .int64(Self.gathered(v, rows))
        case .double(let v): storage = .double(Self.gathered(v, rows))
        case .string(let v): storage = .string(Self.gathered(v, rows))
        case .dictionary(let codes, let entries, let id):
            storage = .dictionary(codes: Self.gathered(codes, rows), entries: entries, id: id)
        case .boxed(let v): storage = .boxed(Self.gathered(v, rows))
        case .constant(let value): storage = .constant(value)
        case .sketch(let bytes, let offsets, let old):
            storage = .sketch(bytes: bytes, offsets: offsets, rows: old.map { Self.gathered($0, rows) } ?? rows)
        }
        return Vector(type: type, storage: storage, validity: validity, count: rows.count)
    }

    /// `values[rows[i]]` for each `i`: the selection's rows, which are in range (a filter made them from
    /// this batch), copied without a bounds check or closure per row.
    @inline(__always)
    static func gathered<T>(_ values: [T], _ rows: [Int32]) -> [T] {
        values.withUnsafeBufferPointer { source in
            rows.withUnsafeBufferPointer { rows in
                [T](unsafeUninitializedCapacity: rows.count) { out, initialized in
                    guard let base = out.baseAddress, let from = source.baseAddress else { return }
                    for i in 0..<rows.count { (base + i).initialize(to: from[Int(rows[i])]) }
                    initialized = rows.count
                }
            }
        }
    }

    /// `table[codes[i]]` for each `i`: a value per entry of a dictionary vector, by its codes (which are in
    /// range: see ``Storage/dictionary(codes:entries:id:)``), copied without checks.
    static func looked<T>(_ table: [T], _ codes: [UInt32]) -> [T] {
        assert(codes.allSatisfy { Int($0) < table.count })
        return table.withUnsafeBufferPointer { source in
            codes.withUnsafeBufferPointer { codes in
                [T](unsafeUninitializedCapacity: codes.count) { out, initialized in
                    guard let base = out.baseAddress, let from = source.baseAddress else { return }
                    for i in 0..<codes.count { (base + i).initialize(to: from[Int(codes[i])]) }
                    initialized = codes.count
                }
            }
        }
    }

    /// The largest of `codes` (0 when empty), in one vectorizable pass.
    static func largest(_ codes: [UInt32]) -> UInt32 {
        codes.withUnsafeBufferPointer { codes in
            var top: UInt32 = 0
            for c in codes { top = Swift.max(top, c) }
            return top
        }
    }

    /// A vector of `type` holding `values` (the boxed results of a row-at-a-time evaluation), typed when the
    /// values allow it.
    static func from(_ values: [Value], type: SQLValueType) -> Vector {
        let n = values.count
        var validity = Bitset(count: n, value: true)
        var anyNull = false
        for i in 0..<n where values[i].isNull {
            validity[i] = false
            anyNull = true
        }
        let bits = anyNull ? validity : nil
        switch type {
        case .boolean:
            if values.allSatisfy({ if case .bool = $0 { true } else { $0.isNull } }) {
                return Vector(
                    type: type, storage: .bool(values.map { if case .bool(let b) = $0 { b } else { false } }),
                    validity: bits, count: n)
            }
        case .bigint:
            if values.allSatisfy({ if case .int64 = $0 { true } else { $0.isNull } }) {
                return Vector(
                    type: type, storage: .int64(values.map { if case .int64(let x) = $0 { x } else { 0 } }),
                    validity: bits, count: n)
            }
        case .timestamp, .date:
            if values.allSatisfy({ if case .timestamp = $0 { true } else { $0.isNull } }) {
                return Vector(
                    type: type, storage: .int64(values.map { if case .timestamp(let x) = $0 { x } else { 0 } }),
                    validity: bits, count: n)
            }
        case .decimal(let p, let s):
            // Units of the type's scale, as a stored DECIMAL column holds them.
            func units(_ v: Value) -> Int64? {
                guard case .decimal(let d) = v, d.precision == p, d.scale == s else { return nil }
                return Int64(exactly: d.unscaled)
            }
            if values.allSatisfy({ units($0) != nil || $0.isNull }) {
                return Vector(type: type, storage: .int64(values.map { units($0) ?? 0 }), validity: bits, count: n)
            }
        case .double:
            if values.allSatisfy({ if case .double = $0 { true } else { $0.isNull } }) {
                return Vector(
                    type: type, storage: .double(values.map { if case .double(let x) = $0 { x } else { 0 } }),
                    validity: bits, count: n)
            }
        case .varchar:
            if values.allSatisfy({ if case .string = $0 { true } else { $0.isNull } }) {
                return Vector(
                    type: type, storage: .string(values.map { if case .string(let s) = $0 { s } else { "" } }),
                    validity: bits, count: n)
            }
        default: break
        }
        return Vector(type: type, storage: .boxed(values), count: n)
    }
}

/// Typed views of a scan's column vectors, for operators outside this module that read them in place
/// (experiment analysis sums per unit over the rows a ``VectorExpression`` selects).
extension Vector {
    /// Which rows hold a value (`nil`: all of them).
    package var rowValidity: Bitset? { validity }

    /// The values of an `int64` vector (BIGINT, TIMESTAMP, DATE, or a stored DECIMAL's units); `nil` for
    /// any other storage.
    package var int64Values: [Int64]? {
        if case .int64(let values) = storage { return values }
        return nil
    }

    /// The values of a DOUBLE vector; `nil` for any other storage.
    package var doubleValues: [Double]? {
        if case .double(let values) = storage { return values }
        return nil
    }

    /// The codes of a string column straight from a segment: indexes into the segment's dictionary of the
    /// column (``SegmentReader/dictionary(column:)``), or the table dictionary; `nil` for any other storage.
    package var dictionaryCodes: [UInt32]? {
        if case .dictionary(let codes, _, _) = storage { return codes }
        return nil
    }
}

/// Rows of a pipeline in columns of equal length.
package struct Batch: Sendable {
    package var columns: [Vector]
    package var count: Int
    /// Where the rows come in the scan's input order: the segment (index in the snapshot) a scan read them
    /// from, or, when workers split each segment's blocks, the segment's run the worker read (segment ×
    /// workers + worker: ``SegmentScan``); 0 for rows not from a scan. Operators that put workers' batches back
    /// in input order (Sort, Window, TopN) order tied rows by it, as a single scan would.
    package var segment = 0
    /// The rows that are the batch's, when not all are (ascending). Only a scan asked to keep its WHERE's
    /// selection sets it (``SegmentScan/keepsSelection``), and only for a hash aggregate, which reads the
    /// selected rows in place instead of copying every column's: the one consumer that understands it.
    package var selection: [Int32]?

    /// The number of rows the batch holds: its selection's, when it has one.
    package var liveCount: Int { selection?.count ?? count }

    /// The rows `rows` of every column, in that order.
    func gather(_ rows: [Int32]) -> Batch {
        Batch(columns: columns.map { $0.gather(rows) }, count: rows.count, segment: segment)
    }

    /// Row `row`, boxed.
    package func row(_ row: Int) -> [Value] { columns.map { $0.value(at: row) } }
}

extension Batch {
    /// Rows of values as a batch, each column typed when its values allow it.
    package init(rows: ArraySlice<[Value]>, types: [SQLValueType]) {
        self.init(
            columns: types.enumerated().map { c, type in Vector.from(rows.map { $0[c] }, type: type) },
            count: rows.count)
    }
}
