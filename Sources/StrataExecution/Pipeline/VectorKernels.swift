import Foundation
import StrataCore

/// The typed loops behind ``VectorExpression``: each returns `nil` for operand forms it has no loop for,
/// and the expression then takes the row-at-a-time rules. Null rows never raise an error (their values
/// are unspecified).
enum VectorKernels {
    // MARK: Buffers

    /// Validity of both operands: a row is valid when it is in each.
    static func both(_ a: Bitset?, _ b: Bitset?) -> Bitset? {
        guard var x = a else { return b }
        guard let y = b else { return x }
        for w in x.words.indices { x.words[w] &= y.words[w] }
        return x
    }

    // MARK: Comparison

    static func compare(_ op: ComparisonOperator, _ a: Vector, _ b: Vector) -> Vector? {
        let n = a.count
        // A column against a constant (`latency_ms > 500`, `revenue = 0`): one loop, no constant buffer.
        if case .constant(let c) = b.storage, let out = compare(op, a, constant: c, type: b.type) {
            return Vector(type: .boolean, storage: .bool(out), validity: a.nullMask(), count: n)
        }
        if case .constant(let c) = a.storage, let out = compare(op.flipped, b, constant: c, type: a.type) {
            return Vector(type: .boolean, storage: .bool(out), validity: b.nullMask(), count: n)
        }
        let validity = both(a.nullMask(), b.nullMask())
        var out = [Bool](repeating: false, count: n)
        @inline(__always) func holds(_ order: Int) -> Bool { op.holds(order) }
        if Self.integerClass(a.type), a.type == b.type || bothIntegers(a.type, b.type),
            let x = a.int64Buffer(), let y = b.int64Buffer()
        {
            out = pairwise(op, x, y)
        } else if isNullConstant(a) || isNullConstant(b) {
            return Vector(type: .boolean, storage: .constant(.null), count: n)
        } else if a.type.isDecimal || b.type.isDecimal, let (x, y) = decimalUnitsAtOneScale(a, b) {
            // DECIMAL with DECIMAL or BIGINT (`l_discount >= 0.05`, `l_quantity < 24`): units at one scale.
            out = pairwise(op, x, y)
        } else if numeric(a.type), numeric(b.type), let x = a.doubleBuffer(), let y = b.doubleBuffer() {
            // DOUBLE with DOUBLE or BIGINT: compared as doubles, as the row rules compare them.
            for i in 0..<n { out[i] = holds(ValueOrder.compare(x[i], y[i])) }
        } else if a.type == .varchar, b.type == .varchar, let x = a.stringBuffer(), let y = b.stringBuffer() {
            switch op {
            case .equal: for i in 0..<n { out[i] = x[i] == y[i] }
            case .notEqual: for i in 0..<n { out[i] = x[i] != y[i] }
            default:
                for i in 0..<n { out[i] = holds(x[i] == y[i] ? 0 : (ValueOrder.less(x[i], y[i]) ? -1 : 1)) }
            }
        } else if a.type == .boolean, b.type == .boolean, let x = a.boolBuffer(), let y = b.boolBuffer() {
            for i in 0..<n { out[i] = holds(x[i] == y[i] ? 0 : (!x[i] ? -1 : 1)) }
        } else {
            return nil
        }
        return Vector(type: .boolean, storage: .bool(out), validity: validity, count: n)
    }

    /// `x[i] op y[i]` for every row of two integer buffers of one length.
    static func pairwise(_ op: ComparisonOperator, _ x: [Int64], _ y: [Int64]) -> [Bool] {
        var out = [Bool](repeating: false, count: x.count)
        switch op {
        case .equal: for i in x.indices { out[i] = x[i] == y[i] }
        case .notEqual: for i in x.indices { out[i] = x[i] != y[i] }
        case .lessThan: for i in x.indices { out[i] = x[i] < y[i] }
        case .lessThanOrEqual: for i in x.indices { out[i] = x[i] <= y[i] }
        case .greaterThan: for i in x.indices { out[i] = x[i] > y[i] }
        case .greaterThanOrEqual: for i in x.indices { out[i] = x[i] >= y[i] }
        }
        return out
    }

    /// Two DECIMAL or BIGINT vectors as 64-bit units at the larger of their scales; `nil` when a unit needs
    /// more bits.
    static func decimalUnitsAtOneScale(_ a: Vector, _ b: Vector) -> ([Int64], [Int64])? {
        guard let (a, xs) = a.decimalUnits(), let (b, ys) = b.decimalUnits() else { return nil }
        var (x, y) = (a, b)
        func rescale(_ v: inout [Int64], by digits: Int) -> Bool {
            guard digits > 0 else { return true }
            guard digits < 19 else { return false }
            let factor = Int64(DecimalValue.power(digits))
            var overflow = false
            for i in v.indices {
                let (r, o) = v[i].multipliedReportingOverflow(by: factor)
                v[i] = r
                overflow = overflow || o
            }
            return !overflow
        }
        guard rescale(&x, by: ys - xs), rescale(&y, by: xs - ys) else { return nil }
        return (x, y)
    }

    /// `a op c` for an integer or double column and a non-null, non-NaN constant, with ``ValueOrder``'s
    /// semantics (BIGINT against DOUBLE as doubles; NaN above every number); `nil` for other forms.
    static func compare(_ op: ComparisonOperator, _ a: Vector, constant c: Value, type: SQLValueType) -> [Bool]? {
        if integerClass(a.type), a.type == type || bothIntegers(a.type, type), case .int64(let v) = a.storage {
            let x: Int64
            switch c {
            case .int64(let i), .timestamp(let i): x = i
            default: return nil
            }
            return v.withUnsafeBufferPointer { v in compared(op, v, x) { _ in false } }
        }
        guard a.type == .double, numeric(type), case .double(let v) = a.storage else { return nil }
        let x: Double
        switch c {
        case .double(let d) where !d.isNaN: x = d
        case .int64(let i): x = Double(i)
        default: return nil
        }
        // IEEE comparisons with NaN are false; ValueOrder puts NaN above every number.
        return v.withUnsafeBufferPointer { v in compared(op, v, x) { $0.isNaN } }
    }

    /// `v[i] op x` for every element; `isAbove` marks values above every constant (NaN), for which the
    /// language's `>` and `>=` are false.
    @inline(__always)
    static func compared<T: Comparable>(
        _ op: ComparisonOperator, _ v: UnsafeBufferPointer<T>, _ x: T, isAbove: (T) -> Bool
    ) -> [Bool] {
        switch op {
        case .equal: mapped(v) { $0 == x }
        case .notEqual: mapped(v) { $0 != x }
        case .lessThan: mapped(v) { $0 < x }
        case .lessThanOrEqual: mapped(v) { $0 <= x }
        case .greaterThan: mapped(v) { $0 > x || isAbove($0) }
        case .greaterThanOrEqual: mapped(v) { $0 >= x || isAbove($0) }
        }
    }

    /// `body` of every element, in a loop without bounds checks.
    @inline(__always)
    static func mapped<T>(_ values: UnsafeBufferPointer<T>, _ body: (T) -> Bool) -> [Bool] {
        [Bool](unsafeUninitializedCapacity: values.count) { out, initialized in
            for i in 0..<values.count { out[i] = body(values[i]) }
            initialized = values.count
        }
    }

    /// BIGINT, TIMESTAMP and DATE: int64 buffers that compare as integers (and with each other, as
    /// ``ValueOrder`` compares timestamps with integers).
    static func integerClass(_ type: SQLValueType) -> Bool { type == .bigint || type == .timestamp || type == .date }
    static func numeric(_ type: SQLValueType) -> Bool { type == .double || type == .bigint }
    static func bothIntegers(_ a: SQLValueType, _ b: SQLValueType) -> Bool { integerClass(a) && integerClass(b) }

    // MARK: Arithmetic

    /// `x % c` for every row, truncated as Swift and DuckDB truncate (the sign of `x`), for `c` not 0 or -1.
    ///
    /// With m = ⌈2^64 / |c|⌉, q' = ⌊|x|·m / 2^64⌋ is the quotient or one more (|x|·(m − 2^64/|c|) / 2^64 < 1
    /// for |x| ≤ 2^63), so |x| − q'·|c| is the remainder or that minus |c|, fixed by one comparison.
    static func remainders(_ x: [Int64], dividingBy c: Int64) -> [Int64] {
        let d = c.magnitude
        if d == 1 { return [Int64](repeating: 0, count: x.count) }
        let m = UInt64((UInt128(1) << 64 + UInt128(d) - 1) / UInt128(d))
        return x.withUnsafeBufferPointer { x in
            [Int64](unsafeUninitializedCapacity: x.count) { out, initialized in
                for i in 0..<x.count {
                    let magnitude = x[i].magnitude
                    let q = UInt64(truncatingIfNeeded: (UInt128(magnitude) &* UInt128(m)) >> 64)
                    var r = Int64(bitPattern: magnitude &- q &* d)
                    if r < 0 { r &+= Int64(bitPattern: d) }
                    out[i] = x[i] < 0 ? 0 &- r : r
                }
                initialized = x.count
            }
        }
    }

    /// `x op y` for every row, or `nil` when a row overflows.
    static func uncheckedBigint(_ op: ArithmeticOperator, _ x: [Int64], _ y: [Int64]) -> [Int64]? {
        let n = Swift.min(x.count, y.count)
        var overflow = false
        let out = x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                [Int64](unsafeUninitializedCapacity: n) { out, initialized in
                    func loop(_ f: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)) {
                        for i in 0..<n {
                            let (v, o) = f(x[i], y[i])
                            out[i] = v
                            overflow = overflow || o
                        }
                    }
                    // One loop per operator (the operator switch outside the loop), each computing through
                    // the row rules' `SQLEvaluation.integer`.
                    switch op {
                    case .add: loop { SQLEvaluation.integer(.add, $0, $1) ?? (0, true) }
                    case .subtract: loop { SQLEvaluation.integer(.subtract, $0, $1) ?? (0, true) }
                    case .multiply: loop { SQLEvaluation.integer(.multiply, $0, $1) ?? (0, true) }
                    case .modulo: loop { SQLEvaluation.integer(.modulo, $0, $1) ?? (0, true) }
                    case .integerDivide: loop { SQLEvaluation.integer(.integerDivide, $0, $1) ?? (0, true) }
                    case .divide: overflow = true
                    }
                    initialized = overflow ? 0 : n
                }
            }
        }
        return overflow ? nil : out
    }

    static func arithmetic(_ op: ArithmeticOperator, _ a: Vector, _ b: Vector, type: SQLValueType)
        throws(StrataError) -> Vector?
    {
        let n = a.count
        let validity = both(a.nullMask(), b.nullMask())
        switch type {
        case .bigint where a.type == .bigint && b.type == .bigint && op != .divide:
            // `x % c` by a constant (buckets: `latency_ms - latency_ms % 100`): a multiplication, not a division.
            if op == .modulo, case .constant(.int64(let c)) = b.storage, c != 0, c != -1, let x = a.int64Buffer() {
                return Vector(
                    type: .bigint, storage: .int64(remainders(x, dividingBy: c)), validity: a.nullMask(), count: n)
            }
            guard let x = a.int64Buffer(), let y = b.int64Buffer() else { return nil }
            // No NULLs and no zero divisor: one loop per operator that notes overflow; only a batch that
            // overflowed goes through the checked loop below, which names the failing operands.
            if validity == nil, (op != .modulo && op != .integerDivide) || !y.contains(0),
                let out = uncheckedBigint(op, x, y)
            {
                return Vector(type: .bigint, storage: .int64(out), count: n)
            }
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                if let validity, !validity[i] { continue }
                out[i] = try SQLEvaluation.bigint(op, x[i], y[i])
            }
            return Vector(type: .bigint, storage: .int64(out), validity: validity, count: n)
        case .double where (a.type == .double || a.type == .bigint) && (b.type == .double || b.type == .bigint):
            guard let x = a.doubleBuffer(), let y = b.doubleBuffer() else { return nil }
            // `//` by zero is an error the row rules raise (for the rows that are not NULL).
            if op == .integerDivide, y.contains(0) { return nil }
            var out = [Double](repeating: 0, count: n)
            switch op {
            case .add: for i in 0..<n { out[i] = x[i] + y[i] }
            case .subtract: for i in 0..<n { out[i] = x[i] - y[i] }
            case .multiply: for i in 0..<n { out[i] = x[i] * y[i] }
            case .divide, .integerDivide: for i in 0..<n { out[i] = x[i] / y[i] }
            case .modulo: for i in 0..<n { out[i] = x[i].truncatingRemainder(dividingBy: y[i]) }
            }
            return Vector(type: .double, storage: .double(out), validity: validity, count: n)
        case .decimal(let precision, let scale) where op == .add || op == .subtract || op == .multiply:
            return decimalArithmetic(op, a, b, precision: precision, scale: scale, validity: validity)
        default:
            return nil
        }
    }

    /// DECIMAL `+`, `-` and `*` on 64-bit units (`price * (1 - discount)`), the result's units 64-bit too. A
    /// batch where a unit does not fit 64 bits or the result's precision goes row at a time (`nil`), whose
    /// 128-bit rules give the wide value or name the overflow.
    private static func decimalArithmetic(
        _ op: ArithmeticOperator, _ a: Vector, _ b: Vector, precision: Int, scale: Int, validity: Bitset?
    ) -> Vector? {
        guard let (x, xs) = a.decimalUnits(), let (y, ys) = b.decimalUnits() else { return nil }
        let n = a.count
        var out = [Int64](repeating: 0, count: n)
        var overflow = false
        switch op {
        case .multiply:
            guard xs + ys == scale else { return nil }
            for i in 0..<n {
                let (r, o) = x[i].multipliedReportingOverflow(by: y[i])
                out[i] = r
                overflow = overflow || o
            }
        default:
            guard scale >= xs, scale >= ys, scale - xs < 19, scale - ys < 19 else { return nil }
            let (fx, fy) = (Int64(DecimalValue.power(scale - xs)), Int64(DecimalValue.power(scale - ys)))
            let add = op == .add
            for i in 0..<n {
                let (l, o1) = x[i].multipliedReportingOverflow(by: fx)
                let (r, o2) = y[i].multipliedReportingOverflow(by: fy)
                let (v, o3) = add ? l.addingReportingOverflow(r) : l.subtractingReportingOverflow(r)
                out[i] = v
                overflow = overflow || o1 || o2 || o3
            }
        }
        if overflow { return nil }
        if precision < 19 {
            // Past 18 digits every 64-bit unit fits; below, each must be under 10^precision.
            let limit = UInt64(Int64(DecimalValue.power(precision)))
            for i in 0..<n where out[i].magnitude >= limit {
                if let validity, !validity[i] { continue }
                return nil
            }
        }
        return Vector(type: .decimal(precision: precision, scale: scale), storage: .int64(out), validity: validity, count: n)
    }

    static func negate(_ x: Vector) throws(StrataError) -> Vector? {
        let n = x.count
        switch x.type {
        case .bigint:
            guard let v = x.int64Buffer() else { return nil }
            let validity = x.nullMask()
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                if let validity, !validity[i] { continue }
                guard v[i] != .min else { throw SQLEvaluation.overflow("negation", v[i], 0) }
                out[i] = -v[i]
            }
            return Vector(type: .bigint, storage: .int64(out), validity: validity, count: n)
        case .double:
            guard let v = x.doubleBuffer() else { return nil }
            return Vector(type: .double, storage: .double(v.map { -$0 }), validity: x.nullMask(), count: n)
        default: return nil
        }
    }

    // MARK: IN, LIKE, CASE, coalesce

    /// A constant IN list as a hash set.
    enum ConstantSet {
        case strings(Set<String>)
        case integers(Set<Int64>)

        init?(_ list: [BoundExpression]) {
            var strings: Set<String> = []
            var integers: Set<Int64> = []
            for item in list {
                switch item.constantValue {
                case .string(let s)?: strings.insert(s)
                case .int64(let x)?, .timestamp(let x)?: integers.insert(x)
                default: return nil
                }
            }
            if !strings.isEmpty, !integers.isEmpty { return nil }
            self = integers.isEmpty ? .strings(strings) : .integers(integers)
        }
    }

    static func inList(_ x: Vector, _ set: ConstantSet, negated: Bool) -> Vector? {
        let n = x.count
        var out = [Bool](repeating: false, count: n)
        switch set {
        case .strings(let s):
            guard x.type == .varchar, let v = x.stringBuffer() else { return nil }
            for i in 0..<n { out[i] = s.contains(v[i]) != negated }
        case .integers(let s):
            guard integerClass(x.type), let v = x.int64Buffer() else { return nil }
            for i in 0..<n { out[i] = s.contains(v[i]) != negated }
        }
        return Vector(type: .boolean, storage: .bool(out), validity: x.nullMask(), count: n)
    }

    static func like(_ x: Vector, pattern: String, negated: Bool, caseInsensitive: Bool) -> Vector? {
        guard x.type == .varchar, let v = x.stringBuffer() else { return nil }
        let matcher = LikePattern(caseInsensitive ? SQLEvaluation.caseMapped(pattern, upper: false) : pattern)
        var out = [Bool](repeating: false, count: x.count)
        for i in 0..<x.count {
            let text = caseInsensitive ? SQLEvaluation.caseMapped(v[i], upper: false) : v[i]
            out[i] = matcher.matches(text) != negated
        }
        return Vector(type: .boolean, storage: .bool(out), validity: x.nullMask(), count: x.count)
    }

    /// Row `i` of `results[chosen[i]]`.
    static func select(_ chosen: [Int32], from results: [Vector], type: SQLValueType) -> Vector {
        let n = chosen.count
        // Constant results (`CASE … THEN 'paying' ELSE 'free' END`): codes into them, so a group key or a
        // function of the result works per distinct value.
        if results.allSatisfy({ if case .constant = $0.storage { true } else { false } }) {
            let entries = Vector.from(results.map { $0.value(at: 0) }, type: type)
            return Vector(
                type: type, storage: .dictionary(codes: chosen.map { UInt32($0) }, entries: entries, id: nil), count: n)
        }
        var validity = Bitset(count: n, value: true)
        let masks = results.map { $0.nullMask() }
        if masks.contains(where: { $0 != nil }) {
            for i in 0..<n {
                if let mask = masks[Int(chosen[i])], !mask[i] { validity[i] = false }
            }
        }
        /// Each result's rows, one pass per result (a blend the compiler vectorizes).
        func blended<T>(_ buffers: [[T]], zero: T) -> [T] {
            var out = [T](repeating: zero, count: n)
            out.withUnsafeMutableBufferPointer { out in
                chosen.withUnsafeBufferPointer { chosen in
                    for (k, buffer) in buffers.enumerated() {
                        let branch = Int32(k)
                        buffer.withUnsafeBufferPointer { source in
                            for i in 0..<Swift.min(n, source.count) where chosen[i] == branch { out[i] = source[i] }
                        }
                    }
                }
            }
            return out
        }
        let typed = results.allSatisfy { $0.type == type || isNullConstant($0) }
        if typed, integerClass(type), case let buffers = results.map({ $0.int64Buffer() }),
            buffers.allSatisfy({ $0 != nil })
        {
            return Vector(
                type: type, storage: .int64(blended(buffers.map { $0 ?? [] }, zero: 0)), validity: validity, count: n)
        }
        if typed, type == .double, case let buffers = results.map({ $0.doubleBuffer() }),
            buffers.allSatisfy({ $0 != nil })
        {
            return Vector(
                type: type, storage: .double(blended(buffers.map { $0 ?? [] }, zero: 0)), validity: validity, count: n)
        }
        if typed, type == .varchar, case let buffers = results.map({ $0.stringBuffer() }),
            buffers.allSatisfy({ $0 != nil })
        {
            let b = buffers.map { $0 ?? [] }
            return Vector(
                type: type, storage: .string((0..<n).map { b[Int(chosen[$0])][$0] }), validity: validity, count: n)
        }
        return Vector.from((0..<n).map { results[Int(chosen[$0])].value(at: $0) }, type: type)
    }

    static func isNullConstant(_ v: Vector) -> Bool {
        if case .constant(.null) = v.storage { return true }
        return false
    }

    static func coalesce(_ values: [Vector], type: SQLValueType) -> Vector? {
        guard values.allSatisfy({ $0.type == type || isNullConstant($0) }) else { return nil }
        let n = values.first?.count ?? 0
        let masks = values.map { $0.nullMask() }
        var chosen = [Int32](repeating: Int32(values.count - 1), count: n)
        for i in 0..<n {
            for (k, mask) in masks.enumerated() where mask?[i] ?? true {
                chosen[i] = Int32(k)
                break
            }
        }
        return select(chosen, from: values, type: type)
    }

    // MARK: Casts and functions

    static func cast(_ x: Vector, to type: SQLValueType) throws(StrataError) -> Vector? {
        let n = x.count
        if x.type == type { return x }
        switch (x.type, type) {
        case (.bigint, .double):
            guard let v = x.int64Buffer() else { return nil }
            return Vector(type: type, storage: .double(v.map { Double($0) }), validity: x.nullMask(), count: n)
        case (.timestamp, .date):
            guard let v = x.int64Buffer() else { return nil }
            return Vector(type: type, storage: .int64(v.map { TimeUnit.day.truncate($0) }), validity: x.nullMask(), count: n)
        case (.date, .timestamp):
            guard let v = x.int64Buffer() else { return nil }
            return Vector(type: type, storage: .int64(v), validity: x.nullMask(), count: n)
        case (.boolean, .bigint):
            guard let v = x.boolBuffer() else { return nil }
            return Vector(type: type, storage: .int64(v.map { $0 ? 1 : 0 }), validity: x.nullMask(), count: n)
        case (_, .varchar):
            let mask = x.nullMask()
            var out = [String](repeating: "", count: n)
            for i in 0..<n where mask?[i] ?? true { out[i] = SQLEvaluation.text(x.value(at: i), type: x.type) }
            return Vector(type: type, storage: .string(out), validity: mask, count: n)
        default:
            return nil
        }
    }

    static func function(_ function: ScalarFunction, _ args: [Vector], type: SQLValueType) throws(StrataError)
        -> Vector?
    {
        switch function {
        case .text(let f): return try text(f, args)
        case .regex(let f, let pattern): return try regex(f, pattern, args)
        case .math(let f): return math(f, args, type: type)
        case .calendar(let f): return try calendar(f, args)
        case .tryCast:
            guard let x = args.first else { return nil }
            // The cast's kernel when every row converts; else each row's cast, NULL where it fails.
            if let converted = try? cast(x, to: type) { return converted }
            return Vector.from(
                (0..<x.count).map { i in (try? SQLEvaluation.cast(x.value(at: i), from: x.type, to: type)) ?? .null },
                type: type)
        default: break
        }
        guard let x = args.first else { return nil }
        let n = x.count
        let mask = x.nullMask()
        switch function {
        case .dateTrunc(let unit):
            guard args.count == 1, x.type == .timestamp || x.type == .date, let v = x.int64Buffer() else { return nil }
            var out = [Int64](repeating: 0, count: n)
            // Rows of one period in a row (time-ordered data) share its start: the calendar work (and the range
            // check, which a row inside a period in range passes) runs once.
            var (start, end) = (Int64.max, Int64.min)
            let (lowest, highest) = (Timestamp.minimum, Timestamp.maximum)
            var failed = false
            out.withUnsafeMutableBufferPointer { out in
                v.withUnsafeBufferPointer { v in
                    for i in 0..<n where mask?[i] ?? true {
                        let ms = v[i]
                        if ms < start || ms >= end {
                            guard ms >= lowest, ms <= highest else {
                                failed = true
                                return
                            }
                            (start, end) = (unit.truncate(ms), unit.next(after: ms))
                        }
                        out[i] = start
                    }
                }
            }
            if failed { throw SQLEvaluation.timestampRangeError() }
            return Vector(type: type, storage: .int64(out), validity: mask, count: n)
        case .timeBucket(let width):
            guard args.count == 1, x.type == .timestamp || x.type == .date, let v = x.int64Buffer() else { return nil }
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n where mask?[i] ?? true {
                out[i] = try SQLEvaluation.checkedTimestamp(
                    SQLEvaluation.timeBucket(try SQLEvaluation.checkedTimestamp(v[i]), width: width))
            }
            return Vector(type: type, storage: .int64(out), validity: mask, count: n)
        case .epochBucket(let width):
            guard args.count == 1, x.type == .timestamp, let v = x.int64Buffer() else { return nil }
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n where mask?[i] ?? true {
                out[i] = try SQLEvaluation.epochBucket(try SQLEvaluation.checkedTimestamp(v[i]), width: width)
            }
            return Vector(type: type, storage: .int64(out), validity: mask, count: n)
        case .datePart(let part):
            guard args.count == 1, x.type == .timestamp || x.type == .date, let v = x.int64Buffer() else { return nil }
            if type == .double {
                var out = [Double](repeating: 0, count: n)
                for i in 0..<n where mask?[i] ?? true {
                    out[i] = SQLEvaluation.datePart(part, try SQLEvaluation.checkedTimestamp(v[i])).doubleValue ?? 0
                }
                return Vector(type: type, storage: .double(out), validity: mask, count: n)
            }
            guard type == .bigint else { return nil }
            var out = [Int64](repeating: 0, count: n)
            let day = Timestamp.millisecondsPerDay
            let unit: Int64? =
                switch part {
                case .hour: Timestamp.millisecondsPerHour
                case .minute: Timestamp.millisecondsPerMinute
                case .second: Timestamp.millisecondsPerSecond
                default: nil
                }
            if part == .millisecond {
                for i in 0..<n where mask?[i] ?? true {
                    let ms = try SQLEvaluation.checkedTimestamp(v[i])
                    out[i] = (ms - Timestamp.floorDiv(ms, day) * day) % Timestamp.millisecondsPerMinute
                }
                return Vector(type: type, storage: .int64(out), validity: mask, count: n)
            }
            if unit != nil {
                // Parts of the time of day are arithmetic on the milliseconds since midnight. Rows of one day in
                // a row (time-ordered data) share its midnight, and the divisors are literals, which compile to
                // multiplications rather than 64-bit divisions.
                let (lowest, highest) = (Timestamp.minimum, Timestamp.maximum)
                var midnight = Int64.max
                var failed = false
                out.withUnsafeMutableBufferPointer { out in
                    v.withUnsafeBufferPointer { v in
                        for i in 0..<n where mask?[i] ?? true {
                            let ms = v[i]
                            guard ms >= lowest, ms <= highest else {
                                failed = true
                                return
                            }
                            var timeOfDay = ms &- midnight
                            if timeOfDay < 0 || timeOfDay >= 86_400_000 {
                                timeOfDay = ms % 86_400_000
                                if timeOfDay < 0 { timeOfDay += 86_400_000 }
                                midnight = ms - timeOfDay
                            }
                            switch part {
                            case .hour: out[i] = timeOfDay / 3_600_000
                            case .minute: out[i] = timeOfDay / 60_000 % 60
                            default: out[i] = timeOfDay / 1000 % 60
                            }
                        }
                    }
                }
                if failed { throw SQLEvaluation.timestampRangeError() }
                return Vector(type: type, storage: .int64(out), validity: mask, count: n)
            }
            // Parts of the date: rows of one day in a row share the calendar work.
            var lastDay: Int64?
            var lastPart: Int64 = 0
            for i in 0..<n where mask?[i] ?? true {
                let ms = try SQLEvaluation.checkedTimestamp(v[i])
                let d = Timestamp.floorDiv(ms, day)
                if d == lastDay {
                    out[i] = lastPart
                    continue
                }
                guard case .int64(let p) = SQLEvaluation.datePart(part, ms) else { return nil }
                out[i] = p
                lastDay = d
                lastPart = p
            }
            return Vector(type: type, storage: .int64(out), validity: mask, count: n)
        case .lower, .upper:
            guard args.count == 1, x.type == .varchar, let v = x.stringBuffer() else { return nil }
            return Vector(
                type: type, storage: .string(v.map { SQLEvaluation.caseMapped($0, upper: function == .upper) }),
                validity: mask, count: n)
        case .substring:
            // Constant positions (the common case: `substring(phone, 1, 2)`); others go row at a time.
            guard x.type == .varchar, case .constant(let start) = args[1].storage,
                args.count < 3 || args[2].isConstantStorage, let v = x.stringBuffer()
            else { return nil }
            let length = args.count > 2 ? args[2].value(at: 0) : .int64(0)
            guard case .int64(let first) = start, case .int64(let count) = length else {
                return .constant(.null, type: type, count: n)
            }
            let bounded: Int64? = args.count > 2 ? count : nil
            return Vector(
                type: type, storage: .string(v.map { SQLEvaluation.substring($0, start: first, length: bounded) }),
                validity: mask, count: n)
        case .length:
            guard args.count == 1, x.type == .varchar, type == .bigint, let v = x.stringBuffer() else { return nil }
            return Vector(
                type: type, storage: .int64(v.map { Int64($0.unicodeScalars.count) }), validity: mask, count: n)
        case .abs where x.type == .double && args.count == 1:
            guard let v = x.doubleBuffer() else { return nil }
            return Vector(type: .double, storage: .double(v.map { Swift.abs($0) }), validity: mask, count: n)
        case .floor, .ceil:
            guard args.count == 1, x.type == .double, type == .double, let v = x.doubleBuffer() else { return nil }
            let rule: FloatingPointRoundingRule = function == .floor ? .down : .up
            return Vector(type: .double, storage: .double(v.map { $0.rounded(rule) }), validity: mask, count: n)
        case .sqrt, .ln, .exp:
            guard args.count == 1, x.type == .double || x.type == .bigint, type == .double, let v = x.doubleBuffer()
            else { return nil }
            let out: [Double]
            switch function {
            case .sqrt: out = v.map { $0.squareRoot() }
            case .ln: out = v.map { Foundation.log($0) }
            default: out = v.map { Foundation.exp($0) }
            }
            return Vector(type: .double, storage: .double(out), validity: mask, count: n)
        default:
            return nil
        }
    }
}

extension Vector {
    /// The int64 values of every row (a constant repeated); `nil` when the vector does not hold int64s.
    func int64Buffer() -> [Int64]? {
        switch storage {
        case .int64(let v): return v
        case .constant(let value):
            switch value {
            case .int64(let x), .timestamp(let x): return [Int64](repeating: x, count: count)
            case .null: return [Int64](repeating: 0, count: count)
            default: return nil
            }
        case .dictionary(let codes, let entries, _):
            guard let e = entries.int64Buffer() else { return nil }
            return Vector.looked(e, codes)
        default: return nil
        }
    }

    /// A DECIMAL or BIGINT vector as 64-bit units and their scale (`nil` when a unit needs more bits). Null
    /// rows give 0.
    func decimalUnits() -> ([Int64], Int)? {
        switch type {
        case .bigint:
            return int64Buffer().map { ($0, 0) }
        case .decimal(_, let scale):
            switch storage {
            case .int64, .dictionary:
                return int64Buffer().map { ($0, scale) }
            case .constant(.null):
                return ([Int64](repeating: 0, count: count), scale)
            case .constant(.decimal(let d)):
                guard d.scale == scale, let u = Int64(exactly: d.unscaled) else { return nil }
                return ([Int64](repeating: u, count: count), scale)
            case .boxed(let values):
                var units = [Int64](repeating: 0, count: count)
                for (i, value) in values.enumerated() {
                    switch value {
                    case .null: continue
                    case .decimal(let d) where d.scale == scale:
                        guard let u = Int64(exactly: d.unscaled) else { return nil }
                        units[i] = u
                    default: return nil
                    }
                }
                return (units, scale)
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// The values of every row as doubles (BIGINT converted, as the row rules convert it).
    func doubleBuffer() -> [Double]? {
        switch storage {
        case .double(let v): return v
        case .int64(let v) where type == .bigint: return v.map { Double($0) }
        case .constant(let value):
            switch value {
            case .double(let x): return [Double](repeating: x, count: count)
            case .int64(let x): return [Double](repeating: Double(x), count: count)
            case .null: return [Double](repeating: 0, count: count)
            default: return nil
            }
        case .dictionary(let codes, let entries, _):
            guard let e = entries.doubleBuffer() else { return nil }
            return Vector.looked(e, codes)
        default: return nil
        }
    }

    func boolBuffer() -> [Bool]? {
        switch storage {
        case .bool(let v): return v
        case .constant(let value):
            switch value {
            case .bool(let b): return [Bool](repeating: b, count: count)
            case .null: return [Bool](repeating: false, count: count)
            default: return nil
            }
        case .dictionary(let codes, let entries, _):
            guard let e = entries.boolBuffer() else { return nil }
            return Vector.looked(e, codes)
        default: return nil
        }
    }

    func stringBuffer() -> [String]? {
        switch storage {
        case .string(let v): return v
        case .constant(let value):
            switch value {
            case .string(let s): return [String](repeating: s, count: count)
            case .null: return [String](repeating: "", count: count)
            default: return nil
            }
        case .dictionary(let codes, let entries, _):
            guard let e = entries.stringBuffer() else { return nil }
            return Vector.looked(e, codes)
        default: return nil
        }
    }
}
