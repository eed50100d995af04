public import Strata
public import StrataCore

/// Row-at-a-time predicates for the reference evaluator, with SQL's three-valued logic, written
/// apart from the engine's evaluators (`Filter.evaluate`, segment predicates, the SQL evaluator).
public enum ReferenceFilter {
    /// `true`, `false`, or `nil` for unknown. `value` gives a row's value of a column by name.
    public static func evaluate(_ filter: Filter, _ value: (String) -> Value) -> Bool? {
        switch filter {
        case .compare(let c, let op, let literal):
            guard let order = compare(value(c), literal) else { return nil }
            switch op {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .lessThan: return order < 0
            case .lessThanOrEqual: return order <= 0
            case .greaterThan: return order > 0
            case .greaterThanOrEqual: return order >= 0
            }
        case .in(let c, let list):
            // No value is in an empty list, not even NULL (the chosen semantics, as `= ANY('{}')`).
            if list.isEmpty { return false }
            let v = value(c)
            if v.isNull { return nil }
            var unknown = false
            for item in list {
                switch compare(v, item) {
                case 0?: return true
                case nil: unknown = true
                default: break
                }
            }
            return unknown ? nil : false
        case .like(let c, let pattern):
            guard case .string(let s) = value(c) else { return nil }
            return like(Array(s.unicodeScalars)[...], Array(pattern.unicodeScalars)[...])
        case .isNull(let c):
            return value(c).isNull
        case .and(let parts):
            let results = parts.map { evaluate($0, value) }
            if results.contains(false) { return false }
            return results.contains(nil) ? nil : true
        case .or(let parts):
            let results = parts.map { evaluate($0, value) }
            if results.contains(true) { return true }
            return results.contains(nil) ? nil : false
        case .not(let inner):
            return evaluate(inner, value).map { !$0 }
        }
    }

    /// SQL comparison: numbers across integer and double, timestamps with timestamps (or integers),
    /// strings by UTF-8 bytes, false < true; `nil` with a NULL or types that do not compare.
    /// Doubles order NaN above every number and equal to itself, as DuckDB does.
    public static func compare(_ a: Value, _ b: Value) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case (.timestamp(let x), .timestamp(let y)), (.timestamp(let x), .int64(let y)),
            (.int64(let x), .timestamp(let y)), (.int64(let x), .int64(let y)):
            return sign(x, y)
        case (.string(let x), .string(let y)):
            return x.utf8.elementsEqual(y.utf8) ? 0 : (x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1)
        case (.bool(let x), .bool(let y)):
            return sign(x ? 1 : 0, y ? 1 : 0)
        case (.int64, .double), (.double, .int64), (.double, .double):
            let (x, y) = (a.doubleValue ?? 0, b.doubleValue ?? 0)
            if x.isNaN || y.isNaN { return x.isNaN && y.isNaN ? 0 : (x.isNaN ? 1 : -1) }
            return sign(x, y)
        case (.decimal(let x), .decimal(let y)):
            // Exactly, at the finer scale.
            let scale = max(x.scale, y.scale)
            func units(_ d: DecimalValue) -> Int128 {
                var u = d.unscaled
                for _ in d.scale..<scale { u *= 10 }
                return u
            }
            return sign(units(x), units(y))
        case (.decimal, .int64(let y)):
            return compare(a, .decimal(DecimalValue(unscaled: Int128(y), precision: 38, scale: 0)))
        case (.int64, .decimal):
            return compare(b, a).map { -$0 }
        case (.decimal(let x), .double(let y)):
            // A double literal stands for its shortest decimal text (0.05, not its binary expansion): the
            // nearest double to the decimal equals it exactly when the two are the same decimal.
            let value = Double(x.unscaled) / (0..<x.scale).reduce(1.0) { r, _ in r * 10 }
            if y.isNaN { return -1 }
            return sign(value, y)
        case (.double, .decimal):
            return compare(b, a).map { -$0 }
        default:
            return nil
        }
    }

    /// `%` any run of scalars, `_` exactly one, everything else itself.
    static func like(_ text: ArraySlice<Unicode.Scalar>, _ pattern: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let p = pattern.first else { return text.isEmpty }
        switch p {
        case "%":
            let rest = pattern.dropFirst()
            var t = text
            while true {
                if like(t, rest) { return true }
                if t.isEmpty { return false }
                t = t.dropFirst()
            }
        case "_":
            return !text.isEmpty && like(text.dropFirst(), pattern.dropFirst())
        default:
            return text.first == p && like(text.dropFirst(), pattern.dropFirst())
        }
    }
}
