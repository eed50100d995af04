import StrataStorage

/// A segment's map from unit-column dictionary codes to unit numbers, resolved lazily: each code is
/// looked up (in a hash index of the units) the first time a row needs it, until so many codes are
/// needed that one sorted merge of the whole dictionary is cheaper.
///
/// Metrics on selective events (purchases: about 1.5% of rows) touch a few thousand codes of a
/// dictionary of a hundred thousand; a metric over every row touches them all.
struct UnitCodeMap {
    /// Not looked up yet.
    static let unresolved: Int32 = -2

    let keys: UnitKeys
    let index: UnitHashIndex
    let dictionary: StringDictionary
    /// Code → unit, -1 for codes that are no unit, ``unresolved`` for codes not looked up.
    private(set) var map: [Int32]
    private var lookups = 0
    private var complete = false

    init(keys: UnitKeys, index: UnitHashIndex, dictionary: StringDictionary) {
        self.keys = keys
        self.index = index
        self.dictionary = dictionary
        map = [Int32](repeating: Self.unresolved, count: dictionary.count)
    }

    /// Resolves the codes of `rows` so that `map` holds their units.
    mutating func prepare(codes: [UInt32], rows: [Int32]) {
        if complete { return }
        // A sorted merge needs a sorted (segment) dictionary; table dictionaries are looked up code by code.
        let limit = dictionary.isSorted ? max(1024, dictionary.count / 4) : Int.max
        var lookups = self.lookups
        var map: [Int32] = []
        swap(&map, &self.map)
        let needsMerge = map.withUnsafeMutableBufferPointer { map in
            dictionary.withStorage { dictionaryBytes, dictionaryOffsets in
                keys.bytes.withUnsafeBufferPointer { unitBytes in
                    keys.offsets.withUnsafeBufferPointer { unitOffsets in
                        keys.prefixes.withUnsafeBufferPointer { unitPrefixes in
                            for r in rows {
                                let code = Int(codes[Int(r)])
                                if map[code] != Self.unresolved { continue }
                                lookups += 1
                                if lookups > limit { return true }
                                let start = Int(dictionaryOffsets[code])
                                let end = Int(dictionaryOffsets[code + 1])
                                let found = index.find(
                                    dictionaryBytes, start, end, unitBytes: unitBytes, unitOffsets: unitOffsets,
                                    unitPrefixes: unitPrefixes)
                                map[code] = found
                            }
                            return false
                        }
                    }
                }
            }
        }
        if needsMerge {
            self.map = keys.codeMap(dictionary)
            complete = true
        } else {
            swap(&map, &self.map)
            self.lookups = lookups
        }
    }
}

/// An open-addressing hash index of unit keys (unit numbers in a power-of-two table, linear probing).
struct UnitHashIndex: Sendable {
    private let slots: [Int32]
    private let shift: UInt64

    init(_ keys: UnitKeys) {
        var bits: UInt64 = 4
        while (1 << bits) < keys.count * 2 { bits += 1 }
        let shift = 64 - bits
        var table = [Int32](repeating: -1, count: 1 << Int(bits))
        let mask = table.count - 1
        keys.bytes.withUnsafeBufferPointer { b in
            for u in 0..<keys.count {
                var i = Int(Self.hash(b, keys.offsets[u], keys.offsets[u + 1], keys.prefixes[u]) >> shift)
                while table[i] >= 0 { i = (i + 1) & mask }
                table[i] = Int32(u)
            }
        }
        self.shift = shift
        self.slots = table
    }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ prefix: UInt64) -> UInt64 {
        var h = (prefix ^ UInt64(end - start)) &* 0x9E37_79B9_7F4A_7C15
        var i = start + 8
        while i < end {
            h = (h ^ UInt64(b[i])) &* 0x100_0000_01B3
            i += 1
        }
        return (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
    }

    /// The unit whose key is `b[start..<end]`, or -1.
    @inline(__always)
    func find(
        _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, unitBytes: UnsafeBufferPointer<UInt8>,
        unitOffsets: UnsafeBufferPointer<Int>, unitPrefixes: UnsafeBufferPointer<UInt64>
    ) -> Int32 {
        let prefix = UnitKeys.prefix(b, start, end)
        let mask = slots.count - 1
        var i = Int(Self.hash(b, start, end, prefix) >> shift)
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let u = slots[i]
                if u < 0 { return -1 }
                if unitPrefixes[Int(u)] == prefix
                    && UnitKeys.compare(b, start, end, unitBytes, unitOffsets[Int(u)], unitOffsets[Int(u) + 1]) == 0
                {
                    return u
                }
                i = (i + 1) & mask
            }
        }
    }
}
