import StrataCore

/// A bound expression prepared to run a batch at a time.
///
/// Each node evaluates its children to vectors, then runs a kernel over the typed buffers. A node that
/// reads only one string column straight from a segment runs once per entry of the segment's dictionary
/// (`lower(platform)`, `event ILIKE '%cart%'`, `CASE WHEN country = 'US' …`) and hands back codes into
/// its results, kept for the segment's later batches. What has no kernel yet (DECIMAL and HUGEINT
/// arithmetic, string casts) runs the row-at-a-time rules on the rows of its subtree, so every expression
/// gives the same value here as in ``BoundExpression/evaluate(_:)``.
///
/// Not thread-safe (the per-segment results): each worker prepares its own.
package final class VectorExpression {
    let expression: BoundExpression
    let children: [VectorExpression]
    /// The one input column the expression reads, when it reads exactly one.
    let onlyColumn: Int?
    /// Whether evaluating it can throw (overflow, a failed cast): such an expression runs only on the rows
    /// that reach it (a CASE branch, the right side of AND), and never once per dictionary entry, where an
    /// entry no selected row holds could fail.
    let canFail: Bool
    private var cachedDictionary: (id: Int, result: Vector)?
    /// For a predicate of one dictionary column: the truth value of each entry of the last dictionary, and
    /// the codes of the TRUE ones (``selection(_:within:)``).
    var cachedTruth: (id: Int, truth: EntryTruth)?
    /// For an AND: the order its conjuncts narrow a selection in (``conjunctSteps(_:)``).
    private(set) lazy var conjunctSteps: [ConjunctStep] = Self.conjunctSteps(children)

    package init(_ expression: BoundExpression) {
        self.expression = expression
        children = expression.children.map(VectorExpression.init)
        let columns = expression.columns
        onlyColumn = columns.count == 1 ? columns.first : nil
        canFail = Self.mayFail(expression) || children.contains { $0.canFail }
    }

    /// The expression's value on every row of `batch`.
    func evaluate(_ batch: Batch) throws(StrataError) -> Vector {
        if case .column(let index, _, _) = expression { return batch.columns[index] }
        if case .constant(let value, let type) = expression { return .constant(value, type: type, count: batch.count) }
        // A function of one dictionary column: run it once per entry, plus once for NULL (the entry past
        // the last, which the column's NULL rows point to).
        if let column = onlyColumn, !canFail,
            case .dictionary(var codes, let entries, let id) = batch.columns[column].storage,
            case .string(let strings) = entries.storage, entries.validity == nil
        {
            let results: Vector
            if let id, let cached = cachedDictionary, cached.id == id {
                results = cached.result
            } else {
                var withNull = Bitset(count: strings.count + 1, value: true)
                withNull[strings.count] = false
                var columns = batch.columns
                columns[column] = Vector(
                    type: entries.type, storage: .string(strings + [""]), validity: withNull, count: strings.count + 1)
                results = try compute(Batch(columns: columns, count: strings.count + 1))
                if let id { cachedDictionary = (id, results) }
            }
            if let validity = batch.columns[column].validity {
                for i in 0..<batch.count where !validity[i] { codes[i] = UInt32(strings.count) }
            }
            // The results may repeat (two phone numbers, one country code): never a table dictionary's id, whose
            // entries are distinct strings (``Vector/derivedDictionaryID(_:)``).
            return Vector(
                type: expression.type,
                storage: .dictionary(codes: codes, entries: results, id: id.map(Vector.derivedDictionaryID)),
                count: batch.count)
        }
        return try compute(batch)
    }

    /// Whether the node itself (not its children) can raise an error on some input.
    static func mayFail(_ e: BoundExpression) -> Bool {
        switch e {
        case .intervalConstant: true
        case .arithmetic(let op, _, _, let type): type != .double || op == .modulo || op == .integerDivide
        case .negate: true
        case .addInterval: true
        case .cast(let x, let type):
            // The casts that cannot fail: widening a number, a timestamp to its day, anything to text.
            switch (x.type, type) {
            case (.bigint, .double), (.bigint, .hugeint), (.boolean, .bigint), (.timestamp, .date), (.date, .timestamp),
                (_, .varchar), (.null, _):
                false
            default: x.type != type
            }
        case .function(let f, let arguments, _):
            switch f {
            case .text(let text): text.canFail
            // A replacement that is not a constant is parsed per row, and can be invalid.
            case .regex(.replace, _): arguments.count > 1 && arguments[1].constantValue == nil
            case .regex, .math, .tryCast, .random: false
            case .calendar(let calendar): calendar.canFail
            case .lower, .upper, .length, .substring, .coalesce, .nullif, .greatest, .least, .sqrt, .ln, .exp, .power,
                .floor, .ceil:
                false
            default: true
            }
        default: false
        }
    }

    /// The kernels: children first, then the node over their vectors.
    private func compute(_ batch: Batch) throws(StrataError) -> Vector {
        let n = batch.count
        switch expression {
        case .constant(let value, let type):
            return .constant(value, type: type, count: n)
        case .column(let index, _, _):
            return batch.columns[index]
        case .not:
            let x = try children[0].evaluate(batch)
            guard let truth = x.truthValues() else { return try rowAtATime(batch) }
            return Vector.truth(truth.map { 2 - $0 }, count: n)
        case .and, .or:
            let isAnd = if case .and = expression { true } else { false }
            var result = [UInt8](repeating: isAnd ? Truth.yes : Truth.no, count: n)
            for (k, child) in children.enumerated() {
                // An operand that can fail runs only on the rows still undecided: the row-at-a-time rules stop
                // at the first FALSE (AND) or TRUE (OR).
                if k > 0, child.canFail {
                    let decided = isAnd ? Truth.no : Truth.yes
                    let open = (0..<n).filter { result[$0] != decided }.map { Int32($0) }
                    guard !open.isEmpty else { break }
                    guard let truth = try child.evaluate(batch.gather(open)).truthValues() else {
                        return try rowAtATime(batch)
                    }
                    for (j, r) in open.enumerated() {
                        let i = Int(r)
                        result[i] = isAnd ? Swift.min(result[i], truth[j]) : Swift.max(result[i], truth[j])
                    }
                    continue
                }
                guard let truth = try child.evaluate(batch).truthValues() else { return try rowAtATime(batch) }
                // Kleene AND is the minimum of the truth values (no < unknown < yes), OR the maximum.
                result.withUnsafeMutableBufferPointer { result in
                    truth.withUnsafeBufferPointer { truth in
                        if isAnd {
                            for i in 0..<n { result[i] = Swift.min(result[i], truth[i]) }
                        } else {
                            for i in 0..<n { result[i] = Swift.max(result[i], truth[i]) }
                        }
                    }
                }
            }
            return Vector.truth(result, count: n)
        case .compare(let op, _, _):
            let a = try children[0].evaluate(batch)
            let b = try children[1].evaluate(batch)
            return try orRows(VectorKernels.compare(op, a, b), batch)
        case .arithmetic(let op, _, _, let type):
            let a = try children[0].evaluate(batch)
            let b = try children[1].evaluate(batch)
            return try orRows(VectorKernels.arithmetic(op, a, b, type: type), batch)
        case .negate:
            let x = try children[0].evaluate(batch)
            return try orRows(VectorKernels.negate(x), batch)
        case .isNull(_, let negated):
            let x = try children[0].evaluate(batch)
            let mask = x.nullMask()
            var out = [Bool](repeating: negated, count: n)
            if let mask { for i in 0..<n where !mask[i] { out[i] = !negated } }
            return Vector(type: .boolean, storage: .bool(out), count: n)
        case .inList(_, let list, let negated):
            guard let set = VectorKernels.ConstantSet(list) else { return try rowAtATime(batch) }
            let x = try children[0].evaluate(batch)
            return try orRows(VectorKernels.inList(x, set, negated: negated), batch)
        case .like(_, let pattern, let negated, let caseInsensitive):
            guard case .string(let text) = pattern.constantValue else { return try rowAtATime(batch) }
            let x = try children[0].evaluate(batch)
            return try orRows(VectorKernels.like(x, pattern: text, negated: negated, caseInsensitive: caseInsensitive), batch)
        case .caseWhen(let branches, _, let type):
            return try orRows(caseWhen(branches.count, type: type, batch), batch)
        case .cast(_, let type):
            let x = try children[0].evaluate(batch)
            return try orRows(VectorKernels.cast(x, to: type), batch)
        case .function(let function, _, let type):
            switch function {
            case .random(let seed):
                return Vector(type: .double, storage: .double(RandomDraws.values(seed: seed, count: n)), count: n)
            case .coalesce:
                if children.contains(where: \.canFail) { return try rowAtATime(batch) }
                var values: [Vector] = []
                for child in children { values.append(try child.evaluate(batch)) }
                return try orRows(VectorKernels.coalesce(values, type: type), batch)
            default:
                var values: [Vector] = []
                for child in children { values.append(try child.evaluate(batch)) }
                return try orRows(VectorKernels.function(function, values, type: type), batch)
            }
        case .addInterval, .intervalConstant:
            return try rowAtATime(batch)
        }
    }

    /// `CASE WHEN c1 THEN r1 … ELSE e END`: each row takes the first branch whose condition is TRUE. A
    /// condition or result that can fail runs only on the rows that reach it, as row at a time.
    private func caseWhen(_ branchCount: Int, type: SQLValueType, _ batch: Batch) throws(StrataError) -> Vector? {
        let n = batch.count
        // `CASE WHEN c THEN k1 ELSE k2 END` with constants (a flag to count or average): one pass over the
        // condition's truth values.
        if branchCount == 1, !children[0].canFail, case .constant(let then, _) = children[1].expression {
            let otherwise: Value
            if children.count > 2 {
                guard case .constant(let value, _) = children[2].expression else {
                    return try caseWhenRows(branchCount, type: type, batch)
                }
                otherwise = value
            } else {
                otherwise = .null
            }
            let condition = try children[0].evaluate(batch)
            guard let truth = condition.truthValues() else { return nil }
            if case .int64(let a) = then, case .int64(let b) = otherwise, type == .bigint {
                let values = truth.withUnsafeBufferPointer { truth in
                    [Int64](unsafeUninitializedCapacity: n) { out, initialized in
                        for i in 0..<n { out[i] = truth[i] == Truth.yes ? a : b }
                        initialized = n
                    }
                }
                return Vector(type: type, storage: .int64(values), count: n)
            }
            // Codes into the two results, so a group key or a function of the result works per value.
            let codes = truth.withUnsafeBufferPointer { truth in
                [UInt32](unsafeUninitializedCapacity: n) { out, initialized in
                    for i in 0..<n { out[i] = truth[i] == Truth.yes ? 0 : 1 }
                    initialized = n
                }
            }
            let entries = Vector.from([then, otherwise], type: type)
            return Vector(type: type, storage: .dictionary(codes: codes, entries: entries, id: nil), count: n)
        }
        if branchCount == 1, !children[0].canFail, !children[1].canFail,
            let chosen = try caseWhenColumn(type: type, batch)
        {
            return chosen
        }
        return try caseWhenRows(branchCount, type: type, batch)
    }

    /// `CASE WHEN c THEN x ELSE k END` with `x` a number vector of the result's type and `k` a constant
    /// (`sum(CASE WHEN event = 'purchase' THEN revenue ELSE 0 END)`): each row's value picked in one pass over
    /// the condition's truth values. `nil` for other operands.
    private func caseWhenColumn(type: SQLValueType, _ batch: Batch) throws(StrataError) -> Vector? {
        guard children[1].expression.type == type, type == .double || type == .bigint else { return nil }
        var otherwise: Value = .null
        if children.count > 2 {
            switch children[2].expression {
            case .constant(let value, _): otherwise = value
            // `ELSE 0` under THEN's DOUBLE: the binder's widening cast of an integer constant.
            case .cast(.constant(.int64(let x), _), .double): otherwise = .double(Double(x))
            default: return nil
            }
        }
        let then = try children[1].evaluate(batch)
        let n = batch.count
        switch (then.storage, otherwise) {
        case (.double, .null), (.double, .double), (.double, .int64), (.int64, .null), (.int64, .int64): break
        default: return nil
        }
        guard let truth = try children[0].evaluate(batch).truthValues() else { return nil }
        // NULL where the row took THEN and its value is NULL, or took a NULL ELSE.
        var validity: Bitset?
        if then.validity != nil || otherwise.isNull {
            var bits = Bitset(count: n, value: true)
            let thenMask = then.validity
            for i in 0..<n where !(truth[i] == Truth.yes ? (thenMask?[i] ?? true) : !otherwise.isNull) {
                bits[i] = false
            }
            validity = bits
        }
        func pick<T>(_ values: [T], _ fallback: T) -> [T] {
            truth.withUnsafeBufferPointer { truth in
                values.withUnsafeBufferPointer { values in
                    [T](unsafeUninitializedCapacity: n) { out, initialized in
                        for i in 0..<n { out[i] = truth[i] == Truth.yes ? values[i] : fallback }
                        initialized = n
                    }
                }
            }
        }
        switch (then.storage, type) {
        case (.double(let values), .double):
            let fallback: Double
            switch otherwise {
            case .null: fallback = 0
            case .double(let x): fallback = x
            case .int64(let x): fallback = Double(x)
            default: return nil
            }
            return Vector(type: type, storage: .double(pick(values, fallback)), validity: validity, count: n)
        case (.int64(let values), .bigint):
            let fallback: Int64
            switch otherwise {
            case .null: fallback = 0
            case .int64(let x): fallback = x
            default: return nil
            }
            return Vector(type: type, storage: .int64(pick(values, fallback)), validity: validity, count: n)
        default:
            return nil
        }
    }

    /// The general `CASE`: each row's branch first, then each branch's result on its rows.
    private func caseWhenRows(_ branchCount: Int, type: SQLValueType, _ batch: Batch) throws(StrataError) -> Vector? {
        let n = batch.count
        let elseBranch = Int32(branchCount)
        var chosen = [Int32](repeating: elseBranch, count: n)  // branchCount: the ELSE
        var open = n
        for b in 0..<branchCount where open > 0 {
            let condition = children[2 * b]
            if condition.canFail {
                let rows = (0..<n).filter { chosen[$0] == elseBranch }.map { Int32($0) }
                guard let truth = try condition.evaluate(batch.gather(rows)).truthValues() else { return nil }
                for (j, r) in rows.enumerated() where truth[j] == Truth.yes {
                    chosen[Int(r)] = Int32(b)
                    open -= 1
                }
                continue
            }
            guard let truth = try condition.evaluate(batch).truthValues() else { return nil }
            chosen.withUnsafeMutableBufferPointer { chosen in
                truth.withUnsafeBufferPointer { truth in
                    for i in 0..<n {
                        let takes = chosen[i] == elseBranch && truth[i] == Truth.yes
                        chosen[i] = takes ? Int32(b) : chosen[i]
                        open &-= takes ? 1 : 0
                    }
                }
            }
        }
        var results: [Vector] = []
        // Row i's position in its branch's vector: i for a vector over every row, else its rank among the
        // rows that chose the branch.
        var position: [Int32]?
        var isSubset = [Bool](repeating: false, count: branchCount + 1)
        for b in 0...branchCount {
            let result: VectorExpression? =
                b < branchCount ? children[2 * b + 1] : (children.count > 2 * branchCount ? children[2 * branchCount] : nil)
            guard let result else {
                results.append(.constant(.null, type: type, count: n))
                continue
            }
            if result.canFail {
                let rows = (0..<n).filter { chosen[$0] == Int32(b) }.map { Int32($0) }
                if position == nil { position = (0..<n).map { Int32($0) } }
                for (j, r) in rows.enumerated() { position?[Int(r)] = Int32(j) }
                isSubset[b] = true
                results.append(try result.evaluate(batch.gather(rows)))
            } else {
                results.append(try result.evaluate(batch))
            }
        }
        if let position {
            return Vector.from(
                (0..<n).map { i in
                    let b = Int(chosen[i])
                    return results[b].value(at: isSubset[b] ? Int(position[i]) : i)
                }, type: type)
        }
        return VectorKernels.select(chosen, from: results, type: type)
    }

    /// `vector`, or the row-at-a-time rules when a kernel had no loop for the operands.
    private func orRows(_ vector: @autoclosure () throws(StrataError) -> Vector?, _ batch: Batch) throws(StrataError)
        -> Vector
    {
        if let vector = try vector() { return vector }
        return try rowAtATime(batch)
    }

    /// The row-at-a-time rules on every row: the subtree reads the batch's columns boxed.
    func rowAtATime(_ batch: Batch) throws(StrataError) -> Vector {
        let used = expression.columns
        var row = [Value](repeating: .null, count: batch.columns.count)
        var out: [Value] = []
        out.reserveCapacity(batch.count)
        for i in 0..<batch.count {
            for c in used { row[c] = batch.columns[c].value(at: i) }
            out.append(try expression.evaluate(row))
        }
        return Vector.from(out, type: expression.type)
    }
}

extension Vector {
    /// A BOOLEAN vector from Kleene truth values.
    static func truth(_ values: [UInt8], count: Int) -> Vector {
        var unknowns: UInt8 = 0
        let bools = values.withUnsafeBufferPointer { v in
            [Bool](unsafeUninitializedCapacity: count) { out, initialized in
                for i in 0..<count {
                    out[i] = v[i] == Truth.yes
                    unknowns |= v[i] & 1
                }
                initialized = count
            }
        }
        var validity: Bitset?
        if unknowns != 0 {
            var bits = Bitset(count: count, value: true)
            for i in 0..<count where values[i] == Truth.unknown { bits[i] = false }
            validity = bits
        }
        return Vector(type: .boolean, storage: .bool(bools), validity: validity, count: count)
    }

    /// Kleene truth values of a BOOLEAN vector (`nil`: not a boolean vector the kernels read).
    func truthValues() -> [UInt8]? {
        var out: [UInt8]
        switch storage {
        case .bool(let v):
            out = v.withUnsafeBufferPointer { v in
                [UInt8](unsafeUninitializedCapacity: v.count) { out, initialized in
                    for i in 0..<v.count { out[i] = v[i] ? Truth.yes : Truth.no }
                    initialized = v.count
                }
            }
        case .constant(let value):
            switch value {
            case .bool(let b): out = [UInt8](repeating: b ? Truth.yes : Truth.no, count: count)
            case .null: return [UInt8](repeating: Truth.unknown, count: count)
            default: return nil
            }
        case .dictionary(let codes, let entries, _):
            guard let e = entries.truthValues() else { return nil }
            out = Vector.looked(e, codes)
        case .boxed(let values):
            out = values.map {
                switch $0 {
                case .bool(true): Truth.yes
                case .bool(false): Truth.no
                default: Truth.unknown
                }
            }
        default: return nil
        }
        if let validity {
            // Only the words with a NULL row need a look per bit.
            for (w, word) in validity.words.enumerated() where word != ~0 {
                for i in (w << 6)..<Swift.min(count, (w + 1) << 6) where word & (1 << UInt64(i & 63)) == 0 {
                    out[i] = Truth.unknown
                }
            }
        }
        return out
    }

    /// The rows where a BOOLEAN vector is TRUE (a filter's selection).
    func selectedRows() -> [Int32]? {
        switch storage {
        case .bool(let v) where validity == nil:
            return v.withUnsafeBufferPointer { v in Self.selected(v.count) { i in v[i] } }
        case .dictionary(let codes, let entries, _) where validity == nil:
            // One truth value per dictionary entry, then a lookup per row.
            guard let truth = entries.truthValues() else { return nil }
            return truth.withUnsafeBufferPointer { truth in
                codes.withUnsafeBufferPointer { codes in
                    Self.selected(codes.count) { i in truth[Int(codes[i])] == Truth.yes }
                }
            }
        default:
            guard let truth = truthValues() else { return nil }
            return truth.withUnsafeBufferPointer { truth in Self.selected(truth.count) { i in truth[i] == Truth.yes } }
        }
    }

    /// The indices below `count` where `isSelected` holds, written without a branch per row.
    @inline(__always)
    private static func selected(_ count: Int, _ isSelected: (Int) -> Bool) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            var n = 0
            for i in 0..<count {
                out[n] = Int32(truncatingIfNeeded: i)
                n &+= Int(unsafeBitCast(isSelected(i), to: UInt8.self))
            }
            initialized = n
        }
    }
}
