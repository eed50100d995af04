import StrataCore

/// Encodes one block of a column's values (the part after the validity words) and computes its
/// zone map.
enum BlockEncoder {
    struct Encoded {
        var encoding: BlockEncoding
        var minBits: UInt64 = 0
        var maxBits: UInt64 = 0
        var hasRange = false
    }

    static func encode(_ values: ColumnData, rows: Range<Int>, into raw: inout [UInt8]) -> Encoded {
        switch values {
        case .int64(let v, let validity):
            return encodeIntegers(v, validity: validity, rows: rows, into: &raw)
        case .double(let v, let validity):
            var result = Encoded(encoding: .plain)
            var lo = Double.infinity
            var hi = -Double.infinity
            var sawNaN = false
            var sawValue = false
            for i in rows {
                let valid = validity?[i] ?? true
                let x = valid ? v[i] : 0
                withUnsafeBytes(of: x.bitPattern.littleEndian) { raw.append(contentsOf: $0) }
                guard valid else { continue }
                sawValue = true
                if x.isNaN {
                    sawNaN = true
                } else {
                    lo = min(lo, x)
                    hi = max(hi, x)
                }
            }
            // NaN sorts above every number in SQL engines; a block holding one cannot be range-pruned.
            if sawValue, !sawNaN {
                result.hasRange = true
                result.minBits = lo.bitPattern
                result.maxBits = hi.bitPattern
            }
            return result
        case .bool(let v, let validity):
            var result = Encoded(encoding: .bitPacked)
            var sawFalse = false
            var sawTrue = false
            BitPacking.pack(count: rows.count, width: 1, into: &raw) { k in
                let i = rows.lowerBound + k
                guard validity?[i] ?? true else { return 0 }
                if v[i] { sawTrue = true } else { sawFalse = true }
                return v[i] ? 1 : 0
            }
            if sawTrue || sawFalse {
                result.hasRange = true
                result.minBits = sawFalse ? 0 : 1
                result.maxBits = sawTrue ? 1 : 0
            }
            return result
        case .string(let dictionary, let codes, let validity):
            var result = Encoded(encoding: .frameOfReference)
            var lo = UInt32.max
            var hi = UInt32.min
            for i in rows where validity?[i] ?? true {
                lo = min(lo, codes[i])
                hi = max(hi, codes[i])
            }
            // Width from the block's largest code: clustered blocks use few codes, and table-wide
            // codes (an empty `dictionary` here) have no segment dictionary to size them.
            _ = dictionary
            let width = lo <= hi ? BitPacking.width(for: UInt64(hi)) : 0
            appendWord(0, to: &raw)
            appendWord(UInt64(width), to: &raw)
            BitPacking.pack(count: rows.count, width: width, into: &raw) { k in
                let i = rows.lowerBound + k
                return (validity?[i] ?? true) ? UInt64(codes[i]) : 0
            }
            if lo <= hi {
                result.hasRange = true
                result.minBits = UInt64(lo)
                result.maxBits = UInt64(hi)
            }
            return result
        case .sketch(let bytes, let offsets, let validity):
            for i in rows {
                let length = (validity?[i] ?? true) ? offsets[i + 1] - offsets[i] : 0
                withUnsafeBytes(of: UInt32(length).littleEndian) { raw.append(contentsOf: $0) }
            }
            for i in rows where validity?[i] ?? true { raw += bytes[offsets[i]..<offsets[i + 1]] }
            return Encoded(encoding: .sketches)
        }
    }

    /// Chooses the smallest of plain, frame-of-reference and delta encodings.
    static func encodeIntegers(_ v: [Int64], validity: Bitset?, rows: Range<Int>, into raw: inout [UInt8]) -> Encoded {
        // Null slots repeat the previous value so they cost nothing in either packed encoding.
        var filled = [Int64](repeating: 0, count: rows.count)
        var lo = Int64.max
        var hi = Int64.min
        var firstValid: Int64?
        for i in rows where validity?[i] ?? true {
            if firstValid == nil { firstValid = v[i] }
            lo = min(lo, v[i])
            hi = max(hi, v[i])
        }
        guard let firstValid else {
            appendWord(0, to: &raw)
            appendWord(0, to: &raw)
            return Encoded(encoding: .frameOfReference)
        }
        var previous = firstValid
        for (k, i) in rows.enumerated() {
            if validity?[i] ?? true { previous = v[i] }
            filled[k] = previous
        }
        var result = Encoded(
            encoding: .plain, minBits: UInt64(bitPattern: lo), maxBits: UInt64(bitPattern: hi), hasRange: true)
        let n = rows.count
        let forWidth = BitPacking.width(for: UInt64(bitPattern: hi &- lo))
        let forSize = 16 + BitPacking.byteCount(count: n, width: forWidth)
        var deltaSize = Int.max
        var minDelta = Int64.max
        var deltaWidth = 64
        if n >= 2 {
            var maxDelta = Int64.min
            var overflow = false
            for k in 1..<n {
                let (d, o) = filled[k].subtractingReportingOverflow(filled[k - 1])
                overflow = overflow || o
                minDelta = min(minDelta, d)
                maxDelta = max(maxDelta, d)
            }
            let (span, o) = maxDelta.subtractingReportingOverflow(minDelta)
            if !overflow, !o {
                deltaWidth = BitPacking.width(for: UInt64(span))
                deltaSize = 24 + BitPacking.byteCount(count: n - 1, width: deltaWidth)
            }
        }
        if deltaSize < forSize, deltaSize < 8 * n {
            result.encoding = .delta
            appendWord(UInt64(bitPattern: filled[0]), to: &raw)
            appendWord(UInt64(bitPattern: minDelta), to: &raw)
            appendWord(UInt64(deltaWidth), to: &raw)
            BitPacking.pack(count: n - 1, width: deltaWidth, into: &raw) { k in
                UInt64(bitPattern: filled[k + 1] &- filled[k] &- minDelta)
            }
        } else if forSize < 8 * n {
            result.encoding = .frameOfReference
            appendWord(UInt64(bitPattern: lo), to: &raw)
            appendWord(UInt64(forWidth), to: &raw)
            BitPacking.pack(count: n, width: forWidth, into: &raw) { k in UInt64(bitPattern: filled[k] &- lo) }
        } else {
            for x in filled { appendWord(UInt64(bitPattern: x), to: &raw) }
        }
        return result
    }

    @inline(__always)
    static func appendWord(_ word: UInt64, to raw: inout [UInt8]) {
        withUnsafeBytes(of: word.littleEndian) { raw.append(contentsOf: $0) }
    }
}
