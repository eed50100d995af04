import StrataCore

extension ColumnData {
    /// The rows of `parts` one after another, as one column.
    ///
    /// All parts must be of the same case. String parts may carry different dictionaries: the result
    /// holds one dictionary (in first-seen order, not sorted) and remapped codes; parts that share
    /// the dictionary of the part before them (blocks of one segment) are remapped once. When every
    /// part has an empty dictionary, the codes are table-wide codes (or the column is all null) and
    /// are kept as they are.
    /// - Complexity: O(total rows + total dictionary entries).
    public static func concatenate(_ parts: [ColumnData]) -> ColumnData {
        precondition(!parts.isEmpty, "concatenate needs at least one part")
        if parts.count == 1 { return parts[0] }
        let total = parts.reduce(0) { $0 + $1.count }
        let validity = concatenatedValidity(parts, total: total)
        switch parts[0] {
        case .int64:
            var out: [Int64] = []
            out.reserveCapacity(total)
            for case .int64(let v, _) in parts { out += v }
            precondition(out.count == total, "concatenated parts of different types")
            return .int64(out, validity: validity)
        case .double:
            var out: [Double] = []
            out.reserveCapacity(total)
            for case .double(let v, _) in parts { out += v }
            precondition(out.count == total, "concatenated parts of different types")
            return .double(out, validity: validity)
        case .bool:
            var out: [Bool] = []
            out.reserveCapacity(total)
            for case .bool(let v, _) in parts { out += v }
            precondition(out.count == total, "concatenated parts of different types")
            return .bool(out, validity: validity)
        case .string:
            if parts.allSatisfy({ if case .string(let d, _, _) = $0 { d.isEmpty } else { false } }) {
                var codes: [UInt32] = []
                codes.reserveCapacity(total)
                for case .string(_, let c, _) in parts { codes += c }
                return .string(dictionary: [], codes: codes, validity: validity)
            }
            var dictionary: [String] = []
            var positions: [String: UInt32] = [:]
            var codes: [UInt32] = []
            codes.reserveCapacity(total)
            var previous: [String]?
            var remap: [UInt32] = []
            for case .string(let d, let c, _) in parts {
                if previous == nil || previous! != d {
                    remap = d.map { value in
                        if let code = positions[value] { return code }
                        let code = UInt32(dictionary.count)
                        positions[value] = code
                        dictionary.append(value)
                        return code
                    }
                    previous = d
                }
                // Codes of null rows may be anything in range; map them like the others (or to 0).
                for code in c { codes.append(Int(code) < remap.count ? remap[Int(code)] : 0) }
            }
            precondition(codes.count == total, "concatenated parts of different types")
            return .string(dictionary: dictionary, codes: codes, validity: validity)
        case .sketch:
            var out = SketchColumnBuilder(capacity: total)
            for case .sketch(let bytes, let offsets, _) in parts {
                for i in 0..<(offsets.count - 1) { out.append(bytes[offsets[i]..<offsets[i + 1]]) }
            }
            precondition(out.count == total, "concatenated parts of different types")
            return out.finish(validity: validity)
        }
    }

    private static func concatenatedValidity(_ parts: [ColumnData], total: Int) -> Bitset? {
        guard parts.contains(where: { $0.validity != nil }) else { return nil }
        var out = Bitset(count: total, value: true)
        var offset = 0
        for part in parts {
            if let v = part.validity {
                for i in 0..<part.count where !v[i] { out[offset + i] = false }
            }
            offset += part.count
        }
        return out
    }
}
