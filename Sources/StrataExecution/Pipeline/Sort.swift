package import StrataCore

/// ORDER BY over batches: holds every batch (workers' batches merged back into segment order), gathers each
/// key column into one typed array over all rows, sorts the rows with typed comparisons (ties in input
/// order, so the sort is stable), and boxes each row once, in sorted order.
package final class Sort {
    private let keys: [SortKey]
    private let context: QueryContext
    private var batches: [Batch] = []
    /// The first row of each batch, in the numbering of all rows.
    private var starts: [Int] = []
    private var columns: [SortColumn] = []
    private var count = 0
    private var width = 0
    private var held = 0

    package init(keys: [SortKey], context: QueryContext) {
        self.keys = keys
        self.context = context
    }

    deinit { context.release(bytes: held) }

    /// Holds the rows of `batch`; batches must come in input order (by segment, for a worker's share).
    package func consume(_ batch: Batch) throws(StrataError) {
        try context.check()
        guard batch.count > 0 else { return }
        batches.append(batch)
        count += batch.count
        width = batch.columns.count
        var bytes = held
        for vector in batch.columns { bytes += Self.bytes(vector) }
        // The key columns (strings of a dictionary are copies) and the sort entries to come.
        bytes += batch.count * (24 + 17 * keys.count)
        try context.account(&held, to: bytes)
    }

    /// Takes over the batches another worker's sort of the same query holds (from other segments).
    package func merge(_ other: Sort) throws(StrataError) {
        batches += other.batches
        count += other.count
        width = Swift.max(width, other.width)
        other.batches = []
        other.count = 0
        try context.account(&held, to: held + other.held)
        context.release(bytes: other.held)
        other.held = 0
    }

    /// The batches in input order (a single scan's: by segment, each segment's in the order read), and
    /// the key columns over them.
    private func gather() {
        batches = batches.enumerated().sorted { a, b in
            a.element.segment != b.element.segment ? a.element.segment < b.element.segment : a.offset < b.offset
        }.map(\.element)
        columns = keys.map { SortColumn(type: batches.first?.columns[$0.column].type ?? .null) }
        var start = 0
        for batch in batches {
            for (k, key) in keys.enumerated() { columns[k].append(batch.columns[key.column]) }
            starts.append(start)
            start += batch.count
        }
    }

    /// Every row in sort order, boxed. Their memory stays reserved in the context, as the output of a
    /// plan node (the caller releases it).
    /// - Throws: `cancelled` or `limit` from the context while sorting or boxing.
    package func finish() throws(StrataError) -> [[Value]] {
        try context.check()
        gather()
        // The first two keys as words when they allow it (a tie there falls to the other keys' comparators):
        // most comparisons are then two integer compares.
        var words: [[UInt64]] = []
        for (key, column) in zip(keys, columns).prefix(2) {
            guard let w = column.words(key) else { break }
            words.append(w)
        }
        let compares = zip(keys, columns).dropFirst(words.count).map { key, column in column.comparator(key) }
        let first = words.count > 0 ? words[0] : [UInt64](repeating: 0, count: count)
        let second = words.count > 1 ? words[1] : [UInt64](repeating: 0, count: count)
        words = []
        var order = (0..<count).map { SortEntry(first: first[$0], second: second[$0], row: $0) }
        var comparisons = 0
        var failure: StrataError?
        // Tested per comparison instead of `failure`, whose test is an outlined call (8% of a sort here).
        var stopped = false
        // A cancelled or timed-out sort stops comparing (the order no longer matters) and throws after.
        order.sort { a, b in
            comparisons &+= 1
            if comparisons & 65535 == 0, !stopped {
                do throws(StrataError) { try context.check() } catch {
                    failure = error
                    stopped = true
                }
            }
            if stopped { return false }
            if a.first != b.first { return a.first < b.first }
            if a.second != b.second { return a.second < b.second }
            for compare in compares {
                let c = compare(a.row, b.row)
                if c != 0 { return c < 0 }
            }
            return a.row < b.row
        }
        if let failure { throw failure }
        columns = []
        let output = RowMemory.bytes(rows: count, columns: width)
        try context.reserve(bytes: output)
        var boxed = false
        defer { if !boxed { context.release(bytes: output) } }
        var rows: [[Value]] = []
        rows.reserveCapacity(count)
        for (i, entry) in order.enumerated() {
            if i & 4095 == 0 { try context.check() }
            let index = entry.row
            let b = batch(of: index)
            rows.append(batches[b].row(index - starts[b]))
        }
        boxed = true
        batches = []
        context.release(bytes: held)
        held = 0
        return rows
    }

    /// The batch holding row `index`: the last one starting at or before it.
    private func batch(of index: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// About the bytes a vector holds (a dictionary's entries are shared with its segment).
    private static func bytes(_ vector: Vector) -> Int {
        switch vector.storage {
        case .bool: vector.count
        case .int64, .double: vector.count * 8
        case .string: vector.count * 16
        case .dictionary: vector.count * 4
        case .boxed: vector.count * MemoryLayout<Value>.stride
        case .sketch: vector.count * 64
        case .constant: 0
        }
    }
}

/// A row to sort: its first two keys as words (zero when a key has none), then its number.
private struct SortEntry {
    var first: UInt64
    var second: UInt64
    var row: Int
}

/// One sort key's values over every row of a ``Sort``, typed while the batches' vectors agree in form
/// (strings of a dictionary count as strings), boxed from the first that does not.
struct SortColumn {
    private enum Form {
        case int64, double, bool, string
        /// Nulls included as `.null`.
        case boxed
    }

    private let type: SQLValueType
    private var form: Form?
    // The elements of `form`, in stored arrays so that they grow in place.
    private var int64s: [Int64] = []
    private var doubles: [Double] = []
    private var bools: [Bool] = []
    private var strings: [String] = []
    private var values: [Value] = []
    /// Whether each row is null; empty while none is.
    private var nulls: [Bool] = []
    private var count = 0

    init(type: SQLValueType) { self.type = type }

    mutating func append(_ vector: Vector) {
        let mask = vector.nullMask()
        if mask != nil || !nulls.isEmpty {
            if nulls.isEmpty { nulls = [Bool](repeating: false, count: count) }
            for i in 0..<vector.count { nulls.append(mask.map { !$0[i] } ?? false) }
        }
        defer { count += vector.count }
        var incoming: Form = .boxed
        switch vector.storage {
        case .int64: incoming = .int64
        case .double: incoming = .double
        case .bool: incoming = .bool
        case .string: incoming = .string
        case .dictionary(_, let entries, _):
            if case .string = entries.storage, !entries.mayHaveNulls { incoming = .string }
        case .boxed, .constant, .sketch: break
        }
        if form == nil { form = incoming }
        if form != incoming, form != .boxed {
            values = (0..<count).map(boxed)
            (int64s, doubles, bools, strings) = ([], [], [], [])
            form = .boxed
        }
        switch (vector.storage, form) {
        case (.int64(let v), .int64?): int64s.append(contentsOf: v)
        case (.double(let v), .double?): doubles.append(contentsOf: v)
        case (.bool(let v), .bool?): bools.append(contentsOf: v)
        case (.string(let v), .string?): strings.append(contentsOf: v)
        case (.dictionary(let codes, let entries, _), .string?):
            if case .string(let v) = entries.storage { for code in codes { strings.append(v[Int(code)]) } }
        default:
            for i in 0..<vector.count { values.append(vector.value(at: i)) }
        }
    }

    /// Row `i` of a typed form, boxed.
    private func boxed(_ i: Int) -> Value {
        if !nulls.isEmpty, nulls[i] { return .null }
        switch form {
        case .int64?: return Vector.box(int64s[i], type: type)
        case .double?: return .double(doubles[i])
        case .bool?: return .bool(bools[i])
        case .string?: return .string(strings[i])
        case .boxed?, nil: return values[i]
        }
    }

    /// Each row's value as a word whose unsigned order is the key's order, ties included (for integers,
    /// doubles with NaN above all and -0 equal to 0, booleans; NULL below or above every value), or `nil`
    /// when the column has no such words: strings, boxed values, or NULLs with no word free past the values.
    func words(_ key: SortKey) -> [UInt64]? {
        let sign: UInt64 = 1 << 63
        var words: [UInt64]
        switch form {
        case .int64?: words = int64s.map { UInt64(bitPattern: $0) ^ sign }
        case .double?:
            words = doubles.map { x in
                // One NaN, above +infinity; -0 as 0. Negative doubles' bits order backwards.
                if x.isNaN { return 0xFFF8_0000_0000_0000 }
                let bits = (x == 0 ? 0 : x).bitPattern
                return bits & sign != 0 ? ~bits : bits | sign
            }
        case .bool?: words = bools.map { $0 ? 1 : 0 }
        default: return nil
        }
        if key.descending { for i in words.indices { words[i] = ~words[i] } }
        guard !nulls.isEmpty else { return words }
        var low = UInt64.max
        var high = UInt64.min
        for i in words.indices where !nulls[i] {
            low = Swift.min(low, words[i])
            high = Swift.max(high, words[i])
        }
        let null: UInt64
        if key.nullsFirst {
            guard low > 0 else { return nil }
            null = 0
        } else {
            guard high < .max else { return nil }
            null = .max
        }
        for i in words.indices where nulls[i] { words[i] = null }
        return words
    }

    /// The order of two rows by `key`: negative when the first comes first.
    func comparator(_ key: SortKey) -> (Int, Int) -> Int {
        let ascending: (Int, Int) -> Int
        switch form {
        case .int64?:
            let v = int64s
            ascending = { SortKey.compare(v[$0], v[$1]) }
        case .double?:
            let v = doubles
            ascending = { ValueOrder.compare(v[$0], v[$1]) }
        case .bool?:
            let v = bools
            ascending = { v[$0] == v[$1] ? 0 : (v[$0] ? 1 : -1) }
        case .string?:
            let v = strings
            ascending = { SortKey.compare(v[$0], v[$1]) }
        case .boxed?:
            let v = values
            return { key.order(v[$0], v[$1]) }
        case nil: return { _, _ in 0 }
        }
        let nulls = self.nulls
        if nulls.isEmpty { return key.descending ? { -ascending($0, $1) } : ascending }
        return { a, b in
            switch (nulls[a], nulls[b]) {
            case (true, true): 0
            case (true, false): key.nullsFirst ? -1 : 1
            case (false, true): key.nullsFirst ? 1 : -1
            case (false, false): key.directed(ascending(a, b))
            }
        }
    }
}
