import StrataStorage

/// The keys (unit ids) of an experiment's units, sorted by UTF-8 bytes like every segment
/// dictionary, so that a segment's dictionary codes map to unit numbers by one sorted merge instead
/// of a hash lookup per code.
struct UnitKeys: Sendable {
    /// The keys' bytes, concatenated in unit order.
    let bytes: [UInt8]
    /// `count + 1` offsets into ``bytes``.
    let offsets: [Int]

    var count: Int { offsets.count - 1 }

    /// Sorts `keys` by bytes; unit `i` of the result is `keys[order[i]]`.
    ///
    /// - Returns: The keys and, for each input position, its unit number.
    static func sorted(_ keys: [String]) -> (keys: UnitKeys, unitOfInput: [Int32]) {
        let utf8 = keys.map { Array($0.utf8) }
        let order = utf8.indices.sorted { a, b in
            utf8[a].withUnsafeBytes { x in utf8[b].withUnsafeBytes { y in StringOrder.compare(x, y) < 0 } }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.reduce(0) { $0 + $1.count })
        var offsets = [0]
        offsets.reserveCapacity(keys.count + 1)
        var unitOfInput = [Int32](repeating: -1, count: keys.count)
        for (unit, index) in order.enumerated() {
            bytes.append(contentsOf: utf8[index])
            offsets.append(bytes.count)
            unitOfInput[index] = Int32(unit)
        }
        return (UnitKeys(bytes: bytes, offsets: offsets), unitOfInput)
    }

    /// The key of unit `unit`.
    func key(_ unit: Int) -> String {
        String(decoding: bytes[offsets[unit]..<offsets[unit + 1]], as: UTF8.self)
    }

    /// For every code of a segment dictionary, its unit number, or -1 when it is not a unit.
    ///
    /// - Complexity: O(dictionary count + unit count) byte-string comparisons.
    func codeMap(_ dictionary: StringDictionary) -> [Int32] {
        var map = [Int32](repeating: -1, count: dictionary.count)
        guard count > 0, dictionary.count > 0 else { return map }
        map.withUnsafeMutableBufferPointer { out in
            dictionary.withStorage { dictionaryBytes, dictionaryOffsets in
                bytes.withUnsafeBufferPointer { unitBytes in
                    offsets.withUnsafeBufferPointer { unitOffsets in
                        var code = 0
                        var unit = 0
                        let codes = out.count
                        let units = unitOffsets.count - 1
                        while code < codes, unit < units {
                            let order = Self.compare(
                                dictionaryBytes, Int(dictionaryOffsets[code]), Int(dictionaryOffsets[code + 1]),
                                unitBytes, unitOffsets[unit], unitOffsets[unit + 1])
                            if order < 0 {
                                code += 1
                            } else if order > 0 {
                                unit += 1
                            } else {
                                out[code] = Int32(unit)
                                code += 1
                                unit += 1
                            }
                        }
                    }
                }
            }
        }
        return map
    }

    /// memcmp order of `a[aStart..<aEnd]` and `b[bStart..<bEnd]`.
    @inline(__always)
    private static func compare(
        _ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ aEnd: Int,
        _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int, _ bEnd: Int
    ) -> Int {
        let n = min(aEnd - aStart, bEnd - bStart)
        var i = 0
        while i < n {
            let x = a[aStart + i]
            let y = b[bStart + i]
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return (aEnd - aStart) - (bEnd - bStart)
    }
}
