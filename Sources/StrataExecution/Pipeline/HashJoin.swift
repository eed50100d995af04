package import StrataCore
import Synchronization

/// A join of two inputs as a stream: the build side is read whole into a hash table on its keys, then the
/// probe side streams through batch by batch. Each probe row meets the build rows with equal keys (every
/// build row when there are no keys: a cross join); the residual condition (the rest of `ON`) decides which
/// of those pairs match. NULL keys match nothing, as `=` is never TRUE for NULL.
///
/// `kind` says which unmatched rows are kept, padded with NULLs: the probe side's (`.left`), both sides'
/// (`.full`), or none (`.inner`). A RIGHT JOIN is planned as a left join that probes with the right side.
/// The output's columns are the left input's, then the right's, whichever side is built.
package final class HashJoinStream: BatchStream {
    package enum Kind: Sendable {
        case inner
        /// Every probe row, with NULLs when nothing matched it.
        case left
        /// Every row of both sides.
        case full
        /// Each probe row that some build row matches, once, with the probe side's columns only (EXISTS).
        case semi
        /// Each probe row that no build row matches, with the probe side's columns only (NOT EXISTS).
        case anti
    }

    private let kind: Kind
    private let probe: BatchStream
    private let shared: SharedJoinTable
    /// The build side, once the first batch is asked for (the first stream to ask builds it).
    private var table: JoinTable!
    private let probeKeys: [VectorExpression]
    /// Over the output row (left columns, then right).
    private let residual: VectorExpression?
    private let probeTypes: [SQLValueType]
    /// Whether the probe side is the left input (its columns come first).
    private let probeIsLeft: Bool
    private let context: QueryContext

    /// Build rows some probe row matched (a full join emits the others at the end; a semi or anti join that
    /// builds its left side emits those, or the others, at the end).
    private var matched: [Bool] = []

    /// A semi or anti join whose left side (the rows it keeps) is the build side: the probe rows only mark
    /// the build rows they match (the smaller side is hashed: Q21's 70,000 outer rows, not lineitem's 6M).
    private var marksBuild: Bool { (kind == .semi || kind == .anti) && !probeIsLeft }
    private var emittedUnmatched = false
    private var hashCache: [Int: [UInt64]] = [:]

    /// For a probe key that is one dictionary-coded column: the build rows each entry of the dictionary `id`
    /// matches (`entryStart[e]..<entryStart[e + 1]` of `entryRows`; `entryStart[e] == -1`: not looked up yet).
    private var entries: (id: Int, start: [Int32], count: [Int32], rows: [Int32])?

    /// The probe batch being joined, its keys, and the next probe row to join.
    private var current: (batch: Batch, keys: JoinKeyRows?)?
    private var nextRow = 0

    /// Rows per output batch (a probe batch whose rows match many build rows is cut into several).
    static let outputRows = 16_384

    /// A stream probing `table` with `probe`'s rows. Several streams (workers, each probing its share of the
    /// segments) may share one table; a full join's stream must be the only one.
    package init(
        kind: Kind, probe: BatchStream, table shared: SharedJoinTable, probeKeys: [BoundExpression],
        residual: BoundExpression?, probeTypes: [SQLValueType], probeIsLeft: Bool, context: QueryContext
    ) {
        self.kind = kind
        self.probe = probe
        self.shared = shared
        self.probeKeys = probeKeys.map(VectorExpression.init)
        self.residual = residual.map(VectorExpression.init)
        self.probeTypes = probeTypes
        self.probeIsLeft = probeIsLeft
        self.context = context
    }

    override package func next() throws(StrataError) -> Batch? {
        if table == nil {
            table = try shared.table()
            if kind == .full || marksBuild { matched = [Bool](repeating: false, count: table.rows.count) }
        }
        while true {
            if current == nil {
                guard let batch = try probe.next() else { return try unmatchedBuildRows() }
                if batch.count == 0 { continue }
                var keys: JoinKeyRows?
                if !probeKeys.isEmpty {
                    var vectors: [Vector] = []
                    for key in probeKeys { vectors.append(try key.evaluate(batch)) }
                    keys = JoinKeyRows(vectors, count: batch.count, hashCache: &hashCache, probing: true)
                }
                current = (batch, keys)
                nextRow = 0
            }
            if let output = try joinCurrent() { return output }
        }
    }

    /// Joins probe rows from `nextRow` on until an output batch is full or the probe batch ends; `nil` when
    /// no row of what was read is kept (the caller reads on).
    private func joinCurrent() throws(StrataError) -> Batch? {
        guard let (batch, keys) = current else { return nil }
        let built = table.rows
        var probeRows: [Int32] = []
        var buildRows: [Int32] = []
        /// Where each probe row's candidate pairs start in the arrays.
        var starts: [Int] = []
        var row = nextRow
        let byEntry = keys.flatMap { keys in keys.columns.count == 1 ? keys.columns[0].dictionary : nil }
        if let keys, let byEntry, table.keys != nil {
            // One dictionary key: each entry's build rows are looked up once, then every row copies its entry's.
            prepareEntries(byEntry, id: dictionaryID(of: batch))
            guard var matches = entries else { return nil }
            entries = nil
            let codes = byEntry.codes
            while row < batch.count, probeRows.count < Self.outputRows {
                starts.append(probeRows.count)
                if !keys.isNull(row) {
                    let code = Int(codes[row])
                    if matches.start[code] < 0 { matchEntry(code, byEntry, into: &matches) }
                    let start = Int(matches.start[code])
                    for k in start..<(start + Int(matches.count[code])) {
                        probeRows.append(Int32(row))
                        buildRows.append(matches.rows[k])
                    }
                }
                row += 1
            }
            entries = matches
        }
        if let keys, let builtKeys = table.keys, keys.columns.count == 1,
            let probeValues = keys.columns[0].integers, let buildValues = builtKeys.columns[0].integers
        {
            // One integer key on both sides: values compared in place, through buffers (no check or reference
            // count per row); only an outer join needs where each probe row's pairs start.
            let outer = kind == .left || kind == .full
            let nulls = keys.nulls
            keys.hashes.withUnsafeBufferPointer { hashes in
                builtKeys.hashes.withUnsafeBufferPointer { builtHashes in
                    table.heads.withUnsafeBufferPointer { heads in
                        table.chain.withUnsafeBufferPointer { chain in
                            probeValues.withUnsafeBufferPointer { probeValues in
                                buildValues.withUnsafeBufferPointer { buildValues in
                                    let mask = table.mask
                                    while row < batch.count, probeRows.count < Self.outputRows {
                                        if outer { starts.append(probeRows.count) }
                                        if nulls.map({ !$0[row] }) ?? true {
                                            let hash = hashes[row]
                                            let value = probeValues[row]
                                            var candidate = heads[Int(truncatingIfNeeded: hash) & mask]
                                            while candidate >= 0 {
                                                let b = Int(candidate)
                                                if builtHashes[b] == hash, buildValues[b] == value {
                                                    probeRows.append(Int32(truncatingIfNeeded: row))
                                                    buildRows.append(candidate)
                                                }
                                                candidate = chain[b]
                                            }
                                        }
                                        row += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if row < batch.count, probeRows.count < Self.outputRows, let keys, let builtKeys = table.keys {
            // Any other keys: the table's arrays in locals, read through buffers (no class access per row); a
            // candidate's values are compared only when its hash is the probe row's.
            let outer = kind == .left || kind == .full
            let mask = table.mask
            keys.hashes.withUnsafeBufferPointer { hashes in
                builtKeys.hashes.withUnsafeBufferPointer { builtHashes in
                    table.heads.withUnsafeBufferPointer { heads in
                        table.chain.withUnsafeBufferPointer { chain in
                            while row < batch.count, probeRows.count < Self.outputRows {
                                if outer { starts.append(probeRows.count) }
                                if !keys.isNull(row) {
                                    let hash = hashes[row]
                                    var candidate = heads[Int(truncatingIfNeeded: hash) & mask]
                                    while candidate >= 0 {
                                        let b = Int(candidate)
                                        if builtHashes[b] == hash, keys.equals(row, builtKeys, b) {
                                            probeRows.append(Int32(truncatingIfNeeded: row))
                                            buildRows.append(candidate)
                                        }
                                        candidate = chain[b]
                                    }
                                }
                                row += 1
                            }
                        }
                    }
                }
            }
        }
        while keys == nil || table.keys == nil, row < batch.count, probeRows.count < Self.outputRows {
            // No keys: every build row is a candidate.
            starts.append(probeRows.count)
            probeRows.append(contentsOf: repeatElement(Int32(row), count: built.count))
            buildRows.append(contentsOf: 0..<Int32(built.count))
            row += 1
        }
        let first = nextRow
        nextRow = row
        if row >= batch.count { current = nil }
        try context.check()

        var keep: [Int32]?  // the pairs the residual keeps (nil: all)
        if let residual, !probeRows.isEmpty {
            let pairs = output(batch, probeRows: probeRows, buildRows: buildRows)
            guard let selected = try residual.selection(pairs) else {
                throw StrataError(.type, "a join condition must be BOOLEAN")
            }
            keep = selected
        }
        if marksBuild {
            if let keep {
                for k in keep { matched[Int(buildRows[Int(k)])] = true }
            } else {
                for b in buildRows { matched[Int(b)] = true }
            }
            return nil
        }
        if kind == .semi || kind == .anti {
            // Which probe rows of `first..<row` have a kept pair; the kept (semi) or the others (anti) go on.
            var hit = [Bool](repeating: false, count: row - first)
            if let keep {
                for k in keep { hit[Int(probeRows[Int(k)]) - first] = true }
            } else {
                for p in probeRows { hit[Int(p) - first] = true }
            }
            let wanted = kind == .semi
            let rows = (first..<row).filter { hit[$0 - first] == wanted }.map { Int32(truncatingIfNeeded: $0) }
            if rows.isEmpty { return nil }
            return rows.count == batch.count ? batch : batch.gather(rows)
        }
        if kind == .inner {
            if let keep {
                if keep.isEmpty { return nil }
                return output(
                    batch, probeRows: keep.map { probeRows[Int($0)] }, buildRows: keep.map { buildRows[Int($0)] })
            }
            return probeRows.isEmpty ? nil : output(batch, probeRows: probeRows, buildRows: buildRows)
        }
        // Outer: each probe row's kept pairs, or the row with NULLs.
        var kept = [Bool](repeating: keep == nil, count: probeRows.count)
        if let keep { for k in keep { kept[Int(k)] = true } }
        var outProbe: [Int32] = []
        var outBuild: [Int32] = []
        outProbe.reserveCapacity(probeRows.count)
        outBuild.reserveCapacity(probeRows.count)
        for (i, start) in starts.enumerated() {
            let end = i + 1 < starts.count ? starts[i + 1] : probeRows.count
            var any = false
            for p in start..<end where kept[p] {
                any = true
                outProbe.append(probeRows[p])
                outBuild.append(buildRows[p])
                if kind == .full { matched[Int(buildRows[p])] = true }
            }
            if !any {
                outProbe.append(Int32(first + i))
                outBuild.append(-1)
            }
        }
        return outProbe.isEmpty ? nil : output(batch, probeRows: outProbe, buildRows: outBuild)
    }

    /// The dictionary id of the probe key's vector, when the key is a plain column of the batch (`nil`: the
    /// entries are matched again for this batch).
    private func dictionaryID(of batch: Batch) -> Int? {
        guard case .column(let c, _, _) = probeKeys[0].expression, c < batch.columns.count,
            case .dictionary(_, _, let id?) = batch.columns[c].storage
        else { return nil }
        return id
    }

    /// Makes the per-entry matches ready for a batch whose key is dictionary `id` (kept across batches of the
    /// same dictionary; a batch without an id gets its own).
    private func prepareEntries(_ dictionary: (codes: [UInt32], words: [String], hashes: [UInt64]), id: Int?) {
        if let id, let entries, entries.id == id, entries.start.count == dictionary.words.count { return }
        let n = dictionary.words.count
        entries = (id ?? Int.min, [Int32](repeating: -1, count: n), [Int32](repeating: 0, count: n), [])
    }

    /// Looks entry `code` up in the table once: the build rows whose key is its string.
    private func matchEntry(
        _ code: Int, _ dictionary: (codes: [UInt32], words: [String], hashes: [UInt64]),
        into entries: inout (id: Int, start: [Int32], count: [Int32], rows: [Int32])
    ) {
        guard let builtKeys = table.keys else { return }
        let hash = dictionary.hashes[code]
        let word = dictionary.words[code]
        // The hash the build side gave a one-column key: its column hash folded into the row seed.
        let rowHash = (JoinKeyRows.seed &* 0x100_0000_01B3) ^ hash
        var start = Int32(entries.rows.count)
        var count: Int32 = 0
        var candidate = table.heads[Int(truncatingIfNeeded: rowHash) & table.mask]
        while candidate >= 0 {
            let b = Int(candidate)
            if builtKeys.hashes[b] == rowHash, builtKeys.columns[0].equals(b, word) {
                entries.rows.append(candidate)
                count += 1
            }
            candidate = table.chain[b]
        }
        if count == 0 { start = 0 }
        entries.start[code] = start
        entries.count[code] = count
    }

    /// A full join's build rows that no probe row matched, with NULLs for the probe side; a marking semi or
    /// anti join's kept build rows; once.
    private func unmatchedBuildRows() throws(StrataError) -> Batch? {
        guard kind == .full || marksBuild, !emittedUnmatched else { return nil }
        emittedUnmatched = true
        let built = table.rows
        if marksBuild {
            // The left rows themselves: those matched (semi) or not (anti).
            let wanted = kind == .semi
            let rows = (0..<built.count).filter { matched[$0] == wanted }.map { Int32($0) }
            if rows.isEmpty { return nil }
            return rows.count == built.count
                ? built : Batch(columns: built.columns.map { $0.gather(rows) }, count: rows.count)
        }
        let rows = (0..<built.count).filter { !matched[$0] }.map { Int32($0) }
        if rows.isEmpty { return nil }
        let probeColumns = probeTypes.map { Vector.constant(.null, type: $0, count: rows.count) }
        let buildColumns = built.columns.map { $0.gather(rows) }
        let columns = probeIsLeft ? probeColumns + buildColumns : buildColumns + probeColumns
        return Batch(columns: columns, count: rows.count)
    }

    /// The output rows for pairs of a probe row and a build row (`-1`: none, NULLs), in the probe batch's
    /// segment (so that workers' outputs sort ties as a single scan's would).
    private func output(_ batch: Batch, probeRows: [Int32], buildRows: [Int32]) -> Batch {
        let probeColumns = batch.columns.map { $0.gather(probeRows) }
        let built = table.rows
        let buildColumns: [Vector] =
            built.count > 0
            ? built.columns.map { $0.gather(padding: buildRows) }
            : table.types.map { Vector.constant(.null, type: $0, count: probeRows.count) }
        let columns = probeIsLeft ? probeColumns + buildColumns : buildColumns + probeColumns
        return Batch(columns: columns, count: probeRows.count, segment: batch.segment)
    }
}

/// The build side of a join, built once by whichever of the workers' streams asks first (the others wait
/// for it and share it), from the build input the first worker's stream offered.
package final class SharedJoinTable: Sendable {
    private struct State: @unchecked Sendable {
        var table: JoinTable?
        var make: (() throws(StrataError) -> JoinTable)?
    }

    private let state = Mutex(State())

    package init() {}

    /// How to build the table (the first offer counts; the stream behind it is read by one worker only).
    package func offer(_ make: @escaping () throws(StrataError) -> JoinTable) {
        state.withLock { if $0.make == nil { $0.make = make } }
    }

    func table() throws(StrataError) -> JoinTable {
        try state.withLock { (state: inout State) throws(StrataError) -> JoinTable in
            if let table = state.table { return table }
            guard let make = state.make else {
                throw StrataError(.internal, "a join's build side was not offered before it was probed")
            }
            let made = try make()
            state.table = made
            state.make = nil
            return made
        }
    }
}

extension JoinKeyRows {
    /// The rows `rows` of these keys, in that order (none NULL).
    func gathered(_ rows: [Int32]) -> JoinKeyRows {
        JoinKeyRows(columns: columns.map { $0.gathered(rows) }, hashes: Vector.gathered(hashes, rows), nulls: nil)
    }
}

/// The build side of a hash join, read whole: its rows as one vector per column, their keys, and a chained
/// hash table over them. Read-only once built, so the workers probing it share it.
package final class JoinTable: @unchecked Sendable {
    let rows: Batch
    let types: [SQLValueType]
    /// `nil` for a join without keys (a cross join: every row is a candidate).
    let keys: JoinKeyRows?
    /// The first row of each bucket, and each row's next in its bucket (`-1`: none).
    let heads: [Int32]
    let chain: [Int32]
    let mask: Int
    private let context: QueryContext
    private let held: Int

    /// Reads `input` to its end and hashes its rows on `keys`; the table's memory counts against `context`
    /// until the table is released.
    ///
    /// With `clustered` (a join that never emits build rows no probe row matched) and keys that repeat (many
    /// rows share a bucket), the rows are stored bucket by bucket, each bucket's in build order, and rows with
    /// a NULL key (which match nothing) are dropped: a probe then walks its bucket's rows in consecutive
    /// memory instead of one cache miss per row of a chain (a customer's dozen orders in TPC-H Q13).
    package init(
        _ input: BatchStream, keys keyExpressions: [BoundExpression], types: [SQLValueType], clustered: Bool = false,
        context: QueryContext
    ) throws(StrataError) {
        var batches: [Batch] = []
        var count = 0
        var held = 0
        do throws(StrataError) {
            while let batch = try input.next() {
                if batch.count == 0 { continue }
                batches.append(batch)
                count += batch.count
                // Build rows are numbered in 32 bits (the chains, the output's row lists).
                guard count < Int(Int32.max) else {
                    throw StrataError(
                        .limit, "a join's build side has more than \(Int32.max) rows; join the other way round")
                }
                try context.account(&held, to: RowMemory.bytes(rows: count, columns: types.count + 1))
            }
        } catch {
            context.release(bytes: held)
            throw error
        }
        var rows = Batch(
            columns: types.indices.map { c in Vector.concatenated(batches.map { $0.columns[c] }, type: types[c]) },
            count: count)
        var keys: JoinKeyRows?
        var heads: [Int32] = []
        var chain: [Int32] = []
        var buckets = 1
        if !keyExpressions.isEmpty {
            var vectors: [Vector] = []
            do throws(StrataError) {
                for key in keyExpressions { vectors.append(try VectorExpression(key).evaluate(rows)) }
            } catch {
                context.release(bytes: held)
                throw error
            }
            var cache: [Int: [UInt64]] = [:]
            var built = JoinKeyRows(vectors, count: count, hashCache: &cache)
            while buckets < count * 2 { buckets <<= 1 }
            var starts: [Int32] = []
            if clustered {
                starts = [Int32](repeating: 0, count: buckets + 1)
                var filled = 0
                for r in 0..<count where !built.isNull(r) {
                    let b = (Int(truncatingIfNeeded: built.hashes[r]) & (buckets - 1)) + 1
                    if starts[b] == 0 { filled += 1 }
                    starts[b] += 1
                }
                // Worth it when many rows share a bucket with another (repeated keys): unique keys in twice as
                // many buckets leave about a fifth of the rows in a bucket already taken.
                let present = Int(starts.reduce(0, +))
                if (present - filled) * 5 < present * 2 { starts = [] }
            }
            if !starts.isEmpty {
                // A counting sort of the rows by bucket (stable: a bucket keeps build order).
                for b in 0..<buckets { starts[b + 1] += starts[b] }
                var order = [Int32](repeating: 0, count: Int(starts[buckets]))
                var next = starts
                for r in 0..<count where !built.isNull(r) {
                    let b = Int(truncatingIfNeeded: built.hashes[r]) & (buckets - 1)
                    order[Int(next[b])] = Int32(r)
                    next[b] += 1
                }
                rows = Batch(columns: rows.columns.map { $0.gather(order) }, count: order.count)
                built = built.gathered(order)
                count = order.count
            }
            heads = [Int32](repeating: -1, count: buckets)
            chain = [Int32](repeating: -1, count: count)
            // Inserted last to first, so each chain lists its rows in build order.
            for r in stride(from: count - 1, through: 0, by: -1) where !built.isNull(r) {
                let b = Int(truncatingIfNeeded: built.hashes[r]) & (buckets - 1)
                chain[r] = heads[b]
                heads[b] = Int32(r)
            }
            keys = built
            do throws(StrataError) {
                try context.account(
                    &held, to: RowMemory.bytes(rows: count, columns: types.count + 1) + buckets * 4 + count * 12)
            } catch {
                context.release(bytes: held)
                throw error
            }
        }
        self.rows = rows
        self.types = types
        self.keys = keys
        self.heads = heads
        self.chain = chain
        self.mask = buckets - 1
        self.context = context
        self.held = held
    }

    deinit { context.release(bytes: held) }
}

/// Ids of dictionaries operators make (a join's build side): negative, as a table dictionary's (the codes
/// mean the same strings in every batch), and below any scan's ids.
private let madeDictionaries = Atomic<Int>(0)

extension Vector {
    /// A dictionary id no scan and no other made dictionary uses.
    static func freshDictionaryID() -> Int {
        -(1 << 40) - madeDictionaries.add(1, ordering: .relaxed).newValue
    }

    /// The id of a function's results over the entries of dictionary `id`, for caching them per dictionary. Never
    /// negative: a negative id promises distinct strings that mean the same in every batch (a table
    /// dictionary, a join's build side), which a function's results need not be (`substring(phone, 1, 2)`);
    /// a key or distinct count over them then goes by their strings. Above any scan's segment ids.
    static func derivedDictionaryID(_ id: Int) -> Int {
        id >= 0 ? id : (1 << 62) | ~id
    }

    /// The rows `rows` of this (non-empty) vector, NULL where a row is `-1`: an outer join's padding.
    func gather(padding rows: [Int32]) -> Vector {
        guard rows.contains(where: { $0 < 0 }) else { return gather(rows) }
        var out = gather(rows.map { Swift.max($0, 0) })
        var validity = out.validity ?? Bitset(count: rows.count, value: true)
        for (i, r) in rows.enumerated() where r < 0 { validity[i] = false }
        out.validity = validity
        if case .constant(let value) = out.storage, !value.isNull {
            // A constant cannot hold NULLs in some rows: spell it out.
            out = Vector.from((0..<rows.count).map { validity[$0] ? value : .null }, type: type)
        }
        return out
    }

    /// The vectors one after another, as one vector of `type` (the build side of a join, read whole).
    static func concatenated(_ parts: [Vector], type: SQLValueType) -> Vector {
        if parts.count == 1 { return parts[0] }
        let count = parts.reduce(0) { $0 + $1.count }
        var validity: Bitset?
        if parts.contains(where: { $0.nullMask() != nil }) {
            var bits = Bitset(count: count, value: true)
            var offset = 0
            for part in parts {
                if let mask = part.nullMask() { for i in 0..<part.count where !mask[i] { bits[offset + i] = false } }
                offset += part.count
            }
            validity = bits
        }
        func typed<T>(_ extract: (Vector) -> [T]?) -> [T]? {
            var out: [T] = []
            out.reserveCapacity(count)
            for part in parts {
                guard let values = extract(part) else { return nil }
                out.append(contentsOf: values)
            }
            return out
        }
        if let v = typed({ if case .int64(let v) = $0.storage { v } else { nil } }) {
            return Vector(type: type, storage: .int64(v), validity: validity, count: count)
        }
        if let v = typed({ if case .double(let v) = $0.storage { v } else { nil } }) {
            return Vector(type: type, storage: .double(v), validity: validity, count: count)
        }
        if let v = typed({ if case .bool(let v) = $0.storage { v } else { nil } }) {
            return Vector(type: type, storage: .bool(v), validity: validity, count: count)
        }
        // Strings from plain vectors and dictionaries alike (each segment has its own dictionary) become one
        // dictionary of their distinct values: gathering the rows of a join's output copies codes, not strings.
        if parts.allSatisfy({ part in
            switch part.storage {
            case .string: return true
            case .dictionary(_, let entries, _): if case .string = entries.storage { return true } else { return false }
            default: return false
            }
        }) {
            var codeOf: [String: UInt32] = [:]
            var words: [String] = []
            var codes: [UInt32] = []
            codes.reserveCapacity(count)
            func code(_ word: String) -> UInt32 {
                if let known = codeOf[word] { return known }
                let new = UInt32(words.count)
                codeOf[word] = new
                words.append(word)
                return new
            }
            for part in parts {
                switch part.storage {
                case .string(let v): for word in v { codes.append(code(word)) }
                case .dictionary(let partCodes, let entries, _):
                    guard case .string(let partWords) = entries.storage else { break }
                    var mapped = [UInt32](repeating: .max, count: partWords.count)
                    for c in partCodes {
                        var m = mapped[Int(c)]
                        if m == .max {
                            m = code(partWords[Int(c)])
                            mapped[Int(c)] = m
                        }
                        codes.append(m)
                    }
                default: break
                }
            }
            if words.isEmpty { words = [""] }
            let entries = Vector(type: .varchar, storage: .string(words), count: words.count)
            return Vector(
                type: type, storage: .dictionary(codes: codes, entries: entries, id: Vector.freshDictionaryID()),
                validity: validity, count: count)
        }
        var values: [Value] = []
        values.reserveCapacity(count)
        for part in parts { for i in 0..<part.count { values.append(part.value(at: i)) } }
        return Vector.from(values, type: type)
    }
}
