import StrataCore

/// One join key column of a batch, read for hashing and comparing by value: equal SQL values hash and
/// compare equal whatever storage each side's vector has (a segment dictionary, a table dictionary,
/// plain strings, boxed values), so the two sides of a join never need the same encoding.
///
/// The planner casts both sides' keys to one type first, so only the storage differs between them.
struct JoinKeyColumn {
    private enum Storage {
        case integers([Int64])
        case doubles([Double])
        case booleans([Bool])
        case strings([String])
        /// Codes into `words`, whose hashes are `hashes`.
        case dictionary(codes: [UInt32], words: [String], hashes: [UInt64])
        case values([Value])
    }

    private let storage: Storage
    /// Which rows are NULL (`nil`: none). A NULL key matches nothing.
    let nulls: Bitset?

    private init(storage: Storage, nulls: Bitset?) {
        self.storage = storage
        self.nulls = nulls
    }

    /// The rows `rows` of the column, in that order (none of them NULL).
    func gathered(_ rows: [Int32]) -> JoinKeyColumn {
        let storage: Storage =
            switch self.storage {
            case .integers(let v): .integers(Vector.gathered(v, rows))
            case .doubles(let v): .doubles(Vector.gathered(v, rows))
            case .booleans(let v): .booleans(Vector.gathered(v, rows))
            case .strings(let v): .strings(Vector.gathered(v, rows))
            case .dictionary(let codes, let words, let hashes):
                .dictionary(codes: Vector.gathered(codes, rows), words: words, hashes: hashes)
            case .values(let v): .values(Vector.gathered(v, rows))
            }
        return JoinKeyColumn(storage: storage, nulls: nil)
    }

    /// The key `vector` of a batch; `hashes` caches the hashes of dictionary entries by dictionary id.
    init(_ vector: Vector, hashes: inout [Int: [UInt64]]) {
        let mask = vector.nullMask()
        nulls = mask
        switch vector.storage {
        case .int64(let v): storage = .integers(v)
        case .double(let v): storage = .doubles(v)
        case .bool(let v): storage = .booleans(v)
        case .string(let v): storage = .strings(v)
        case .dictionary(let codes, let entries, let id):
            guard case .string(let words) = entries.storage else {
                storage = .values((0..<vector.count).map { vector.value(at: $0) })
                return
            }
            let known = id.flatMap { hashes[$0] }
            let entryHashes: [UInt64]
            if let known, known.count == words.count {
                entryHashes = known
            } else {
                entryHashes = words.map { StrataHash.hash64($0) }
                if let id { hashes[id] = entryHashes }
            }
            storage = .dictionary(codes: codes, words: words, hashes: entryHashes)
        case .constant, .boxed, .sketch:
            let values = (0..<vector.count).map { vector.value(at: $0) }
            // Typed when the values allow it, so they hash as the other side's typed vectors do.
            let typed = Vector.from(values, type: vector.type)
            switch typed.storage {
            case .int64(let v): storage = .integers(v)
            case .double(let v): storage = .doubles(v)
            case .bool(let v): storage = .booleans(v)
            case .string(let v): storage = .strings(v)
            default: storage = .values(values)
            }
        }
    }

    func isNull(_ row: Int) -> Bool { nulls.map { !$0[row] } ?? false }

    /// A dictionary-coded column's codes, its entries and their hashes (`nil` for any other storage): a join
    /// matches each entry once instead of each row.
    var dictionary: (codes: [UInt32], words: [String], hashes: [UInt64])? {
        if case .dictionary(let codes, let words, let hashes) = storage { return (codes, words, hashes) }
        return nil
    }

    /// An integer-typed column's values (BIGINT, TIMESTAMP, DECIMAL units): a join compares them directly.
    var integers: [Int64]? {
        if case .integers(let v) = storage { return v }
        return nil
    }

    /// Whether row `row` holds `word` (the row not NULL).
    func equals(_ row: Int, _ word: String) -> Bool {
        switch storage {
        case .strings(let v): v[row] == word
        case .dictionary(let codes, let words, _): words[Int(codes[row])] == word
        case .values(let v): v[row] == .string(word)
        default: false
        }
    }

    /// Folds each row's hash into `hashes` (a row's combined hash: ``JoinKeyRows/seed``, then each column's
    /// in turn), in one typed loop per storage.
    func fold(into hashes: inout [UInt64]) {
        @inline(__always)
        func each<T>(_ values: [T], _ hash: (T) -> UInt64) {
            values.withUnsafeBufferPointer { values in
                hashes.withUnsafeMutableBufferPointer { hashes in
                    for r in 0..<Swift.min(hashes.count, values.count) {
                        hashes[r] = (hashes[r] &* 0x100_0000_01B3) ^ hash(values[r])
                    }
                }
            }
        }
        switch storage {
        case .integers(let v): each(v) { StrataHash.hash64($0) }
        case .doubles(let v): each(v) { StrataHash.hash64(StrataHash.canonicalBits($0)) }
        case .dictionary(let codes, _, let entryHashes):
            entryHashes.withUnsafeBufferPointer { entryHashes in each(codes) { entryHashes[Int($0)] } }
        default:
            for r in hashes.indices { hashes[r] = (hashes[r] &* 0x100_0000_01B3) ^ hash(r) }
        }
    }

    /// The hash of row `row`'s value.
    @inline(__always)
    func hash(_ row: Int) -> UInt64 {
        switch storage {
        case .integers(let v): StrataHash.hash64(v[row])
        case .doubles(let v): StrataHash.hash64(StrataHash.canonicalBits(v[row]))
        case .booleans(let v): v[row] ? 0x9E37_79B9_7F4A_7C15 : 0x3C6E_F372_FE94_F82B
        case .strings(let v): StrataHash.hash64(v[row])
        case .dictionary(let codes, _, let hashes): hashes[Int(codes[row])]
        case .values(let v): Self.hash(v[row])
        }
    }

    /// Whether row `row` here holds the value of row `otherRow` of `other` (neither NULL).
    @inline(__always)
    func equals(_ row: Int, _ other: JoinKeyColumn, _ otherRow: Int) -> Bool {
        switch (storage, other.storage) {
        case (.integers(let a), .integers(let b)): return a[row] == b[otherRow]
        case (.doubles(let a), .doubles(let b)):
            return StrataHash.canonicalBits(a[row]) == StrataHash.canonicalBits(b[otherRow])
        case (.booleans(let a), .booleans(let b)): return a[row] == b[otherRow]
        default:
            if let a = string(row), let b = other.string(otherRow) { return a == b }
            return value(row) == other.value(otherRow)
        }
    }

    private func string(_ row: Int) -> String? {
        switch storage {
        case .strings(let v): v[row]
        case .dictionary(let codes, let words, _): words[Int(codes[row])]
        default: nil
        }
    }

    private func value(_ row: Int) -> Value {
        switch storage {
        case .integers(let v): .int64(v[row])
        case .doubles(let v): .double(v[row])
        case .booleans(let v): .bool(v[row])
        case .strings(let v): .string(v[row])
        case .dictionary(let codes, let words, _): .string(words[Int(codes[row])])
        case .values(let v): v[row]
        }
    }

    /// A boxed value's hash, equal to the typed forms' hashes for the same value.
    private static func hash(_ value: Value) -> UInt64 {
        switch value {
        case .int64(let x), .timestamp(let x): StrataHash.hash64(x)
        case .double(let x): StrataHash.hash64(StrataHash.canonicalBits(x))
        case .string(let s): StrataHash.hash64(s)
        case .bool(let b): b ? 0x9E37_79B9_7F4A_7C15 : 0x3C6E_F372_FE94_F82B
        default: UInt64(truncatingIfNeeded: value.hashValue)
        }
    }
}

/// The key columns of one batch, with each row's combined hash.
struct JoinKeyRows {
    let columns: [JoinKeyColumn]
    let hashes: [UInt64]
    /// Rows with a NULL key (they match nothing), `nil` when there are none.
    let nulls: Bitset?

    /// Where every row's combined hash starts, before its columns' hashes are folded in.
    static let seed: UInt64 = 0x2545_F491_4F6C_DD1D

    init(columns: [JoinKeyColumn], hashes: [UInt64], nulls: Bitset?) {
        self.columns = columns
        self.hashes = hashes
        self.nulls = nulls
    }

    /// The keys of `count` rows. With `probing`, a batch whose one key is dictionary-coded skips the rows'
    /// hashes (`hashes` is empty then): the probe looks it up by entry, not by row.
    init(_ vectors: [Vector], count: Int, hashCache: inout [Int: [UInt64]], probing: Bool = false) {
        columns = vectors.map { JoinKeyColumn($0, hashes: &hashCache) }
        var hashes: [UInt64] = []
        if !(probing && columns.count == 1 && columns[0].dictionary != nil) {
            hashes = [UInt64](repeating: Self.seed, count: count)
            for column in columns { column.fold(into: &hashes) }
        }
        self.hashes = hashes
        var nulls: Bitset?
        for column in columns {
            guard let mask = column.nulls else { continue }
            var bits = nulls ?? Bitset(count: count, value: false)
            for r in 0..<count where !mask[r] { bits[r] = true }
            nulls = bits
        }
        self.nulls = nulls
    }

    func isNull(_ row: Int) -> Bool { nulls?[row] ?? false }

    /// Whether row `row` here has the keys of row `otherRow` of `other`.
    @inline(__always)
    func equals(_ row: Int, _ other: JoinKeyRows, _ otherRow: Int) -> Bool {
        for k in columns.indices where !columns[k].equals(row, other.columns[k], otherRow) { return false }
        return true
    }
}
