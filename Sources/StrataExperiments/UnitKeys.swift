import StrataStorage

/// The keys (unit ids) of an experiment's units, sorted by UTF-8 bytes like every segment
/// dictionary, so that a segment's dictionary codes map to unit numbers by one sorted merge instead
/// of a hash lookup per code.
///
/// Comparisons first look at an 8-byte big-endian prefix of each key (one integer comparison decides
/// most of them), then at the remaining bytes.
struct UnitKeys: Sendable {
    /// The keys' bytes, concatenated in unit order.
    let bytes: [UInt8]
    /// `count + 1` offsets into ``bytes``.
    let offsets: [Int]
    /// The first 8 bytes of each key, big endian, zero padded.
    let prefixes: [UInt64]

    init(bytes: [UInt8], offsets: [Int]) {
        self.bytes = bytes
        self.offsets = offsets
        prefixes = bytes.withUnsafeBufferPointer { b in
            (0..<(offsets.count - 1)).map { Self.prefix(b, offsets[$0], offsets[$0 + 1]) }
        }
    }

    var count: Int { offsets.count - 1 }

    /// The key of unit `unit`.
    func key(_ unit: Int) -> String {
        String(decoding: bytes[offsets[unit]..<offsets[unit + 1]], as: UTF8.self)
    }

    /// The keys whose `keep` flag is set, in the same order.
    func filter(_ keep: [Bool]) -> UnitKeys {
        var out: [UInt8] = []
        var outOffsets = [0]
        for u in 0..<count where keep[u] {
            out.append(contentsOf: bytes[offsets[u]..<offsets[u + 1]])
            outOffsets.append(out.count)
        }
        return UnitKeys(bytes: out, offsets: outOffsets)
    }

    /// Merges several lists of keys (each list: concatenated bytes and offsets) into one sorted list
    /// without duplicates.
    ///
    /// - Returns: The keys, and for each list the unit number of each of its keys.
    static func merging(_ lists: [(bytes: [UInt8], offsets: [Int])]) -> (keys: UnitKeys, units: [[Int32]]) {
        var entries: [(list: Int32, index: Int32, prefix: UInt64)] = []
        entries.reserveCapacity(lists.reduce(0) { $0 + $1.offsets.count - 1 })
        for (l, list) in lists.enumerated() {
            list.bytes.withUnsafeBufferPointer { b in
                for i in 0..<(list.offsets.count - 1) {
                    entries.append((Int32(l), Int32(i), prefix(b, list.offsets[i], list.offsets[i + 1])))
                }
            }
        }
        func order(_ a: (list: Int32, index: Int32, prefix: UInt64), _ b: (list: Int32, index: Int32, prefix: UInt64))
            -> Int
        {
            if a.prefix != b.prefix { return a.prefix < b.prefix ? -1 : 1 }
            let x = lists[Int(a.list)]
            let y = lists[Int(b.list)]
            return x.bytes.withUnsafeBufferPointer { xb in
                y.bytes.withUnsafeBufferPointer { yb in
                    compare(
                        xb, x.offsets[Int(a.index)], x.offsets[Int(a.index) + 1], yb, y.offsets[Int(b.index)],
                        y.offsets[Int(b.index) + 1])
                }
            }
        }
        entries.sort { order($0, $1) < 0 }
        var bytes: [UInt8] = []
        var offsets = [0]
        var units = lists.map { [Int32](repeating: -1, count: $0.offsets.count - 1) }
        var previous: (list: Int32, index: Int32, prefix: UInt64)?
        for e in entries {
            if previous == nil || order(previous!, e) != 0 {
                let list = lists[Int(e.list)]
                bytes.append(contentsOf: list.bytes[list.offsets[Int(e.index)]..<list.offsets[Int(e.index) + 1]])
                offsets.append(bytes.count)
            }
            units[Int(e.list)][Int(e.index)] = Int32(offsets.count - 2)
            previous = e
        }
        return (UnitKeys(bytes: bytes, offsets: offsets), units)
    }

    /// For every code of a sorted segment dictionary, its unit number, or -1 when it is not a unit.
    ///
    /// - Complexity: O(dictionary count + unit count) comparisons, mostly of one integer each.
    func codeMap(_ dictionary: StringDictionary) -> [Int32] {
        precondition(dictionary.isSorted, "a sorted merge needs a sorted (segment) dictionary")
        var map = [Int32](repeating: -1, count: dictionary.count)
        guard count > 0, dictionary.count > 0 else { return map }
        map.withUnsafeMutableBufferPointer { out in
            dictionary.withStorage { dictionaryBytes, dictionaryOffsets in
                bytes.withUnsafeBufferPointer { unitBytes in
                    offsets.withUnsafeBufferPointer { unitOffsets in
                        prefixes.withUnsafeBufferPointer { unitPrefixes in
                            var code = 0
                            var unit = 0
                            let codes = out.count
                            let units = unitPrefixes.count
                            var start = Int(dictionaryOffsets[0])
                            var end = Int(dictionaryOffsets[1])
                            var codePrefix = Self.prefix(dictionaryBytes, start, end)
                            while true {
                                let unitPrefix = unitPrefixes[unit]
                                var order = codePrefix < unitPrefix ? -1 : (codePrefix > unitPrefix ? 1 : 0)
                                if order == 0 {
                                    order = Self.compare(
                                        dictionaryBytes, start, end, unitBytes, unitOffsets[unit], unitOffsets[unit + 1]
                                    )
                                }
                                if order > 0 {
                                    unit += 1
                                    if unit == units { break }
                                    continue
                                }
                                if order == 0 {
                                    out[code] = Int32(unit)
                                    unit += 1
                                    if unit == units { break }
                                }
                                code += 1
                                if code == codes { break }
                                start = end
                                end = Int(dictionaryOffsets[code + 1])
                                codePrefix = Self.prefix(dictionaryBytes, start, end)
                            }
                        }
                    }
                }
            }
        }
        return map
    }

    /// The first 8 bytes of `b[start..<end]` as a big-endian integer, zero padded.
    @inline(__always)
    static func prefix(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        let length = end - start
        if length >= 8 {
            return UInt64(bigEndian: UnsafeRawPointer(b.baseAddress! + start).loadUnaligned(as: UInt64.self))
        }
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | (i < length ? UInt64(b[start + i]) : 0) }
        return value
    }

    /// memcmp order of `a[aStart..<aEnd]` and `b[bStart..<bEnd]`.
    @inline(__always)
    static func compare(
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
