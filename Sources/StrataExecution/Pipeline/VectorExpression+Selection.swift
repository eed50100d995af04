package import StrataCore

extension VectorExpression {
    /// The rows of `batch` (among `rows`, when given: ascending row numbers) where the expression is TRUE —
    /// what a WHERE keeps; `nil` when it is not a BOOLEAN expression.
    ///
    /// A conjunction narrows conjunct by conjunct, as DuckDB's selection vectors do: each conjunct runs on
    /// the rows the ones before it kept, and once few are left, on those rows alone. A predicate of one
    /// dictionary column is a truth value per entry, and its rows are the codes of the TRUE entries: with one
    /// such entry (`event = 'purchase'`), a comparison of codes; with none, no row is read at all.
    package func selection(_ batch: Batch, within rows: [Int32]? = nil) throws(StrataError) -> [Int32]? {
        // An operand past the first that can fail runs only where the ones before it are not FALSE (the
        // row-at-a-time rules): narrowing would skip its NULL rows, so such a conjunction runs whole.
        if case .and = expression, !children.dropFirst().contains(where: \.canFail) {
            var kept = rows
            for step in conjunctSteps {
                let next: [Int32]
                switch step {
                case .integer(let column, let test, let fused):
                    if case .int64(let values) = batch.columns[column].storage {
                        next = Self.rows(values, batch.columns[column].validity, test, within: kept, count: batch.count)
                    } else {
                        // Not a plain integer buffer (a constant vector): each conjunct on its own.
                        var narrowed = kept
                        for i in fused {
                            guard let rows = try children[i].selection(batch, within: narrowed) else { return nil }
                            narrowed = rows
                            if rows.isEmpty { break }
                        }
                        guard let narrowed else { continue }
                        next = narrowed
                    }
                case .child(let i):
                    guard let rows = try children[i].selection(batch, within: kept) else { return nil }
                    next = rows
                }
                if next.isEmpty { return next }
                kept = next
            }
            return kept
        }
        if let rows, rows.count * 8 < batch.count, !runsPerEntry(batch) {
            // Few rows left: evaluate on them alone.
            let reading = expression.columns
            let narrowed = Batch(
                columns: batch.columns.enumerated().map { c, vector in
                    reading.contains(c) ? vector.gather(rows) : .constant(.null, type: vector.type, count: rows.count)
                },
                count: rows.count, segment: batch.segment)
            guard let kept = try selection(narrowed) else { return nil }
            return kept.map { rows[Int($0)] }
        }
        if let (column, test) = Self.integerComparison(expression), case .int64(let values) = batch.columns[column].storage {
            return Self.rows(values, batch.columns[column].validity, test, within: rows, count: batch.count)
        }
        if case .compare(let op, let left, let right) = expression, let kept = try comparison(op, left, right, batch, rows) {
            return kept
        }
        let value = try evaluate(batch)
        if case .dictionary(let codes, let entries, let id) = value.storage, value.validity == nil {
            let truth: EntryTruth
            if let id, let cached = cachedTruth, cached.id == id {
                truth = cached.truth
            } else {
                guard let values = entries.truthValues() else { return nil }
                truth = EntryTruth(values)
                if let id { cachedTruth = (id, truth) }
            }
            return Self.rows(codes: codes, truth: truth, within: rows)
        }
        if let rows {
            guard let truth = value.truthValues() else { return nil }
            return truth.withUnsafeBufferPointer { truth in
                rows.withUnsafeBufferPointer { rows in Self.selected(rows.count, { rows[$0] }) { truth[Int($0)] == Truth.yes } }
            }
        }
        return value.selectedRows()
    }

    /// Whether ``evaluate(_:)`` runs once per entry of the dictionary of the one column it reads (without
    /// NULL rows to repoint): then the rows left are tested by their codes in place (`experiment = 'a' AND
    /// event = 'b'`: one code compare a row for the second), rather than gathered into a batch of their own.
    private func runsPerEntry(_ batch: Batch) -> Bool {
        guard let column = onlyColumn, !canFail, batch.columns[column].validity == nil,
            case .dictionary(_, let entries, _) = batch.columns[column].storage,
            case .string = entries.storage, entries.validity == nil
        else { return false }
        return true
    }

    /// The rows where a column compares with a constant as `op` says, tested in place (no vector of
    /// results); `nil` when the kernels do not compare that pair this way.
    private func comparison(
        _ written: ComparisonOperator, _ left: BoundExpression, _ right: BoundExpression, _ batch: Batch, _ rows: [Int32]?
    ) throws(StrataError) -> [Int32]? {
        let column: Vector
        let op: ComparisonOperator
        let constant: Value
        let type: SQLValueType
        if case .constant(let c, let t) = right, !c.isNull {
            (column, op, constant, type) = (try children[0].evaluate(batch), written, c, t)
        } else if case .constant(let c, let t) = left, !c.isNull {
            (column, op, constant, type) = (try children[1].evaluate(batch), written.flipped, c, t)
        } else {
            return nil
        }
        let count = batch.count
        let validity = column.validity
        if case .double(let values) = column.storage, column.type == .double, VectorKernels.numeric(type) {
            let x: Double
            switch constant {
            case .double(let d) where !d.isNaN: x = d
            case .int64(let i): x = Double(i)
            default: return nil
            }
            // ValueOrder's order: NaN above every number (IEEE comparisons with it are false).
            switch op {
            case .equal: return Self.rows(values, validity, within: rows, count: count) { $0 == x }
            case .notEqual: return Self.rows(values, validity, within: rows, count: count) { $0 != x }
            case .lessThan: return Self.rows(values, validity, within: rows, count: count) { $0 < x }
            case .lessThanOrEqual: return Self.rows(values, validity, within: rows, count: count) { $0 <= x }
            case .greaterThan: return Self.rows(values, validity, within: rows, count: count) { $0 > x || $0.isNaN }
            case .greaterThanOrEqual:
                return Self.rows(values, validity, within: rows, count: count) { $0 >= x || $0.isNaN }
            }
        }
        guard let holds = VectorKernels.compare(op, column, constant: constant, type: type) else { return nil }
        return holds.withUnsafeBufferPointer { holds in
            if let rows {
                return rows.withUnsafeBufferPointer { rows in
                    if let validity {
                        return Self.selected(rows.count, { rows[$0] }) { r in validity[Int(r)] && holds[Int(r)] }
                    }
                    return Self.selected(rows.count, { rows[$0] }) { r in holds[Int(r)] }
                }
            }
            if let validity {
                return Self.selected(count, { Int32(truncatingIfNeeded: $0) }) { r in validity[Int(r)] && holds[Int(r)] }
            }
            return Self.selected(count, { Int32(truncatingIfNeeded: $0) }) { r in holds[Int(r)] }
        }
    }

    /// The rows (among `within`, else of the first `count`) whose non-NULL value passes `test`, in one
    /// branch-free pass (a compare of loaded values would compile to a branch that mispredicts on every
    /// other row of a half-selective filter).
    static func rows(_ values: [Int64], _ validity: Bitset?, _ test: IntegerTest, within: [Int32]?, count: Int)
        -> [Int32]
    {
        let (lower, span, excluded): (Int64, UInt64, Int64?)
        switch test {
        case .range(let a, let b): (lower, span, excluded) = (a, UInt64(bitPattern: b &- a), nil)
        case .notEqual(let value): (lower, span, excluded) = (0, 0, value)
        case .never: return []
        }
        return values.withUnsafeBufferPointer { x in
            @inline(__always) func passes(_ r: Int32) -> Bool {
                let v = x[Int(r)]
                if let excluded { return v != excluded }
                return UInt64(bitPattern: v &- lower) <= span
            }
            if let validity {
                if let within {
                    return within.withUnsafeBufferPointer { within in
                        selected(within.count, { within[$0] }) { r in validity[Int(r)] && passes(r) }
                    }
                }
                return selected(count, { Int32(truncatingIfNeeded: $0) }) { r in validity[Int(r)] && passes(r) }
            }
            if let within {
                return within.withUnsafeBufferPointer { within in selected(within.count, { within[$0] }, passes) }
            }
            return selected(count, { Int32(truncatingIfNeeded: $0) }, passes)
        }
    }

    /// The rows (among `within`, else of the first `count`) whose non-NULL value passes `test`, tested in place.
    @inline(__always)
    static func rows<T>(
        _ values: [T], _ validity: Bitset?, within: [Int32]?, count: Int, _ test: (T) -> Bool
    ) -> [Int32] {
        values.withUnsafeBufferPointer { x in
            if let validity {
                if let within {
                    return within.withUnsafeBufferPointer { within in
                        selected(within.count, { within[$0] }) { r in validity[Int(r)] && test(x[Int(r)]) }
                    }
                }
                return selected(count, { Int32(truncatingIfNeeded: $0) }) { r in validity[Int(r)] && test(x[Int(r)]) }
            }
            if let within {
                return within.withUnsafeBufferPointer { within in
                    selected(within.count, { within[$0] }) { r in test(x[Int(r)]) }
                }
            }
            return selected(count, { Int32(truncatingIfNeeded: $0) }) { r in test(x[Int(r)]) }
        }
    }

    /// The rows (among `within`) whose code's entry is TRUE.
    private static func rows(codes: [UInt32], truth: EntryTruth, within: [Int32]?) -> [Int32] {
        @inline(__always) func select(_ isSelected: (UInt32) -> Bool) -> [Int32] {
            codes.withUnsafeBufferPointer { codes in
                if let within {
                    return within.withUnsafeBufferPointer { within in
                        selected(within.count, { within[$0] }) { r in isSelected(codes[Int(r)]) }
                    }
                }
                return selected(codes.count, { Int32(truncatingIfNeeded: $0) }) { r in isSelected(codes[Int(r)]) }
            }
        }
        if truth.yes.isEmpty { return [] }
        if truth.yes.count == truth.values.count { return within ?? (0..<Int32(codes.count)).map { $0 } }
        if truth.yes.count == 1 {
            let code = truth.yes[0]
            return select { $0 == code }
        }
        if let (a, b) = truth.notYes {
            // Every entry but one or two (`event <> 'page_view'`: that value, and the NULL entry).
            return select { $0 != a && $0 != b }
        }
        let values = truth.values
        return values.withUnsafeBufferPointer { values in select { values[Int($0)] == Truth.yes } }
    }

    /// The rows `row(i)` for `i` below `count` where `isSelected` holds, written without a branch per row.
    @inline(__always)
    private static func selected(_ count: Int, _ row: (Int) -> Int32, _ isSelected: (Int32) -> Bool) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            var n = 0
            for i in 0..<count {
                let r = row(i)
                out[n] = r
                n &+= Int(unsafeBitCast(isSelected(r), to: UInt8.self))
            }
            initialized = n
        }
    }
}

/// The truth value of each entry of a dictionary under a predicate, with the TRUE entries' codes, and the
/// codes of the others when there are at most two (`<>` of one value: it, and the NULL entry).
struct EntryTruth {
    var values: [UInt8]
    var yes: [UInt32] = []
    var notYes: (UInt32, UInt32)?

    init(_ values: [UInt8]) {
        self.values = values
        var others: [UInt32] = []
        for (code, t) in values.enumerated() {
            if t == Truth.yes {
                yes.append(UInt32(code))
            } else if others.count < 3 {
                others.append(UInt32(code))
            }
        }
        switch others.count {
        case 1: notYes = (others[0], others[0])
        case 2: notYes = (others[0], others[1])
        default: notYes = nil
        }
    }
}

/// A test of an integer column's values that conjuncts fuse into: `x >= 200 AND x < 1000` is one range
/// (`UInt64(x &- lower) <= upper &- lower`, one compare a row).
enum IntegerTest: Equatable {
    /// `lower <= x <= upper`.
    case range(Int64, Int64)
    case notEqual(Int64)
    /// Holds for no value (`x < Int64.min`, or disjoint bounds).
    case never

    /// `x op c` as a test; `nil` for an operator a range cannot say.
    init(_ op: ComparisonOperator, _ c: Int64) {
        switch op {
        case .equal: self = .range(c, c)
        case .notEqual: self = .notEqual(c)
        case .lessThan: self = c == .min ? .never : .range(.min, c - 1)
        case .lessThanOrEqual: self = .range(.min, c)
        case .greaterThan: self = c == .max ? .never : .range(c + 1, .max)
        case .greaterThanOrEqual: self = .range(c, .max)
        }
    }

    /// Both tests at once, when one range says it.
    func intersected(with other: IntegerTest) -> IntegerTest? {
        switch (self, other) {
        case (.never, _), (_, .never): return .never
        case (.range(let a, let b), .range(let c, let d)):
            let (lower, upper) = (Swift.max(a, c), Swift.min(b, d))
            return lower > upper ? .never : .range(lower, upper)
        default: return nil
        }
    }
}

/// One step of a conjunction's selection (``VectorExpression/conjunctSteps``).
enum ConjunctStep {
    /// Conjuncts (`fused`, positions among the AND's children) that compare integer column `column` with
    /// constants, tested together.
    case integer(column: Int, test: IntegerTest, fused: [Int])
    case child(Int)
}

extension VectorExpression {
    /// The steps of an AND's selection: comparisons of one integer column with integer constants fused into
    /// one range per column and tested first (they are the cheapest, one compare a row), then the other
    /// conjuncts in their order. Reordering is safe because no conjunct can fail; when one can (past the
    /// first), the conjuncts run as written, one by one.
    static func conjunctSteps(_ children: [VectorExpression]) -> [ConjunctStep] {
        guard !children.contains(where: \.canFail) else { return children.indices.map { .child($0) } }
        var integers: [(column: Int, test: IntegerTest, fused: [Int])] = []
        var others: [ConjunctStep] = []
        for (i, child) in children.enumerated() {
            guard let (column, test) = integerComparison(child.expression) else {
                others.append(.child(i))
                continue
            }
            if let k = integers.firstIndex(where: { $0.column == column }),
                let both = integers[k].test.intersected(with: test)
            {
                integers[k].test = both
                integers[k].fused.append(i)
            } else {
                integers.append((column, test, [i]))
            }
        }
        return integers.map { .integer(column: $0.column, test: $0.test, fused: $0.fused) } + others
    }

    /// `column op constant` (either side) for an integer, timestamp or date column and an integer constant of
    /// the same class — the comparisons ``VectorKernels/compare(_:_:constant:type:)`` makes as integers.
    private static func integerComparison(_ e: BoundExpression) -> (Int, IntegerTest)? {
        guard case .compare(let op, let a, let b) = e else { return nil }
        switch (a, b) {
        case (.column(let column, let type, _), .constant(let value, let constantType)):
            guard let c = integer(value), VectorKernels.bothIntegers(type, constantType) else { return nil }
            return (column, IntegerTest(op, c))
        case (.constant(let value, let constantType), .column(let column, let type, _)):
            guard let c = integer(value), VectorKernels.bothIntegers(type, constantType) else { return nil }
            return (column, IntegerTest(op.flipped, c))
        default: return nil
        }
    }

    private static func integer(_ value: Value) -> Int64? {
        switch value {
        case .int64(let x), .timestamp(let x): x
        default: nil
        }
    }
}
