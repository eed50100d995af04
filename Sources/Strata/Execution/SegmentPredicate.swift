import StrataCore
import StrataExecution
import StrataStorage

/// A filter compiled for one segment: string comparisons become per-dictionary-code truth tables
/// (computed once per segment), so evaluating a block is a table lookup per row.
indirect enum SegmentPredicate {
    /// String column: truth per code; nulls are unknown (or true for `IS NULL` via `.isNull`). `yes`, when
    /// set, lists the true codes in order (an equality or IN over a table-wide dictionary of millions of
    /// codes): a block's code range is then checked by binary search, not by reading its truth values.
    case codes(column: Int, truth: [UInt8], yes: [Int]? = nil)
    case integer(column: Int, ComparisonOperator, Int64)
    case integerAsDouble(column: Int, ComparisonOperator, Double)
    case double(column: Int, ComparisonOperator, Double)
    case bool(column: Int, ComparisonOperator, Bool)
    case integerIn(column: Int, Set<Int64>, hasNull: Bool)
    case doubleIn(column: Int, Set<UInt64>, hasNull: Bool)
    case isNull(column: Int)
    case constant(UInt8)
    case and([SegmentPredicate])
    case or([SegmentPredicate])
    case not(SegmentPredicate)

    /// Compiles `filter` (bound: literals coerced) for a segment.
    static func compile(
        _ filter: Filter, bound: BoundQuery, reader: SegmentReader, segmentColumn: (Int) -> Int
    ) throws(StrataError) -> SegmentPredicate {
        func col(_ name: String) -> BoundColumn { bound.columns[name.lowercased()]! }
        switch filter {
        case .compare(let name, let op, let literal):
            let c = col(name)
            if literal.isNull { return .constant(Truth.unknown) }
            // A decimal column compares its int64 units (the binder turned the literal into units).
            switch (c.type.physical, literal) {
            case (.string, .string(let s)):
                // The dictionary is sorted: codes below `lower` are smaller than the literal, codes from
                // `upper` on are larger, and the one in between (if any) is equal.
                let dictionary = try reader.dictionary(column: segmentColumn(c.index))
                guard dictionary.isSorted else {
                    // Table-wide codes are in arrival order: equality is one lookup, ranges compare bytes.
                    var truth = [UInt8](repeating: 0, count: Self.truthCount(dictionary))
                    if op == .equal || op == .notEqual {
                        let hit = dictionary.code(of: s)
                        let match = op == .equal ? Truth.yes : Truth.no
                        if op == .notEqual { truth = [UInt8](repeating: Truth.yes, count: Self.truthCount(dictionary)) }
                        if let hit { truth[hit] = match }
                        if op == .equal { return .codes(column: c.index, truth: truth, yes: hit.map { [$0] } ?? []) }
                    } else {
                        var literal = s
                        literal.withUTF8 { l in
                            for code in 0..<dictionary.count {
                                let order = dictionary.withValueBytes(code) {
                                    StringOrder.compare($0, UnsafeRawBufferPointer(l))
                                }
                                truth[code] = op.holds(order) ? Truth.yes : Truth.no
                            }
                        }
                    }
                    return .codes(column: c.index, truth: truth)
                }
                let lower = dictionary.lowerBound(s)
                let upper = dictionary.code(of: s) == nil ? lower : lower + 1
                var truth = [UInt8](repeating: 0, count: Self.truthCount(dictionary))
                for code in 0..<dictionary.count {
                    let order = code < lower ? -1 : (code < upper ? 0 : 1)
                    truth[code] = op.holds(order) ? Truth.yes : Truth.no
                }
                return .codes(column: c.index, truth: truth)
            case (.int64, .int64(let v)), (.timestamp, .timestamp(let v)): return .integer(column: c.index, op, v)
            case (.int64, .double(let v)): return .integerAsDouble(column: c.index, op, v)
            case (.double, .double(let v)): return .double(column: c.index, op, v)
            case (.bool, .bool(let v)): return .bool(column: c.index, op, v)
            default: throw StrataError(.type, "cannot compare '\(c.name)' with \(literal)")
            }
        case .in(_, let list) where list.isEmpty:
            return .constant(Truth.no)  // no value is in an empty list, not even NULL
        case .in(let name, let list):
            let c = col(name)
            let hasNull = list.contains { $0.isNull }
            switch c.type.physical {
            case .string:
                let dictionary = try reader.dictionary(column: segmentColumn(c.index))
                var truth = [UInt8](repeating: hasNull ? Truth.unknown : Truth.no, count: Self.truthCount(dictionary))
                // Table-wide codes: the true ones listed for pruning (a segment dictionary is small enough to scan).
                var yes: [Int]? = dictionary.isSorted ? nil : []
                for case .string(let s) in list {
                    if let code = dictionary.code(of: s) {
                        truth[code] = Truth.yes
                        yes?.append(code)
                    }
                }
                return .codes(column: c.index, truth: truth, yes: yes?.sorted())
            case .int64, .timestamp:
                var set = Set<Int64>()
                var fractional: [Filter] = []
                for v in list {
                    switch v {
                    case .int64(let x), .timestamp(let x): set.insert(x)
                    case .double(let x): fractional.append(.compare(c.name, .equal, .double(x)))
                    default: break
                    }
                }
                let base = SegmentPredicate.integerIn(column: c.index, set, hasNull: hasNull)
                if fractional.isEmpty { return base }
                var parts = [base]
                for f in fractional {
                    parts.append(try compile(f, bound: bound, reader: reader, segmentColumn: segmentColumn))
                }
                return .or(parts)
            case .double:
                let bits = Set(
                    list.compactMap { v -> UInt64? in if case .double(let x) = v { Self.key(x) } else { nil } })
                return .doubleIn(column: c.index, bits, hasNull: hasNull)
            case .bool:
                var parts: [SegmentPredicate] = []
                for case .bool(let b) in list { parts.append(.bool(column: c.index, .equal, b)) }
                if hasNull { parts.append(.constant(Truth.unknown)) }
                return .or(parts)
            case .decimal, .hugeint:
                // Decimal columns are `.int64` physically; no column is HUGEINT.
                throw StrataError(.internal, "cannot compare '\(c.name)' of type \(c.type) natively")
            }
        case .like(let name, let pattern):
            let c = col(name)
            let dictionary = try reader.dictionary(column: segmentColumn(c.index))
            let like = LikePattern(pattern)
            var truth = [UInt8](repeating: Truth.no, count: Self.truthCount(dictionary))
            if like.isPrefixOnly, dictionary.isSorted {
                for code in dictionary.codes(withPrefix: like.prefix) { truth[code] = Truth.yes }
            } else {
                for code in 0..<dictionary.count where like.matches(dictionary[code]) { truth[code] = Truth.yes }
            }
            return .codes(column: c.index, truth: truth)
        case .isNull(let name):
            return .isNull(column: col(name).index)
        case .and(let parts):
            var out: [SegmentPredicate] = []
            for p in parts { out.append(try compile(p, bound: bound, reader: reader, segmentColumn: segmentColumn)) }
            return .and(out)
        case .or(let parts):
            var out: [SegmentPredicate] = []
            for p in parts { out.append(try compile(p, bound: bound, reader: reader, segmentColumn: segmentColumn)) }
            return .or(out)
        case .not(let inner):
            return .not(try compile(inner, bound: bound, reader: reader, segmentColumn: segmentColumn))
        }
    }

    /// Equality key of a double: -0 equals +0, all NaNs equal.
    static func key(_ x: Double) -> UInt64 { x.isNaN ? Double.nan.bitPattern : (x == 0 ? 0 : x.bitPattern) }

    /// Whether any row of a block can satisfy the predicate, judged from the block's zone maps
    /// (min/max values or codes, null counts) without decoding it. Conservative: `true` when unsure.
    func mayMatch(_ zone: (Int) -> BlockDescriptor) -> Bool {
        func range(_ column: Int) -> BlockDescriptor? {
            let d = zone(column)
            return d.hasRange ? d : nil
        }
        switch self {
        case .codes(let c, let truth, let yes):
            guard let d = range(c) else { return false }  // all NULL: unknown, never true
            let lo = Int(d.minBits)
            let hi = Int(d.maxBits)
            guard lo <= hi, hi < truth.count else { return true }
            guard let yes else { return truth[lo...hi].contains(Truth.yes) }
            // The first true code at or above `lo`, by binary search.
            var (a, b) = (0, yes.count)
            while a < b {
                let mid = (a + b) / 2
                if yes[mid] < lo { a = mid + 1 } else { b = mid }
            }
            return a < yes.count && yes[a] <= hi
        case .integer(let c, let op, let v):
            guard let d = range(c) else { return false }
            return Self.rangeMayHold(op, lo: d.minInt, hi: d.maxInt, v)
        case .integerAsDouble(let c, let op, let v):
            guard let d = range(c) else { return false }
            return Self.rangeMayHold(op, lo: Double(d.minInt), hi: Double(d.maxInt), v)
        case .double(let c, let op, let v):
            guard let d = range(c) else { return zone(c).nullCount < zone(c).rowCount }  // NaN: no range
            return v.isNaN || Self.rangeMayHold(op, lo: d.minDouble, hi: d.maxDouble, v)
        case .integerIn(let c, let set, _):
            guard let d = range(c) else { return false }
            return set.contains { $0 >= d.minInt && $0 <= d.maxInt }
        case .isNull(let c):
            return zone(c).nullCount > 0
        case .constant(let t):
            return t == Truth.yes
        case .and(let parts):
            return parts.allSatisfy { $0.mayMatch(zone) }
        case .or(let parts):
            return parts.contains { $0.mayMatch(zone) }
        case .bool, .doubleIn, .not:
            return true
        }
    }

    static func rangeMayHold<T: Comparable>(_ op: ComparisonOperator, lo: T, hi: T, _ v: T) -> Bool {
        switch op {
        case .equal: lo <= v && v <= hi
        case .notEqual: !(lo == v && hi == v)
        case .lessThan: lo < v
        case .lessThanOrEqual: lo <= v
        case .greaterThan: hi > v
        case .greaterThanOrEqual: hi >= v
        }
    }

    /// Entries of a truth table over `dictionary`'s codes: at least one, because the NULL rows of a
    /// column that is NULL throughout a segment carry code 0 over an empty dictionary (their truth
    /// is overwritten with unknown, but the lookup must stay in bounds).
    static func truthCount(_ dictionary: StringDictionary) -> Int { max(dictionary.count, 1) }

    /// Truth values of the block's rows.
    func evaluate(_ block: BlockColumns) -> [UInt8] {
        let n = block.rowCount
        func leaf(_ column: Int, _ body: (Int) -> Bool) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: n)
            let data = block[column]
            let validity = data.validity
            for i in 0..<n { out[i] = (validity?[i] ?? true) ? (body(i) ? Truth.yes : Truth.no) : Truth.unknown }
            return out
        }
        switch self {
        case .codes(let c, let truth, _):
            guard case .string(_, let codes, let validity) = block[c] else { return [] }
            var out = [UInt8](repeating: 0, count: n)
            out.withUnsafeMutableBufferPointer { out in
                codes.withUnsafeBufferPointer { codes in
                    truth.withUnsafeBufferPointer { truth in
                        for i in 0..<n { out[i] = truth[Int(codes[i])] }
                    }
                }
            }
            if let validity { for i in 0..<n where !validity[i] { out[i] = Truth.unknown } }
            return out
        case .integer(let c, let op, let v):
            guard case .int64(let x, _) = block[c] else { return [] }
            return leaf(c) { op.holds(x[$0] == v ? 0 : (x[$0] < v ? -1 : 1)) }
        case .integerAsDouble(let c, let op, let v):
            guard case .int64(let x, _) = block[c] else { return [] }
            return leaf(c) { op.holds(ValueOrder.compare(Double(x[$0]), v)) }
        case .double(let c, let op, let v):
            guard case .double(let x, _) = block[c] else { return [] }
            return leaf(c) { op.holds(ValueOrder.compare(x[$0], v)) }
        case .bool(let c, let op, let v):
            guard case .bool(let x, _) = block[c] else { return [] }
            return leaf(c) { op.holds(x[$0] == v ? 0 : (!x[$0] ? -1 : 1)) }
        case .integerIn(let c, let set, let hasNull):
            guard case .int64(let x, let validity) = block[c] else { return [] }
            var out = [UInt8](repeating: 0, count: n)
            for i in 0..<n {
                guard validity?[i] ?? true else {
                    out[i] = Truth.unknown
                    continue
                }
                out[i] = set.contains(x[i]) ? Truth.yes : (hasNull ? Truth.unknown : Truth.no)
            }
            return out
        case .doubleIn(let c, let set, let hasNull):
            guard case .double(let x, let validity) = block[c] else { return [] }
            var out = [UInt8](repeating: 0, count: n)
            for i in 0..<n {
                guard validity?[i] ?? true else {
                    out[i] = Truth.unknown
                    continue
                }
                out[i] = set.contains(Self.key(x[i])) ? Truth.yes : (hasNull ? Truth.unknown : Truth.no)
            }
            return out
        case .isNull(let c):
            let validity = block[c].validity
            return (0..<n).map { (validity?[$0] ?? true) ? Truth.no : Truth.yes }
        case .constant(let t):
            return [UInt8](repeating: t, count: n)
        case .and(let parts):
            var out = [UInt8](repeating: Truth.yes, count: n)
            for p in parts {
                let t = p.evaluate(block)
                out.withUnsafeMutableBufferPointer { o in
                    t.withUnsafeBufferPointer { t in for i in 0..<n { o[i] = min(o[i], t[i]) } }
                }
            }
            return out
        case .or(let parts):
            var out = [UInt8](repeating: Truth.no, count: n)
            for p in parts {
                let t = p.evaluate(block)
                out.withUnsafeMutableBufferPointer { o in
                    t.withUnsafeBufferPointer { t in for i in 0..<n { o[i] = max(o[i], t[i]) } }
                }
            }
            return out
        case .not(let inner):
            return inner.evaluate(block).map { Truth.yes - $0 }
        }
    }
}
