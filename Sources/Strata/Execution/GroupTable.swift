import StrataCore
import StrataStorage

/// Assigns dense group numbers to key tuples. Each key position has its own table of distinct
/// values (value ↔ id); a group is the tuple of ids, packed in a SIMD vector for hashing.
struct GroupTable {
    static let maxKeys = 8
    typealias Key = SIMD8<UInt32>

    /// Distinct values of one key position.
    struct Values {
        var values: [Value] = []
        /// String values by their bytes: interner id → index in `values`.
        var strings = ByteInterner()
        var stringIDs: [UInt32] = []
        var integers: [Int64: UInt32] = [:]
        var doubles: [UInt64: UInt32] = [:]
        /// Decimal (and 128-bit) keys, by value.
        var exact: [Value: UInt32] = [:]
        var nullID: UInt32?

        /// Ids of table-wide codes seen so far (`UInt32.max`: not yet): codes mean the same value in
        /// every segment, so each is interned once per query worker, not once per segment.
        var tableCodeIDs: [UInt32] = []

        /// Ids given to table-wide codes whose bytes are not interned yet: while every string of this
        /// position came by table code (one value per code), ids need no interning; the first
        /// lookup by bytes interns them all first.
        var uninterned: [(id: UInt32, code: Int)] = []
        /// Ids given to table-wide codes whose `values` entry is a placeholder: the `String` is made
        /// by ``nameTableCodes()`` when the result is built, once, not by every worker.
        var unnamed: [(id: UInt32, code: Int)] = []
        /// The largest snapshot of the table-wide dictionary seen (codes only grow).
        var tableDictionary: StringDictionary?

        /// The id of a table-wide code's value.
        mutating func id(tableCode code: Int, in dictionary: StringDictionary) -> UInt32 {
            if code >= tableCodeIDs.count {
                tableCodeIDs += repeatElement(UInt32.max, count: max(dictionary.count, code + 1) - tableCodeIDs.count)
            }
            if tableCodeIDs[code] != .max { return tableCodeIDs[code] }
            if tableDictionary.map({ $0.count < dictionary.count }) ?? true { tableDictionary = dictionary }
            let id: UInt32
            if strings.count == 0 {
                id = UInt32(values.count)
                values.append(.null)
                uninterned.append((id, code))
                unnamed.append((id, code))
            } else {
                id = dictionary.withValueBytes(code) { self.id(ofBytes: $0) }
            }
            tableCodeIDs[code] = id
            return id
        }

        /// ORs the ids of the selected rows' table-wide codes (NULL rows: the NULL id), shifted by
        /// `shift`, into `words`; returns the largest id. The position's code → id cache serves every
        /// segment, so no per-segment remap is built.
        mutating func packIDs(
            tableCodes codes: UnsafeBufferPointer<UInt32>, validity: Bitset?, dictionary: StringDictionary,
            rows: UnsafeBufferPointer<Int32>, shift: UInt64, into words: UnsafeMutableBufferPointer<UInt64>
        ) -> UInt32 {
            if tableCodeIDs.count < dictionary.count {
                tableCodeIDs += repeatElement(UInt32.max, count: dictionary.count - tableCodeIDs.count)
            }
            let nullID = validity == nil ? 0 : id(of: .null)
            var widest: UInt32 = 0
            for (k, r) in rows.enumerated() {
                let i = Int(r)
                var id: UInt32
                if let validity, !validity[i] {
                    id = nullID
                } else {
                    let code = Int(codes[i])
                    id = tableCodeIDs[code]
                    if id == .max { id = self.id(tableCode: code, in: dictionary) }
                }
                widest = max(widest, id)
                words[k] |= UInt64(id) << shift
            }
            return widest
        }

        /// Our id of each of `other`'s ids (adding values we have not seen). Table-wide codes map
        /// through the codes, without hashing their bytes.
        mutating func translation(from other: Values) -> [UInt32] {
            var out = [UInt32](repeating: .max, count: other.values.count)
            // Every code `other` gave an id went through `id(tableCode:in:)`, so its dictionary has it.
            if let dictionary = other.tableDictionary {
                for (code, theirs) in other.tableCodeIDs.enumerated() where theirs != .max {
                    out[Int(theirs)] =
                        code < tableCodeIDs.count && tableCodeIDs[code] != .max
                        ? tableCodeIDs[code] : id(tableCode: code, in: dictionary)
                }
            }
            for i in out.indices where out[i] == .max { out[i] = id(of: other.values[i]) }
            return out
        }

        /// Interns the strings of `uninterned` (before the first lookup by bytes).
        private mutating func internTableCodes() {
            let pending = uninterned
            uninterned = []
            guard let dictionary = tableDictionary else { return }
            for (id, code) in pending {
                let (k, isNew) = dictionary.withValueBytes(code) { strings.id(of: $0) }
                precondition(isNew && k == stringIDs.count, "a table-wide code's value was interned twice")
                stringIDs.append(id)
            }
        }

        /// Makes the `String`s of the ids given to table-wide codes (before `values` is read).
        mutating func nameTableCodes() {
            guard let dictionary = tableDictionary, !unnamed.isEmpty else { return }
            for (id, code) in unnamed { values[Int(id)] = .string(dictionary[code]) }
            unnamed = []
        }

        /// The id of a string value given by its UTF-8 bytes; a `String` is made only for new values.
        mutating func id(ofBytes bytes: UnsafeRawBufferPointer) -> UInt32 {
            if !uninterned.isEmpty { internTableCodes() }
            let (k, isNew) = strings.id(of: bytes)
            if isNew {
                values.append(.string(String(decoding: bytes, as: UTF8.self)))
                stringIDs.append(UInt32(values.count - 1))
            }
            return stringIDs[k]
        }

        mutating func id(of value: Value) -> UInt32 {
            func add(_ v: Value) -> UInt32 {
                values.append(v)
                return UInt32(values.count - 1)
            }
            switch value {
            case .null:
                if let nullID { return nullID }
                let id = add(.null)
                nullID = id
                return id
            case .string(var s):
                return s.withUTF8 { id(ofBytes: UnsafeRawBufferPointer($0)) }
            case .int64(let x), .timestamp(let x):
                if let id = integers[x] { return id }
                let id = add(value)
                integers[x] = id
                return id
            case .bool(let b):
                let k: Int64 = b ? 1 : 0
                if let id = integers[k] { return id }
                let id = add(value)
                integers[k] = id
                return id
            case .double(let d):
                let k = SegmentPredicate.key(d)
                if let id = doubles[k] { return id }
                let id = add(value)
                doubles[k] = id
                return id
            case .hugeint, .decimal:
                if let id = exact[value] { return id }
                let id = add(value)
                exact[value] = id
                return id
            }
        }
    }

    var positions: [Values]
    var index: [Key: Int32] = [:]
    /// For one or two keys: the ids packed into 64 bits (the common dashboard case).
    var packed = PackedGroupIndex()
    var keys: [Key] = []

    /// Bits and shift of each key position in a packed word (up to four keys).
    let packedBits: [Int]
    let packedShifts: [Int]

    /// - Parameter wide: key positions that read table-wide codes (ids up to millions: user ids).
    init(keyCount: Int, wide: Set<Int> = []) {
        positions = Array(repeating: Values(), count: keyCount)
        packedBits = Self.packedLayout(keyCount: keyCount, wide: wide)
        var shifts: [Int] = []
        var shift = 0
        for bits in packedBits {
            shifts.append(shift)
            shift += bits
        }
        packedShifts = shifts
    }

    /// Bits per key id in a packed word: 64 / n each, except that with three or four keys one table-wide
    /// position takes 32 bits (100M events have 4M user ids: 21 bits are too few) and the others share
    /// the rest (experiment and variant ids need a few bits each).
    static func packedLayout(keyCount n: Int, wide: Set<Int>) -> [Int] {
        guard n > 1 else { return n == 1 ? [64] : [] }
        let wideHere = wide.filter { $0 < n }
        guard n >= 3, n <= 4, wideHere.count == 1, let w = wideHere.first else {
            return Array(repeating: 64 / n, count: n)
        }
        let others = 32 / (n - 1)
        return (0..<n).map { $0 == w ? 32 : others }
    }

    var count: Int { keys.count }

    /// The group number of a key tuple, adding the group if new.
    mutating func group(_ key: Key) -> Int32 {
        // Up to four keys pack into 64 bits while every id fits its share of the bits; a tuple either
        // always packs or never does (its ids never change), so the two indexes never disagree.
        let n = positions.count
        if n <= 4 {
            var word: UInt64 = 0
            var fits = true
            for p in 0..<n {
                let id = UInt64(key[p])
                let bits = packedBits[p]
                if bits < 64, id >= (1 << UInt64(bits)) - 1 { fits = false }
                word |= id << UInt64(packedShifts[p])
            }
            if fits {
                let (g, inserted) = packed.findOrInsert(word, next: Int32(keys.count))
                if inserted { keys.append(key) }
                return g
            }
        }
        if let g = index[key] { return g }
        let g = Int32(keys.count)
        index[key] = g
        keys.append(key)
        return g
    }

    /// The group of a key tuple already packed into 64 bits as `group(_:)` packs it (every id below
    /// `(1 << packedBits[p]) - 1`), adding the group if new: one probe, no tuple built per row.
    mutating func group(packed word: UInt64) -> Int32 {
        let (g, inserted) = packed.findOrInsert(word, next: Int32(keys.count))
        if inserted {
            var key = Key()
            for p in 0..<positions.count {
                let bits = packedBits[p]
                let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
                key[p] = UInt32(truncatingIfNeeded: (word >> UInt64(packedShifts[p])) & mask)
            }
            keys.append(key)
        }
        return g
    }

    /// Our group of each of `other`'s groups (adding the keys we lack), matched by key values.
    mutating func absorbKeys(of other: GroupTable) -> [Int32] {
        // Per key position, other's id → ours: each distinct value is translated once, not once per group.
        var translations: [[UInt32]] = []
        for p in positions.indices { translations.append(positions[p].translation(from: other.positions[p])) }
        var map = [Int32](repeating: 0, count: other.count)
        for g in 0..<other.count {
            let theirs = other.keys[g]
            var key = Key()
            for p in translations.indices { key[p] = translations[p][Int(theirs[p])] }
            map[g] = group(key)
        }
        return map
    }

    /// Makes the key strings still owed to table-wide codes; call before reading `positions[p].values`.
    mutating func nameTableCodes() {
        for p in positions.indices { positions[p].nameTableCodes() }
    }

    /// The key values of group `g` (after ``nameTableCodes()``).
    func values(of g: Int) -> [Value] {
        (0..<positions.count).map { positions[$0].values[Int(keys[g][$0])] }
    }
}
