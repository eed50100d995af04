package import StrataCore

/// GROUP BY over batches: each key expression's vector is numbered (``KeyColumn``), the key ids combine
/// into dense group ids (``GroupNumbering``), and each aggregate updates typed per-group state with the
/// whole batch. Groups come out in the order they first appear.
package final class HashAggregate {
    private let keys: [VectorExpression]
    private let keyColumns: [KeyColumn]
    private let calls: [AggregateCall]
    private let arguments: [VectorExpression?]
    /// The inputs of each call besides its argument (``AggregateCall/moreArguments``): a second argument, the
    /// keys of an ORDER BY.
    private let moreArguments: [[VectorExpression]]
    private let filters: [VectorExpression?]
    /// The other stored columns a rollup merge reads (``RollupMerge/extraArguments``), per call.
    private let extraArguments: [[VectorExpression]]
    private let states: [any VectorAggregate]
    /// Whether each call answers from an earlier call's state (nothing to update).
    private let shared: [Bool]
    private var numbering: GroupNumbering
    private let context: QueryContext
    private var held = 0

    package init(keys: [BoundExpression], aggregates: [AggregateCall], context: QueryContext) {
        self.keys = keys.map(VectorExpression.init)
        keyColumns = keys.map { _ in KeyColumn() }
        calls = aggregates
        arguments = aggregates.map { $0.argument.map(VectorExpression.init) }
        moreArguments = aggregates.map { $0.moreArguments.map(VectorExpression.init) }
        filters = aggregates.map { $0.filter.map(VectorExpression.init) }
        extraArguments = aggregates.map { ($0.merge?.extraArguments ?? []).map(VectorExpression.init) }
        // A rollup merge whose state an earlier call keeps answers from it (``SharingAggregate``).
        var states: [any VectorAggregate] = []
        var shared: [Bool] = []
        for (i, call) in aggregates.enumerated() {
            if let j = aggregates[..<i].indices.first(where: {
                !shared[$0] && aggregates[$0].sharesMergedState(with: call)
            }),
                let view = (states[j] as? any SharingAggregate)?.view(for: call)
            {
                states.append(view)
                shared.append(true)
            } else {
                states.append(call.makeAggregate())
                shared.append(false)
            }
        }
        self.states = states
        self.shared = shared
        numbering = GroupNumbering(keyCount: keys.count)
        self.context = context
    }

    /// A fresh aggregate of the same query (another worker's).
    package func sibling() -> HashAggregate {
        HashAggregate(
            keys: keys.map(\.expression), aggregates: calls, context: context)
    }

    deinit { context.release(bytes: held) }

    /// Whether it can take a batch with a ``Batch/selection``: when its keys and arguments are columns (read in
    /// place, nothing computed for rows the selection leaves out) and no FILTER can fail.
    package var acceptsSelection: Bool {
        let plain = { (e: VectorExpression) in if case .column = e.expression { true } else { false } }
        return keys.allSatisfy(plain) && arguments.allSatisfy { $0.map(plain) ?? true }
            && moreArguments.allSatisfy { $0.allSatisfy(plain) }
            && filters.allSatisfy { !($0?.canFail ?? false) } && extraArguments.allSatisfy(\.isEmpty)
    }

    /// The group keys.
    var keyExpressions: [VectorExpression] { keys }

    /// The key vectors of `batch`'s rows (its selected rows only, when it has a selection).
    func keyVectors(_ batch: Batch) throws(StrataError) -> [Vector] {
        var vectors: [Vector] = []
        vectors.reserveCapacity(keys.count)
        for key in keys { vectors.append(try key.evaluate(batch)) }
        if let selection = batch.selection {
            // Keys of the selected rows only: groups are numbered as if the batch had been gathered.
            vectors = vectors.map { $0.gather(selection) }
        }
        return vectors
    }

    /// Adds every row of `batch` (its selected rows, when it has a selection).
    package func consume(_ batch: Batch) throws(StrataError) {
        let vectors = try keyVectors(batch)
        let selection = batch.selection
        let live = batch.liveCount
        var groups: [UInt32]
        if let dense = denseGroups(vectors, rows: live) {
            groups = dense
        } else {
            let keyIDs = (0..<keys.count).map { keyColumns[$0].ids(vectors[$0]) }
            groups = numbering.groups(keyIDs, rows: live)
        }
        if let selection {
            // The aggregates read rows of the whole batch: each selected row's group at its row number.
            var scattered = [UInt32](repeating: 0, count: batch.count)
            scattered.withUnsafeMutableBufferPointer { out in
                for (i, r) in selection.enumerated() { out[Int(r)] = groups[i] }
            }
            groups = scattered
        }
        for a in calls.indices where !shared[a] {
            var rows: [Int32]? = selection
            if let filter = filters[a] {
                guard let selected = try filter.selection(batch, within: selection) else {
                    throw StrataError(.type, "FILTER needs a BOOLEAN condition")
                }
                rows = selected
            }
            if !extraArguments[a].isEmpty, let expression = arguments[a] {
                // A rollup merge of several stored columns (plain column reads, which cannot fail).
                var vectors = [try expression.evaluate(batch)]
                for extra in extraArguments[a] { vectors.append(try extra.evaluate(batch)) }
                try states[a].update(groups, groupCount: numbering.count, arguments: vectors, rows: rows)
                continue
            }
            if !moreArguments[a].isEmpty, let expression = arguments[a] {
                // Several inputs: all run only on the rows the FILTER keeps when any can fail.
                let inputs = [expression] + moreArguments[a]
                if let selected = rows, inputs.contains(where: \.canFail), selected.count < batch.count {
                    let kept = batch.gather(selected)
                    var vectors: [Vector] = []
                    for input in inputs { vectors.append(try input.evaluate(kept)) }
                    try states[a].update(
                        selected.map { groups[Int($0)] }, groupCount: numbering.count, arguments: vectors, rows: nil)
                    continue
                }
                var vectors: [Vector] = []
                for input in inputs { vectors.append(try input.evaluate(batch)) }
                try states[a].update(groups, groupCount: numbering.count, arguments: vectors, rows: rows)
                continue
            }
            var argument: Vector?
            if let expression = arguments[a] {
                // An argument that can fail runs only on the rows its FILTER keeps, as row at a time.
                if let selected = rows, expression.canFail, selected.count < batch.count {
                    let kept = batch.gather(selected)
                    let value = try expression.evaluate(kept)
                    try states[a].update(
                        selected.map { groups[Int($0)] }, groupCount: numbering.count, argument: value, rows: nil)
                    continue
                }
                argument = try expression.evaluate(batch)
            }
            try states[a].update(groups, groupCount: numbering.count, argument: argument, rows: rows)
        }
        var bytes = numbering.count * (16 + 8 * keys.count)
        for column in keyColumns { bytes += column.bytes }
        for state in states { bytes += state.bytes }
        try context.account(&held, to: bytes)
    }

    /// The dictionaries the dense table is for, and the group of each combination of their codes.
    private var dense: (dictionaries: [Int], groups: [UInt32])?
    /// The most code combinations a dense table covers.
    static let denseLimit = 1 << 16

    /// Groups by several dictionary (or BOOLEAN) keys whose code combinations are few (app version ×
    /// platform, is_new_user × platform): each
    /// row's codes index an array of groups, filled once per combination and kept for the dictionaries'
    /// later batches, so no row hashes. `nil` when the keys are not such.
    private func denseGroups(_ vectors: [Vector], rows: Int) -> [UInt32]? {
        guard vectors.count >= 2 else { return nil }
        var dictionaries: [Int] = []
        var sizes: [Int] = []
        var product = 1
        for vector in vectors {
            // One more slot per key for NULL.
            switch vector.storage {
            case .dictionary(_, let entries, let id?):
                dictionaries.append(id)
                sizes.append(entries.count + 1)
            case .bool:
                // FALSE, TRUE, NULL: the same digits in every batch.
                dictionaries.append(Int.min)
                sizes.append(3)
            default: return nil
            }
            product *= sizes[sizes.count - 1]
            if product > Self.denseLimit { return nil }
        }
        if dense?.dictionaries != dictionaries {
            dense = (dictionaries, [UInt32](repeating: .max, count: product))
        }
        var table = dense?.groups ?? []
        dense?.groups = []
        defer { dense?.groups = table }
        // Each row's slot: its codes as digits in mixed radix (NULL is the last digit of its key), built a
        // key at a time in tight loops.
        var slots = [Int32](repeating: 0, count: rows)
        slots.withUnsafeMutableBufferPointer { slots in
            for (k, vector) in vectors.enumerated() {
                let size = Int32(sizes[k])
                switch vector.storage {
                case .dictionary(let codes, _, _):
                    codes.withUnsafeBufferPointer { codes in
                        for i in 0..<rows { slots[i] = slots[i] &* size &+ Int32(truncatingIfNeeded: codes[i]) }
                        if let mask = vector.nullMask() {
                            for i in 0..<rows where !mask[i] {
                                slots[i] = slots[i] &- Int32(truncatingIfNeeded: codes[i]) &+ (size &- 1)
                            }
                        }
                    }
                case .bool(let bits):
                    bits.withUnsafeBufferPointer { bits in
                        for i in 0..<rows { slots[i] = slots[i] &* size &+ (bits[i] ? 1 : 0) }
                        if let mask = vector.nullMask() {
                            for i in 0..<rows where !mask[i] { slots[i] = slots[i] &- (bits[i] ? 1 : 0) &+ 2 }
                        }
                    }
                default: continue
                }
            }
        }
        var out = [UInt32](repeating: 0, count: rows)
        for i in 0..<rows {
            let slot = Int(slots[i])
            var g = table[slot]
            if g == .max {
                let tuple = vectors.indices.map { [keyColumns[$0].single(vectors[$0], i)] }
                g = numbering.groups(tuple, rows: 1)[0]
                table[slot] = g
            }
            out[i] = g
        }
        return out
    }

    /// Whether workers' aggregates of this query can merge (then it runs on several).
    package var mergeable: Bool { states.allSatisfy(\.mergeable) }

    /// Adds another worker's groups and states: its groups map onto this one's by their key values.
    package func merge(_ other: HashAggregate) throws(StrataError) {
        let width = keys.count
        var map: [UInt32] = []
        map.reserveCapacity(other.numbering.count)
        if width == 0 {
            map = [0]
        } else {
            // Each key's values of the other side, numbered here in one pass per key.
            let keyIDs = (0..<width).map { k in
                keyColumns[k].translation(from: other.keyColumns[k], type: keys[k].expression.type)
            }
            let tuples = (0..<width).map { k in
                (0..<other.numbering.count).map { g in keyIDs[k][Int(other.numbering.tuples[g * width + k])] }
            }
            map = numbering.groups(tuples, rows: other.numbering.count)
        }
        for (state, incoming) in zip(states, other.states) {
            try state.merge(incoming, groups: map, groupCount: numbering.count)
        }
    }

    /// One row per group: the keys, then the aggregates.
    package func finish() throws(StrataError) -> [[Value]] {
        let count = numbering.count
        try context.reserve(bytes: RowMemory.bytes(rows: count, columns: keys.count + calls.count))
        var output: [[Value]] = []
        output.reserveCapacity(count)
        let width = keys.count
        // Each key's values read once, not once per group (a retain, a release and a class access each).
        let keyValues = keyColumns.map(\.values)
        let tuples = numbering.tuples
        for g in 0..<count {
            if g & 4095 == 0 { try context.check() }
            var row: [Value] = []
            row.reserveCapacity(width + calls.count)
            for k in 0..<width { row.append(keyValues[k][Int(tuples[g * width + k])]) }
            for state in states { row.append(try state.result(g)) }
            output.append(row)
        }
        return output
    }
}
