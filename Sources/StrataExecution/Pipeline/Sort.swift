package import StrataCore

/// ORDER BY over batches: holds every batch, gathers each key column into one typed array over all rows,
/// sorts a permutation of the rows with typed comparisons (ties in input order, so the sort is stable),
/// and boxes each row once, in sorted order.
package final class Sort {
    private let keys: [SortKey]
    private let context: QueryContext
    private var batches: [Batch] = []
    /// The first row of each batch, in the numbering of all rows.
    private var starts: [Int] = []
    private var columns: [SortColumn]
    private var count = 0
    private var width = 0
    private var held = 0

    package init(keys: [SortKey], context: QueryContext) {
        self.keys = keys
        self.context = context
        columns = []
    }

    deinit { context.release(bytes: held) }

    /// Holds the rows of `batch`.
    package func consume(_ batch: Batch) throws(StrataError) {
        try context.check()
        guard batch.count > 0 else { return }
        if columns.isEmpty { columns = keys.map { SortColumn(type: batch.columns[$0.column].type) } }
        for (k, key) in keys.enumerated() { columns[k].append(batch.columns[key.column]) }
        batches.append(batch)
        starts.append(count)
        count += batch.count
        width = batch.columns.count
        var bytes = held
        for vector in batch.columns { bytes += Self.bytes(vector) }
        // The key columns (strings of a dictionary are copies) and the permutation to come.
        bytes += batch.count * (8 + 17 * keys.count)
        try context.account(&held, to: bytes)
    }

    /// Every row in sort order, boxed. Their memory stays reserved in the context, as the output of a
    /// plan node (the caller releases it).
    /// - Throws: `cancelled` or `limit` from the context while sorting or boxing.
    package func finish() throws(StrataError) -> [[Value]] {
        let compares = zip(keys, columns).map { key, column in column.comparator(key) }
        var order = Array(0..<count)
        var comparisons = 0
        var failure: StrataError?
        // A cancelled or timed-out sort stops comparing (the order no longer matters) and throws after.
        order.sort { a, b in
            if failure != nil { return false }
            comparisons &+= 1
            if comparisons & 65535 == 0 {
                do throws(StrataError) { try context.check() } catch { failure = error }
            }
            for compare in compares {
                let c = compare(a, b)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        if let failure { throw failure }
        columns = []
        let output = RowMemory.bytes(rows: count, columns: width)
        try context.reserve(bytes: output)
        var boxed = false
        defer { if !boxed { context.release(bytes: output) } }
        var rows: [[Value]] = []
        rows.reserveCapacity(count)
        for (i, index) in order.enumerated() {
            if i & 4095 == 0 { try context.check() }
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
        case .constant: 0
        }
    }
}

/// One sort key's values over every row of a ``Sort``, typed while the batches' vectors agree in form
/// (strings of a dictionary count as strings), boxed from the first that does not.
struct SortColumn {
    private enum Elements {
        case int64([Int64])
        case double([Double])
        case bool([Bool])
        case string([String])
        /// Nulls included as `.null`.
        case boxed([Value])
    }

    private let type: SQLValueType
    private var elements: Elements?
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
        var incoming: Elements
        switch vector.storage {
        case .int64(let v): incoming = .int64(v)
        case .double(let v): incoming = .double(v)
        case .bool(let v): incoming = .bool(v)
        case .string(let v): incoming = .string(v)
        case .dictionary(let codes, let entries, _):
            if case .string(let strings) = entries.storage, !entries.mayHaveNulls {
                incoming = .string(codes.map { strings[Int($0)] })
            } else {
                incoming = .boxed((0..<vector.count).map(vector.value(at:)))
            }
        case .boxed, .constant: incoming = .boxed((0..<vector.count).map(vector.value(at:)))
        }
        let current = elements
        elements = nil
        switch (current, incoming) {
        case (nil, _): elements = incoming
        case (.int64(var a)?, .int64(let b)):
            a.append(contentsOf: b)
            elements = .int64(a)
        case (.double(var a)?, .double(let b)):
            a.append(contentsOf: b)
            elements = .double(a)
        case (.bool(var a)?, .bool(let b)):
            a.append(contentsOf: b)
            elements = .bool(a)
        case (.string(var a)?, .string(let b)):
            a.append(contentsOf: b)
            elements = .string(a)
        case (let a?, let b):
            var values = Self.boxed(a, nulls: nulls, from: 0, type: type)
            values.append(contentsOf: Self.boxed(b, nulls: nulls, from: count, type: type))
            elements = .boxed(values)
        }
        count += vector.count
    }

    /// Elements as values, nulls as `.null` (`nulls` covers the rows from `start` on).
    private static func boxed(_ elements: Elements, nulls: [Bool], from start: Int, type: SQLValueType) -> [Value] {
        func box(_ i: Int, _ value: Value) -> Value { nulls.isEmpty || !nulls[start + i] ? value : .null }
        switch elements {
        case .int64(let v): return v.enumerated().map { box($0, Vector.box($1, type: type)) }
        case .double(let v): return v.enumerated().map { box($0, .double($1)) }
        case .bool(let v): return v.enumerated().map { box($0, .bool($1)) }
        case .string(let v): return v.enumerated().map { box($0, .string($1)) }
        case .boxed(let v): return v
        }
    }

    /// The order of two rows by `key`: negative when the first comes first.
    func comparator(_ key: SortKey) -> (Int, Int) -> Int {
        let ascending: (Int, Int) -> Int
        switch elements {
        case .int64(let v)?: ascending = { SortKey.compare(v[$0], v[$1]) }
        case .double(let v)?: ascending = { ValueOrder.compare(v[$0], v[$1]) }
        case .bool(let v)?: ascending = { v[$0] == v[$1] ? 0 : (v[$0] ? 1 : -1) }
        case .string(let v)?: ascending = { SortKey.compare(v[$0], v[$1]) }
        case .boxed(let v)?: return { key.order(v[$0], v[$1]) }
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
