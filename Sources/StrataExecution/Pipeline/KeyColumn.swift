import CStrataPrefetch
import StrataCore

/// Numbers the distinct values of one group key (or of a DISTINCT aggregate's argument): equal values get
/// one id, ids are dense from 0, and each id keeps its value for the output.
///
/// Integers, strings, doubles (by canonical bits: `-0.0` is `0.0`, every NaN one value) and booleans hash
/// their typed values; a dictionary vector maps each code once per dictionary, so a key read from a
/// segment hashes each distinct string once per segment rather than once per row.
///
/// A table-wide dictionary's codes mean the same string in every segment: while every string came by such
/// a code, a new code gets the next id without hashing its string (`count(DISTINCT user_id)` over a
/// million users hashes none). The strings are hashed in only when a value comes some other way, and made
/// only when ``values`` is read.
final class KeyColumn {
    /// Value of each id, as the output shows it (ids given to table codes: a placeholder until named).
    private var stored: [Value] = []
    /// Value of each id, as the output shows it.
    var values: [Value] {
        nameTableCodes()
        return stored
    }
    /// The id of each table-wide code seen (`UInt32.max`: not yet), the dictionary's strings (the longest
    /// seen: a table dictionary only grows), and the ids whose strings are not hashed in or not made yet.
    private var tableCodeIDs: [UInt32] = []
    /// The id of the table dictionary `tableCodeIDs` numbers; another one's codes are numbered by their strings.
    private var tableDictionaryID: Int?
    private var tableWords: [String] = []
    private var unhashed: [(id: UInt32, code: Int)] = []
    private var unnamed: [(id: UInt32, code: Int)] = []
    private var integers = IDTable()
    /// Ids of the integers 0..<smallKeys (`UInt32.max`: not seen), beside `integers`, which has them all.
    private var small = [UInt32](repeating: .max, count: KeyColumn.smallKeys)
    static let smallKeys = 4096
    private var strings = StringIDTable()
    private var doubles: [UInt64: UInt32] = [:]
    private var others: [Value: UInt32] = [:]
    private var nullID: UInt32?
    /// The dictionary whose codes `codeIDs` maps (`UInt32.max`: not seen yet).
    private var dictionaryID: Int?
    private var codeIDs: [UInt32] = []
    /// How many entries of that dictionary `codeIDs` has numbered.
    private var numberedCodes = 0

    var count: Int { stored.count }

    /// Bytes held, roughly (for the memory limit).
    var bytes: Int { stored.count * 64 + integers.bytes + strings.bytes }

    /// The id of every row of `vector`, or of the rows in `rows` only (the others get 0): values of rows a
    /// FILTER drops are not numbered.
    func ids(_ vector: Vector, rows: [Int32]? = nil) -> [UInt32] {
        let n = vector.count
        var out = [UInt32](repeating: 0, count: n)
        if let rows {
            for r in rows { out[Int(r)] = single(vector, Int(r)) }
            return out
        }
        let mask = vector.nullMask()
        switch vector.storage {
        case .bool(let v):
            for i in 0..<n {
                out[i] = (mask.map { !$0[i] } ?? false) ? null() : boolean(v[i])
            }
        case .int64(let v) where KeyColumn.integerTyped(vector.type):
            // Local copies in the loop: no exclusivity check per row on the class's properties.
            var integers = self.integers
            var small = self.small
            (self.integers, self.small) = (IDTable(), [])
            defer { (self.integers, self.small) = (integers, small) }
            if mask == nil {
                // Small non-negative keys already numbered (hours, buckets) are one array lookup, in a loop
                // without bounds checks; the first other key sends the rest of the batch to the loop below.
                var done = 0
                small.withUnsafeBufferPointer { small in
                    v.withUnsafeBufferPointer { v in
                        out.withUnsafeMutableBufferPointer { out in
                            while done < n {
                                let x = v[done]
                                guard UInt64(bitPattern: x) < UInt64(Self.smallKeys) else { return }
                                let id = small[Int(x)]
                                guard id != .max else { return }
                                out[done] = id
                                done &+= 1
                            }
                        }
                    }
                }
                if done == n { return out }
                if integers.count == stored.count, n - done >= 64 {
                    // Keys past the small ones (order keys, user ids): numbered in one batched pass.
                    numberIntegers(v, vector: vector, from: done, into: &out, integers: &integers, small: &small)
                    return out
                }
                return finishIntegers(
                    v, vector: vector, mask: nil, from: done, into: &out, integers: &integers, small: &small)
            }
            return finishIntegers(
                v, vector: vector, mask: mask, from: 0, into: &out, integers: &integers, small: &small)
        case .string(let v):
            if !unhashed.isEmpty { hashTableCodes() }
            out.withUnsafeMutableBufferPointer { out in
                numberStrings(v, Array(0..<n), isNull: { i in mask.map { !$0[i] } ?? false }) { out[$0] = $1 }
            }
        case .dictionary(let codes, let entries, let id):
            if let id, id < 0, strings.count == 0, tableDictionaryID == nil || tableDictionaryID == id,
                case .string(let words) = entries.storage
            {
                tableDictionaryID = id
                return tableCodeIDs(codes, words: words, mask: mask)
            }
            if !unhashed.isEmpty { hashTableCodes() }
            if id == nil || id != dictionaryID {
                dictionaryID = id
                codeIDs = [UInt32](repeating: .max, count: entries.count)
                numberedCodes = 0
            }
            var codeIDs = self.codeIDs
            self.codeIDs = []
            if case .string(let words) = entries.storage {
                if mask == nil {
                    // Each row's id is a lookup, once the batch's new codes are numbered (while the
                    // dictionary has codes not numbered: one pass finds them).
                    if numberedCodes < words.count {
                        numberNewCodes(codes, words: words, entries: entries, mask: mask, codeIDs: &codeIDs)
                    }
                    out = Vector.looked(codeIDs, codes)
                    self.codeIDs = codeIDs
                    if id == nil { dictionaryID = nil }
                    return out
                }
                if numberedCodes < words.count {
                    numberNewCodes(codes, words: words, entries: entries, mask: mask, codeIDs: &codeIDs)
                }
            }
            for i in 0..<n {
                if let mask, !mask[i] {
                    out[i] = null()
                    continue
                }
                let code = Int(codes[i])
                var known = codeIDs[code]
                if known == .max {
                    known = single(entries, code)
                    codeIDs[code] = known
                }
                out[i] = known
            }
            self.codeIDs = codeIDs
            if id == nil { dictionaryID = nil }
        default:
            for i in 0..<n { out[i] = single(vector, i) }
        }
        return out
    }

    /// The ids of table-wide codes (NULL rows by `mask`), new codes numbered without hashing their strings.
    private func tableCodeIDs(_ codes: [UInt32], words: [String], mask: Bitset?) -> [UInt32] {
        if words.count > tableWords.count { tableWords = words }
        if tableCodeIDs.count < words.count {
            tableCodeIDs += repeatElement(UInt32.max, count: words.count - tableCodeIDs.count)
        }
        let nullID = mask == nil ? 0 : null()
        // The class's arrays as locals for the loop: no exclusivity check or retain per row.
        var known = tableCodeIDs
        var fresh: [Int] = []
        tableCodeIDs = []
        let ids = [UInt32](unsafeUninitializedCapacity: codes.count) { out, initialized in
            known.withUnsafeMutableBufferPointer { known in
                codes.withUnsafeBufferPointer { codes in
                    var next = UInt32(stored.count)
                    for i in 0..<codes.count {
                        if let mask, !mask[i] {
                            out[i] = nullID
                            continue
                        }
                        let code = Int(codes[i])
                        var id = known[code]
                        if id == .max {
                            id = next
                            next += 1
                            fresh.append(code)
                            known[code] = id
                        }
                        out[i] = id
                    }
                }
            }
            initialized = codes.count
        }
        tableCodeIDs = known
        for code in fresh {
            let id = UInt32(stored.count)
            stored.append(.null)
            unhashed.append((id, code))
            unnamed.append((id, code))
        }
        return ids
    }

    /// Puts the strings of ids given to table codes into the string table, before any string is looked up
    /// there (a later value may equal one of them).
    private func hashTableCodes() {
        let pending = unhashed
        unhashed = []
        for (id, code) in pending {
            let s = tableWords[code]
            strings.put(s, hash: StrataHash.hash64(s), id: id)
        }
    }

    /// Makes the strings of ids given to table codes (once, when the values are read).
    private func nameTableCodes() {
        guard !unnamed.isEmpty else { return }
        for (id, code) in unnamed { stored[Int(id)] = .string(tableWords[code]) }
        unnamed = []
    }

    /// Each of `other`'s ids as an id here (numbering the values not seen yet): ids `other` gave to table
    /// codes map through the codes, without hashing their strings.
    func translation(from other: KeyColumn, type: SQLValueType) -> [UInt32] {
        var out = [UInt32](repeating: .max, count: other.stored.count)
        if !other.tableWords.isEmpty, strings.count == 0 {
            var codes: [UInt32] = []
            var theirs: [Int] = []
            for (code, id) in other.tableCodeIDs.enumerated() where id != .max {
                codes.append(UInt32(code))
                theirs.append(Int(id))
            }
            let ours = tableCodeIDs(codes, words: other.tableWords, mask: nil)
            for (k, id) in theirs.enumerated() { out[id] = ours[k] }
        }
        let rest = out.indices.filter { out[$0] == .max }
        guard !rest.isEmpty else { return out }
        let values = other.values
        // Strings (and NULL), the usual key: numbered straight from the values, without a vector of them.
        var words: [String] = []
        var nulls: [Bool] = []
        words.reserveCapacity(rest.count)
        nulls.reserveCapacity(rest.count)
        for i in rest {
            switch values[i] {
            case .string(let s):
                words.append(s)
                nulls.append(false)
            case .null:
                words.append("")
                nulls.append(true)
            default: break
            }
        }
        if words.count == rest.count {
            if !unhashed.isEmpty { hashTableCodes() }
            numberStrings(words, Array(rest.indices), isNull: { nulls[$0] }) { out[rest[$0]] = $1 }
            return out
        }
        let ids = self.ids(Vector.from(rest.map { values[$0] }, type: type))
        for (k, i) in rest.enumerated() { out[i] = ids[k] }
        return out
    }

    /// Numbers rows `start...` of an int64 key vector (NULL rows by `mask`).
    /// Numbers `v[start...]` (no NULLs) with ``IDTable/ids(_:into:inserted:)``; every id of this column is an
    /// integer's (so the table's next id is the column's).
    private func numberIntegers(
        _ v: [Int64], vector: Vector, from start: Int, into out: inout [UInt32], integers: inout IDTable,
        small: inout [UInt32]
    ) {
        let keys = v[start...].map { UInt64(bitPattern: $0) }
        var ids = [UInt32](repeating: 0, count: keys.count)
        var fresh: [Int] = []
        keys.withUnsafeBufferPointer { keys in
            ids.withUnsafeMutableBufferPointer { ids in
                integers.ids(keys, into: ids) { fresh.append($0) }
            }
        }
        for i in fresh {
            let x = v[start + i]
            stored.append(vector.value(at: start + i))
            if UInt64(bitPattern: x) < UInt64(Self.smallKeys) { small[Int(x)] = ids[i] }
        }
        out.withUnsafeMutableBufferPointer { out in
            for (i, id) in ids.enumerated() { out[start + i] = id }
        }
    }

    private func finishIntegers(
        _ v: [Int64], vector: Vector, mask: Bitset?, from start: Int, into out: inout [UInt32],
        integers: inout IDTable, small: inout [UInt32]
    ) -> [UInt32] {
        // The previous row's key: time-ordered rows repeat a day or an hour many times in a row.
        var last: (key: Int64, id: UInt32)?
        for i in start..<v.count {
            if let mask, !mask[i] {
                out[i] = null()
                continue
            }
            let x = v[i]
            if let last, last.key == x {
                out[i] = last.id
                continue
            }
            // Small non-negative keys (hours, buckets, codes) index an array instead of hashing.
            let isSmall = UInt64(bitPattern: x) < UInt64(Self.smallKeys)
            if isSmall, small[Int(x)] != .max {
                out[i] = small[Int(x)]
            } else if let id = integers.get(UInt64(bitPattern: x)) {
                out[i] = id
            } else {
                let id = UInt32(stored.count)
                stored.append(vector.value(at: i))
                integers.put(UInt64(bitPattern: x), id)
                if isSmall { small[Int(x)] = id }
                out[i] = id
            }
            last = (x, out[i])
        }
        return out
    }

    /// Numbers the strings of the codes of `codes` that `codeIDs` has not seen, in order of first
    /// appearance (the order the row loop would number them in), their probes batched (``numberStrings``).
    private func numberNewCodes(
        _ codes: [UInt32], words: [String], entries: Vector, mask: Bitset?, codeIDs: inout [UInt32]
    ) {
        let pending = UInt32.max - 1
        let limit = Swift.min(words.count, codeIDs.count)
        // Written through buffers: no capacity or bounds check per row (nearly every row of a batch of user
        // ids brings a new code).
        let fresh = [Int](unsafeUninitializedCapacity: codes.count) { fresh, initialized in
            var n = 0
            codes.withUnsafeBufferPointer { codes in
                codeIDs.withUnsafeMutableBufferPointer { codeIDs in
                    for i in 0..<codes.count {
                        if let mask, !mask[i] { continue }
                        let code = Int(codes[i])
                        guard code < limit, codeIDs[code] == .max else { continue }
                        codeIDs[code] = pending
                        fresh[n] = code
                        n += 1
                    }
                }
            }
            initialized = n
        }
        guard !fresh.isEmpty else { return }
        numberedCodes += fresh.count
        let entryNulls = entries.nullMask()
        numberStrings(words, fresh, isNull: { code in entryNulls.map { !$0[code] } ?? false }) { codeIDs[$0] = $1 }
    }

    /// Numbers `words[k]` for each `k` of `which`, in that order (`isNull` of `k`: a NULL), and passes each
    /// `k` and its id to `numbered`. The strings are hashed first, and each table probe prefetches the slot
    /// of the string `distance` ahead: grouping by a column of a few hundred thousand user ids spends its
    /// time waiting on these probes' cache misses; in flight together they overlap.
    @inline(__always)
    private func numberStrings(
        _ words: [String], _ which: [Int], isNull: (Int) -> Bool, _ numbered: (Int, UInt32) -> Void
    ) {
        let distance = 32
        // The strings may sit at random places of `words`: their loads are prefetched too.
        let hashes = words.withUnsafeBufferPointer { words in
            which.indices.map { k in
                if k + distance < which.count, let base = words.baseAddress { strata_prefetch(base + which[k + distance]) }
                let code = which[k]
                return isNull(code) ? 0 : StrataHash.hash64(words[code])
            }
        }
        // The table and the values as locals for the loop: no retain, release or exclusivity check of the
        // class's properties per string.
        var table = strings
        var values = stored
        (strings, stored) = (StringIDTable(), [])
        defer { (strings, stored) = (table, values) }
        for k in 0..<Swift.min(distance, which.count) { table.prefetch(hashes[k]) }
        for (k, code) in which.enumerated() {
            if k + distance < which.count { table.prefetch(hashes[k + distance]) }
            if isNull(code) {
                // As `null()` does, on the local values.
                if nullID == nil {
                    nullID = UInt32(values.count)
                    values.append(.null)
                }
                numbered(code, nullID ?? 0)
                continue
            }
            let s = words[code]
            if let id = table.get(s, hash: hashes[k]) {
                numbered(code, id)
            } else {
                let id = UInt32(values.count)
                values.append(.string(s))
                table.put(s, hash: hashes[k], id: id)
                numbered(code, id)
            }
        }
    }

    /// The id of row `i` of `vector`.
    func single(_ vector: Vector, _ i: Int) -> UInt32 {
        if vector.isNull(i) { return null() }
        switch vector.storage {
        case .int64(let v) where KeyColumn.integerTyped(vector.type):
            return integers.get(UInt64(bitPattern: v[i])) ?? insertInteger(v[i], value: vector.value(at: i))
        case .string(let v): return string(v[i])
        case .bool(let v): return boolean(v[i])
        case .dictionary(let codes, let entries, _): return single(entries, Int(codes[i]))
        default:
            let value = vector.value(at: i)
            switch value {
            case .string(let s): return string(s)
            case .bool(let b): return boolean(b)
            case .double(let d): return double(d, value)
            case .int64(let x) where vector.type == .bigint:
                return integers.get(UInt64(bitPattern: x)) ?? insertInteger(x, value: value)
            case .timestamp(let x) where vector.type == .timestamp || vector.type == .date:
                return integers.get(UInt64(bitPattern: x)) ?? insertInteger(x, value: value)
            default:
                if let id = others[value] { return id }
                return insert(value) { others[value] = $0 }
            }
        }
    }

    /// Whether int64 storage of this type boxes to one `Value` case per type (so the raw integers key it).
    static func integerTyped(_ type: SQLValueType) -> Bool {
        switch type {
        case .bigint, .timestamp, .date, .decimal: true
        default: false
        }
    }

    private var booleans: [UInt32?] = [nil, nil]

    private func boolean(_ b: Bool) -> UInt32 {
        if let id = booleans[b ? 1 : 0] { return id }
        let id = insert(.bool(b)) { _ in }
        booleans[b ? 1 : 0] = id
        return id
    }

    private func null() -> UInt32 {
        if let nullID { return nullID }
        let id = insert(.null) { _ in }
        nullID = id
        return id
    }

    private func string(_ s: String) -> UInt32 {
        if !unhashed.isEmpty { hashTableCodes() }
        let hash = StrataHash.hash64(s)
        if let id = strings.get(s, hash: hash) { return id }
        return insert(.string(s)) { strings.put(s, hash: hash, id: $0) }
    }

    private func double(_ d: Double, _ value: Value) -> UInt32 {
        let bits = d.isNaN ? Double.nan.bitPattern : (d == 0 ? 0 : d.bitPattern)
        if let id = doubles[bits] { return id }
        return insert(value) { doubles[bits] = $0 }
    }

    private func insertInteger(_ x: Int64, value: Value) -> UInt32 {
        insert(value) { id in
            integers.put(UInt64(bitPattern: x), id)
            if UInt64(bitPattern: x) < UInt64(Self.smallKeys) { small[Int(x)] = id }
        }
    }

    private func insert(_ value: Value, _ remember: (UInt32) -> Void) -> UInt32 {
        let id = UInt32(stored.count)
        stored.append(value)
        remember(id)
        return id
    }
}

/// Numbers the distinct combinations of several keys' ids. While the keys' id ranges are small (their
/// product under ``denseLimit``: hours × events, experiment × variant × event), a combination's group is
/// read from a flat array indexed by the ids' bits side by side — no hashing; past that, each key after the
/// first pairs the id so far with its own, so any number of keys hashes only 64-bit pairs. Either way a
/// group's number is the order in which its combination first came.
struct GroupNumbering {
    private var pairs: [IDTable]
    /// The key ids of each group, `keyCount` per group.
    private(set) var tuples: [UInt32] = []
    private(set) var count = 0
    let keyCount: Int
    /// The dense form: bits of each key's id (its ids are below `1 << bits[k]`), and the group of every
    /// combination (`UInt32.max`: none yet); `dense` is empty once the pairs took over.
    private var bits: [Int]
    private var dense: [UInt32] = [.max]
    static let denseLimit = 1 << 16
    /// Past the dense form, while the keys' ids pack into one word: the group of each packed tuple (ids
    /// numbered in group order); nil before and after.
    private var packed: IDTable?
    /// In the packed form, the bits each key's ids so far need (``bits`` adds spare room).
    private var needed: [Int]

    init(keyCount: Int) {
        self.keyCount = keyCount
        pairs = Array(repeating: IDTable(), count: Swift.max(0, keyCount - 1))
        bits = Array(repeating: 0, count: keyCount)
        needed = bits
        if keyCount == 0 { count = 1 }
    }

    /// The group of every row, given each key's ids.
    mutating func groups(_ keyIDs: [[UInt32]], rows: Int) -> [UInt32] {
        if keyCount == 0 { return [UInt32](repeating: 0, count: rows) }
        if keyCount == 1 {
            let ids = keyIDs[0]
            // Usually no id is new: one pass for the largest first.
            guard !ids.isEmpty, Int(Vector.largest(ids)) >= count else { return ids }
            for id in ids where Int(id) >= count {
                // Ids are dense and arrive in order: every new one is the next group.
                while count <= Int(id) {
                    tuples.append(UInt32(count))
                    count += 1
                }
            }
            return ids
        }
        if !dense.isEmpty, fitsDense(keyIDs) { return denseGroups(keyIDs, rows: rows) }
        if fitsPacked(keyIDs) { return packedGroups(keyIDs, rows: rows) }
        var out = keyIDs[0]
        for k in 1..<keyCount {
            let last = k == keyCount - 1
            let ids = keyIDs[k]
            var table = pairs[k - 1]
            pairs[k - 1] = IDTable()
            for i in 0..<rows {
                let (id, inserted) = table.id(UInt64(out[i]) << 32 | UInt64(ids[i]))
                out[i] = id
                if inserted, last {
                    for j in 0..<keyCount { tuples.append(keyIDs[j][i]) }
                    count += 1
                }
            }
            pairs[k - 1] = table
        }
        return out
    }

    /// Whether every key's ids (as far as they go now) pack into one 64-bit word, widening the packed form
    /// (and placing every group in it again) when this batch's ids need more bits. `false` once they do not:
    /// the pair tables then hold every group.
    private mutating func fitsPacked(_ keyIDs: [[UInt32]]) -> Bool {
        guard packed != nil || pairs[0].count == 0 else { return false }
        if packed == nil {
            // Leaving the dense form: its bits are what the ids so far need.
            needed = bits
        }
        for k in 0..<keyCount {
            let top = Vector.largest(keyIDs[k])
            needed[k] = Swift.max(needed[k], UInt32.bitWidth - top.leadingZeroBitCount)
        }
        if packed != nil, (0..<keyCount).allSatisfy({ needed[$0] <= bits[$0] }) { return true }
        let total = needed.reduce(0, +)
        guard total <= 64 else {
            // Replay the groups, in order, into the pair tables: the last table numbers them 0, 1, 2, …
            packed = nil
            for g in 0..<count {
                var id = tuples[g * keyCount]
                for k in 1..<keyCount { id = pairs[k - 1].id(UInt64(id) << 32 | UInt64(tuples[g * keyCount + k])).id }
            }
            return false
        }
        // Spare bits, so that keys whose ids keep growing (user ids numbered as they come) widen, and rebuild
        // the table, rarely instead of at each doubling: a later key that widened now first (up to twice its
        // bits: it is the likeliest to widen again), then an equal share each. The first key takes what is
        // left: it holds the top bits, so it can widen within them without moving any packed tuple (rows
        // sorted by it — a table's sort key — bring its values one by one).
        var wider = needed
        var spare = 64 - total
        for k in 1..<keyCount where needed[k] > bits[k] {
            let extra = Swift.min(spare, needed[k])
            wider[k] += extra
            spare -= extra
        }
        for k in 1..<keyCount { wider[k] += spare / keyCount }
        wider[0] = 64 - wider[1...].reduce(0, +)
        let moved = packed == nil || wider[1...] != bits[1...]
        bits = wider
        guard moved else { return true }
        var table = IDTable(capacity: count)
        for g in 0..<count {
            var key: UInt64 = 0
            for k in 0..<keyCount { key = key << UInt64(bits[k]) | UInt64(tuples[g * keyCount + k]) }
            _ = table.id(key)
        }
        packed = table
        return true
    }

    /// Groups by the keys' ids packed in one word: one probe a row (prefetched a few rows ahead), where the
    /// pair tables take one per key.
    private mutating func packedGroups(_ keyIDs: [[UInt32]], rows: Int) -> [UInt32] {
        var keys = [UInt64](repeating: 0, count: rows)
        for k in 0..<keyCount {
            let shift = UInt64(bits[k])
            keyIDs[k].withUnsafeBufferPointer { ids in
                keys.withUnsafeMutableBufferPointer { keys in
                    for i in 0..<rows { keys[i] = keys[i] << shift | UInt64(ids[i]) }
                }
            }
        }
        var table = packed ?? IDTable()
        packed = nil
        defer { packed = table }
        let distance = 16
        var out = [UInt32](repeating: 0, count: rows)
        for i in 0..<Swift.min(distance, rows) { table.prefetch(keys[i]) }
        for i in 0..<rows {
            if i + distance < rows { table.prefetch(keys[i + distance]) }
            let (id, inserted) = table.id(keys[i])
            out[i] = id
            if inserted {
                for k in 0..<keyCount { tuples.append(keyIDs[k][i]) }
                count += 1
            }
        }
        return out
    }

    /// Widens the dense form to the ids of this batch; `false` (and the pairs hold every group from then on)
    /// when the array would pass ``denseLimit``.
    private mutating func fitsDense(_ keyIDs: [[UInt32]]) -> Bool {
        var wider = bits
        for k in 0..<keyCount {
            let top = Int(Vector.largest(keyIDs[k]))
            while top >= 1 << wider[k] { wider[k] += 1 }
        }
        if wider == bits { return true }
        let total = wider.reduce(0, +)
        bits = wider
        if total > Self.denseLimit.trailingZeroBitCount {
            // The packed form (or the pair tables) takes the groups over (``fitsPacked(_:)``).
            dense = []
            return false
        }
        dense = [UInt32](repeating: .max, count: 1 << total)
        for g in 0..<count {
            var index = 0
            for k in 0..<keyCount { index = index << bits[k] | Int(tuples[g * keyCount + k]) }
            dense[index] = UInt32(g)
        }
        return true
    }

    private mutating func denseGroups(_ keyIDs: [[UInt32]], rows: Int) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: rows)
        let bits = self.bits
        var table = dense
        var tuples = self.tuples
        var count = self.count
        (dense, self.tuples) = ([], [])
        out.withUnsafeMutableBufferPointer { out in
            table.withUnsafeMutableBufferPointer { table in
                @inline(__always) func place(_ i: Int, _ index: Int) {
                    var g = table[index]
                    if g == .max {
                        g = UInt32(count)
                        table[index] = g
                        for k in 0..<keyCount { tuples.append(keyIDs[k][i]) }
                        count += 1
                    }
                    out[i] = g
                }
                if keyCount == 2 {
                    // Two keys (the usual case): no inner loop, no bounds checks.
                    let shift = bits[1]
                    keyIDs[0].withUnsafeBufferPointer { a in
                        keyIDs[1].withUnsafeBufferPointer { b in
                            for i in 0..<rows { place(i, Int(a[i]) << shift | Int(b[i])) }
                        }
                    }
                } else {
                    for i in 0..<rows {
                        var index = 0
                        for k in 0..<keyCount { index = index << bits[k] | Int(keyIDs[k][i]) }
                        place(i, index)
                    }
                }
            }
        }
        (dense, self.tuples, self.count) = (table, tuples, count)
        return out
    }
}
