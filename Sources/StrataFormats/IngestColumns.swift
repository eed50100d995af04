package import StrataCore

/// Column builders for one ingest call, in ``TableSpec/inputColumns`` order: values are parsed from
/// bytes straight into typed arrays (strings into a ``ByteStringTable``), nulls are kept as a list of
/// row numbers, and a bad row is undone by truncating every builder back to the last good row.
package struct IngestColumns {
    package enum Kind: Equatable {
        case timestamp, int64, double, bool, string
        /// A timestamp cut to its day (a DATE column): `1995-03-11`, or a date-time, whose day it keeps.
        case date
        /// Stored as int64 units of 10^-scale.
        case decimal(precision: Int, scale: Int)
    }

    let names: [String]
    package let kinds: [Kind]
    let nullable: [Bool]
    /// Index into the per-kind storage (`int64s` for timestamps and int64, …).
    package let slots: [Int]
    let timestampFormat: TimestampFormat
    /// The spec has a time column; without one, stored input gets the hidden always-zero time column
    /// (``TableSpec/storedInputColumns``) when the columns are finished.
    package let hasTime: Bool

    package var int64s: [[Int64]] = []
    package var doubles: [[Double]] = []
    package var bools: [[Bool]] = []
    package var strings: [ByteStringTable] = []
    /// Per column: the rows that are null, ascending.
    package var nulls: [[Int32]]
    /// Committed (complete, good) rows.
    package private(set) var rowCount = 0

    package init(spec: TableSpec) {
        var names: [String] = []
        var kinds: [Kind] = []
        var nullable: [Bool] = []
        var slots: [Int] = []
        for column in spec.inputColumns {
            names.append(column.name)
            nullable.append(column.nullable)
            switch column.type {
            case .timestamp, .date, .int64:
                kinds.append(column.type == .timestamp ? .timestamp : column.type == .date ? .date : .int64)
                slots.append(int64s.count)
                int64s.append([])
            case .decimal(let p, let s):
                kinds.append(.decimal(precision: p, scale: s))
                slots.append(int64s.count)
                int64s.append([])
            case .hugeint:
                // Specs reject HUGEINT columns; keep the builder total anyway.
                kinds.append(.int64)
                slots.append(int64s.count)
                int64s.append([])
            case .double:
                kinds.append(.double)
                slots.append(doubles.count)
                doubles.append([])
            case .bool:
                kinds.append(.bool)
                slots.append(bools.count)
                bools.append([])
            case .string:
                kinds.append(.string)
                slots.append(strings.count)
                strings.append(ByteStringTable())
            }
        }
        self.names = names
        self.kinds = kinds
        self.nullable = nullable
        self.slots = slots
        self.timestampFormat = spec.timestamp?.format ?? .auto
        self.hasTime = spec.hasTime
        self.nulls = Array(repeating: [], count: names.count)
    }

    package var columnCount: Int { kinds.count }

    package mutating func reserve(rows: Int) {
        for k in int64s.indices { int64s[k].reserveCapacity(rows) }
        for k in doubles.indices { doubles[k].reserveCapacity(rows) }
        for k in bools.indices { bools[k].reserveCapacity(rows) }
        for k in strings.indices { strings[k].codes.reserveCapacity(rows) }
    }

    /// Appends a text field to column `c` of the current row. An empty unquoted field is null.
    /// - Returns: `nil` on success, else the reason the field is bad (nothing appended).
    @inline(__always)
    mutating func appendText(_ c: Int, _ p: UnsafeRawBufferPointer, quoted: Bool) -> String? {
        let slot = slots[c]
        switch kinds[c] {
        case .string:
            if p.isEmpty && !quoted { return appendNull(c) }
            return strings[slot].append(p) ? nil : invalidUTF8(c, p)
        case .timestamp, .date:
            if p.isEmpty { return appendNull(c) }
            switch FieldParser.timestamp(p, format: timestampFormat) {
            case .success(let ms):
                int64s[slot].append(kinds[c] == .date ? Timestamp.dayStart(ms) : ms)
                return nil
            case .failure(let failure):
                return "column '\(names[c])': \(FieldParser.timestampReason(failure, format: timestampFormat)): "
                    + FieldParser.quote(p)
            }
        case .int64:
            if p.isEmpty { return appendNull(c) }
            guard let v = FieldParser.int64(p) else {
                return "column '\(names[c])': not an int64: \(FieldParser.quote(p))"
            }
            int64s[slot].append(v)
            return nil
        case .decimal(let precision, let scale):
            if p.isEmpty { return appendNull(c) }
            // Exact: the text's digits become units, rounding extra fraction digits half away from zero.
            guard let units = DecimalValue.parse(utf8: p, precision: precision, scale: scale),
                let v = Int64(exactly: units)
            else {
                return "column '\(names[c])': not a decimal(\(precision),\(scale)): \(FieldParser.quote(p))"
            }
            int64s[slot].append(v)
            return nil
        case .double:
            if p.isEmpty { return appendNull(c) }
            guard let v = FieldParser.double(p) else {
                return "column '\(names[c])': not a number: \(FieldParser.quote(p))"
            }
            doubles[slot].append(v)
            return nil
        case .bool:
            if p.isEmpty { return appendNull(c) }
            guard let v = FieldParser.bool(p) else {
                return "column '\(names[c])': not a boolean (expected true/false, t/f or 1/0): \(FieldParser.quote(p))"
            }
            bools[slot].append(v)
            return nil
        }
    }

    private func invalidUTF8(_ c: Int, _ p: UnsafeRawBufferPointer) -> String {
        let offset = UTF8Validation.firstInvalidOffset(p) ?? 0
        return "column '\(names[c])': invalid UTF-8 (byte \(offset + 1) of the field)"
    }

    /// Appends a null to column `c`; the reason if the column is not nullable.
    @inline(__always)
    mutating func appendNull(_ c: Int) -> String? {
        guard nullable[c] else { return "column '\(names[c])' is required but empty" }
        nulls[c].append(Int32(rowCount))
        let slot = slots[c]
        switch kinds[c] {
        case .timestamp, .date, .int64, .decimal: int64s[slot].append(0)
        case .double: doubles[slot].append(0)
        case .bool: bools[slot].append(false)
        case .string: strings[slot].codes.append(0)
        }
        return nil
    }

    @inline(__always)
    mutating func appendInt64(_ c: Int, _ v: Int64) { int64s[slots[c]].append(v) }
    @inline(__always)
    mutating func appendDouble(_ c: Int, _ v: Double) { doubles[slots[c]].append(v) }
    @inline(__always)
    mutating func appendBool(_ c: Int, _ v: Bool) { bools[slots[c]].append(v) }

    /// Marks the current row complete (every column got exactly one value).
    @inline(__always)
    mutating func commitRow() { rowCount += 1 }

    /// Drops the values appended since the last committed row.
    mutating func rollbackRow() {
        for c in 0..<columnCount {
            let slot = slots[c]
            switch kinds[c] {
            case .timestamp, .date, .int64, .decimal:
                if int64s[slot].count > rowCount { int64s[slot].removeLast(int64s[slot].count - rowCount) }
            case .double:
                if doubles[slot].count > rowCount { doubles[slot].removeLast(doubles[slot].count - rowCount) }
            case .bool:
                if bools[slot].count > rowCount { bools[slot].removeLast(bools[slot].count - rowCount) }
            case .string:
                let n = strings[slot].codes.count
                if n > rowCount { strings[slot].codes.removeLast(n - rowCount) }
            }
            while let last = nulls[c].last, Int(last) >= rowCount { nulls[c].removeLast() }
        }
    }

    /// Number of values column `c` holds (committed plus the current row's).
    func count(_ c: Int) -> Int {
        let slot = slots[c]
        switch kinds[c] {
        case .timestamp, .date, .int64, .decimal: return int64s[slot].count
        case .double: return doubles[slot].count
        case .bool: return bools[slot].count
        case .string: return strings[slot].codes.count
        }
    }

    /// Appends the committed rows of `other` (same spec), remapping string codes.
    mutating func append(contentsOf other: IngestColumns) {
        let base = rowCount
        for c in 0..<columnCount {
            let slot = slots[c]
            switch kinds[c] {
            case .timestamp, .date, .int64, .decimal: int64s[slot] += other.int64s[slot]
            case .double: doubles[slot] += other.doubles[slot]
            case .bool: bools[slot] += other.bools[slot]
            case .string:
                let source = other.strings[slot]
                var remap = [UInt32](repeating: 0, count: source.distinctCount)
                for code in 0..<source.distinctCount {
                    // Values were validated when first seen in `other`; interning again only copies.
                    remap[code] = source.withValue(code) { strings[slot].intern($0) } ?? 0
                }
                for code in source.codes { strings[slot].codes.append(remap[Int(code)]) }
            }
            nulls[c] += other.nulls[c].map { $0 + Int32(base) }
        }
        rowCount += other.rowCount
    }
}
