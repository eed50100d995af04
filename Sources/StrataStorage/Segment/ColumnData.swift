public import StrataCore

/// The values of one stored column, row aligned with the other columns of a segment being built.
public enum ColumnData: Sendable, Equatable {
    case int64([Int64], validity: Bitset?)
    case double([Double], validity: Bitset?)
    case bool([Bool], validity: Bitset?)
    /// Codes into `dictionary`. For segment writing the dictionary must be sorted by UTF-8 bytes and
    /// hold no duplicates; ``sortedDictionary()`` makes it so.
    case string(dictionary: [String], codes: [UInt32], validity: Bitset?)
    /// Serialized sketches, one per row (the states of ``StoredColumn/isSketch`` columns): row `i` is
    /// `bytes[offsets[i]..<offsets[i + 1]]`; `offsets` has one entry more than there are rows.
    case sketch(bytes: [UInt8], offsets: [Int], validity: Bitset?)

    public var count: Int {
        switch self {
        case .int64(let v, _): v.count
        case .double(let v, _): v.count
        case .bool(let v, _): v.count
        case .string(_, let codes, _): codes.count
        case .sketch(_, let offsets, _): offsets.count - 1
        }
    }

    public var validity: Bitset? {
        switch self {
        case .int64(_, let v), .double(_, let v), .bool(_, let v), .string(_, _, let v), .sketch(_, _, let v): v
        }
    }

    public func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }

    /// The value at `row`, boxed. `type` tells int64 from timestamp and decimal units.
    public func value(at row: Int, type: DataType) -> Value {
        if isNull(row) { return .null }
        switch self {
        case .int64(let v, _):
            switch type {
            case .timestamp: return .timestamp(v[row])
            case .decimal(let p, let s): return .decimal(DecimalValue(unscaled: Int128(v[row]), precision: p, scale: s))
            default: return .int64(v[row])
            }
        case .double(let v, _): return .double(v[row])
        case .bool(let v, _): return .bool(v[row])
        case .string(let dictionary, let codes, _): return .string(dictionary[Int(codes[row])])
        case .sketch(let bytes, let offsets, _):
            return .string(SketchSummary.describe(bytes[offsets[row]..<offsets[row + 1]]))
        }
    }

    /// Reorders rows: row `i` of the result is row `permutation[i]` of `self`.
    public func permuted(_ permutation: [Int32]) -> ColumnData {
        func validity(_ v: Bitset?) -> Bitset? {
            guard let v else { return nil }
            var out = Bitset(count: permutation.count, value: true)
            for (i, p) in permutation.enumerated() where !v[Int(p)] { out[i] = false }
            return out
        }
        switch self {
        case .int64(let v, let n): return .int64(permutation.map { v[Int($0)] }, validity: validity(n))
        case .double(let v, let n): return .double(permutation.map { v[Int($0)] }, validity: validity(n))
        case .bool(let v, let n): return .bool(permutation.map { v[Int($0)] }, validity: validity(n))
        case .string(let d, let c, let n):
            return .string(dictionary: d, codes: permutation.map { c[Int($0)] }, validity: validity(n))
        case .sketch(let bytes, let offsets, let n):
            var out = SketchColumnBuilder(capacity: permutation.count)
            for p in permutation { out.append(bytes[offsets[Int(p)]..<offsets[Int(p) + 1]]) }
            return out.finish(validity: validity(n))
        }
    }

    /// For string data: the same values over a dictionary sorted by UTF-8 bytes, with unused and
    /// duplicate entries removed. Other cases are returned unchanged.
    public func sortedDictionary() -> ColumnData {
        guard case .string(let dictionary, let codes, let validity) = self else { return self }
        var used = [Bool](repeating: false, count: dictionary.count)
        for (i, c) in codes.enumerated() where validity?[i] ?? true { used[Int(c)] = true }
        let order = dictionary.indices.filter { used[$0] }.sorted {
            StringOrder.less(dictionary[$0], dictionary[$1])
        }
        var remap = [UInt32](repeating: 0, count: dictionary.count)
        var sorted: [String] = []
        sorted.reserveCapacity(order.count)
        for old in order {
            if let last = sorted.last, last == dictionary[old] {
                remap[old] = UInt32(sorted.count - 1)
            } else {
                remap[old] = UInt32(sorted.count)
                sorted.append(dictionary[old])
            }
        }
        let newCodes = codes.enumerated().map { i, c in (validity?[i] ?? true) ? remap[Int(c)] : 0 }
        return .string(dictionary: sorted, codes: newCodes, validity: validity)
    }
}

/// Strata orders strings by their UTF-8 bytes (binary collation, as DuckDB by default), which is
/// Unicode code point order.
public enum StringOrder {
    @inlinable
    public static func less(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in compare(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) < 0 } }
    }

    /// memcmp-style comparison of two byte strings.
    @inlinable
    public static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
