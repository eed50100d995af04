package import StrataCore

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
    }

    private let kind: Kind
    private let probe: BatchStream
    private var build: BatchStream?
    private let probeKeys: [VectorExpression]
    private let buildKeys: [VectorExpression]
    /// Over the output row (left columns, then right).
    private let residual: VectorExpression?
    private let buildTypes: [SQLValueType]
    private let probeTypes: [SQLValueType]
    /// Whether the probe side is the left input (its columns come first).
    private let probeIsLeft: Bool
    private let context: QueryContext

    /// The build side's rows, one vector per column, and their keys.
    private var built: Batch?
    private var builtKeys: JoinKeyRows?
    /// Chained hash table over the build rows: the first row of each bucket, and each row's next.
    private var heads: [Int32] = []
    private var chain: [Int32] = []
    private var mask = 0
    /// Build rows some probe row matched (a full join emits the others at the end).
    private var matched: [Bool] = []
    private var emittedUnmatched = false
    private var hashCache: [Int: [UInt64]] = [:]
    private var held = 0

    /// The probe batch being joined, its keys, and the next probe row to join.
    private var current: (batch: Batch, keys: JoinKeyRows?)?
    private var nextRow = 0

    /// Rows per output batch (a probe batch whose rows match many build rows is cut into several).
    static let outputRows = 16_384

    package init(
        kind: Kind, probe: BatchStream, build: BatchStream, probeKeys: [BoundExpression],
        buildKeys: [BoundExpression], residual: BoundExpression?, probeTypes: [SQLValueType], buildTypes: [SQLValueType], probeIsLeft: Bool,
        context: QueryContext
    ) {
        self.kind = kind
        self.probe = probe
        self.build = build
        self.probeKeys = probeKeys.map(VectorExpression.init)
        self.buildKeys = buildKeys.map(VectorExpression.init)
        self.residual = residual.map(VectorExpression.init)
        self.buildTypes = buildTypes
        self.probeTypes = probeTypes
        self.probeIsLeft = probeIsLeft
        self.context = context
    }

    deinit { context.release(bytes: held) }

    override package func next() throws(StrataError) -> Batch? {
        if let build {
            try buildTable(build)
            self.build = nil
        }
        while true {
            if current == nil {
                guard let batch = try probe.next() else { return try unmatchedBuildRows() }
                if batch.count == 0 { continue }
                var keys: JoinKeyRows?
                if !probeKeys.isEmpty {
                    var vectors: [Vector] = []
                    for key in probeKeys { vectors.append(try key.evaluate(batch)) }
                    keys = JoinKeyRows(vectors, count: batch.count, hashCache: &hashCache)
                }
                current = (batch, keys)
                nextRow = 0
            }
            if let output = try joinCurrent() { return output }
        }
    }

    // MARK: Build

    private func buildTable(_ input: BatchStream) throws(StrataError) {
        var batches: [Batch] = []
        var rows = 0
        while let batch = try input.next() {
            if batch.count == 0 { continue }
            batches.append(batch)
            rows += batch.count
            // The build rows are held until the join ends.
            try context.account(&held, to: RowMemory.bytes(rows: rows, columns: buildTypes.count + 1))
        }
        let table = Batch(
            columns: buildTypes.indices.map { c in Vector.concatenated(batches.map { $0.columns[c] }, type: buildTypes[c]) },
            count: rows)
        built = table
        matched = kind == .full ? [Bool](repeating: false, count: rows) : []
        guard !buildKeys.isEmpty else { return }
        var vectors: [Vector] = []
        for key in buildKeys { vectors.append(try key.evaluate(table)) }
        let keys = JoinKeyRows(vectors, count: rows, hashCache: &hashCache)
        builtKeys = keys
        var buckets = 16
        while buckets < rows * 2 { buckets <<= 1 }
        mask = buckets - 1
        heads = [Int32](repeating: -1, count: buckets)
        chain = [Int32](repeating: -1, count: rows)
        // Inserted last to first, so each chain lists its rows in build order.
        for r in stride(from: rows - 1, through: 0, by: -1) where !keys.isNull(r) {
            let b = Int(truncatingIfNeeded: keys.hashes[r]) & mask
            chain[r] = heads[b]
            heads[b] = Int32(r)
        }
        try context.account(&held, to: RowMemory.bytes(rows: rows, columns: buildTypes.count + 1) + buckets * 4 + rows * 12)
    }

    // MARK: Probe

    /// Joins probe rows from `nextRow` on until an output batch is full or the probe batch ends; `nil` when
    /// no row of what was read is kept (the caller reads on).
    private func joinCurrent() throws(StrataError) -> Batch? {
        guard let (batch, keys) = current, let built else { return nil }
        var probeRows: [Int32] = []
        var buildRows: [Int32] = []
        /// Where each probe row's candidate pairs start in the arrays.
        var starts: [Int] = []
        var row = nextRow
        while row < batch.count, probeRows.count < Self.outputRows {
            starts.append(probeRows.count)
            if let keys, let builtKeys {
                if !keys.isNull(row) {
                    var candidate = heads[Int(truncatingIfNeeded: keys.hashes[row]) & mask]
                    while candidate >= 0 {
                        let b = Int(candidate)
                        if builtKeys.hashes[b] == keys.hashes[row], keys.equals(row, builtKeys, b) {
                            probeRows.append(Int32(row))
                            buildRows.append(candidate)
                        }
                        candidate = chain[b]
                    }
                }
            } else {
                // No keys: every build row is a candidate.
                probeRows.append(contentsOf: repeatElement(Int32(row), count: built.count))
                buildRows.append(contentsOf: 0..<Int32(built.count))
            }
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

    /// A full join's build rows that no probe row matched, with NULLs for the probe side; once.
    private func unmatchedBuildRows() throws(StrataError) -> Batch? {
        guard kind == .full, !emittedUnmatched, let built else { return nil }
        emittedUnmatched = true
        let rows = (0..<built.count).filter { !matched[$0] }.map { Int32($0) }
        if rows.isEmpty { return nil }
        let probeColumns = probeTypes.map { Vector.constant(.null, type: $0, count: rows.count) }
        let buildColumns = built.columns.map { $0.gather(rows) }
        let columns = probeIsLeft ? probeColumns + buildColumns : buildColumns + probeColumns
        return Batch(columns: columns, count: rows.count)
    }

    /// The output rows for pairs of a probe row and a build row (`-1`: none, NULLs).
    private func output(_ batch: Batch, probeRows: [Int32], buildRows: [Int32]) -> Batch {
        let probeColumns = batch.columns.map { $0.gather(probeRows) }
        let buildColumns: [Vector]
        if let built, built.count > 0 {
            buildColumns = built.columns.map { $0.gather(padding: buildRows) }
        } else {
            buildColumns = buildTypes.map { Vector.constant(.null, type: $0, count: probeRows.count) }
        }
        let columns = probeIsLeft ? probeColumns + buildColumns : buildColumns + probeColumns
        return Batch(columns: columns, count: probeRows.count)
    }
}

extension Vector {
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
        // Strings from plain vectors and dictionaries alike (each segment has its own dictionary).
        if let v = typed({ part -> [String]? in
            switch part.storage {
            case .string(let v): return v
            case .dictionary(let codes, let entries, _):
                guard case .string(let words) = entries.storage else { return nil }
                return codes.map { words[Int($0)] }
            default: return nil
            }
        }) {
            return Vector(type: type, storage: .string(v), validity: validity, count: count)
        }
        var values: [Value] = []
        values.reserveCapacity(count)
        for part in parts { for i in 0..<part.count { values.append(part.value(at: i)) } }
        return Vector.from(values, type: type)
    }
}
