import Foundation
package import StrataCore

extension BoundExpression {
    /// Evaluates the expression on one input row with DuckDB's semantics: NULL in, NULL out (except
    /// `AND`, `OR`, `IS NULL`, `coalesce` and `CASE`); `/` always divides as doubles; integer overflow
    /// and integer `%` by zero are errors.
    package func evaluate(_ row: [Value]) throws(StrataError) -> Value {
        switch self {
        case .constant(let value, _):
            return value
        case .column(let index, _, _):
            return row[index]
        case .intervalConstant:
            throw StrataError(.type, "an INTERVAL can only be added to or subtracted from a timestamp or date")
        case .not(let operand):
            guard case .bool(let b) = try operand.evaluate(row) else { return .null }
            return .bool(!b)
        case .negate(let operand):
            switch try operand.evaluate(row) {
            case .int64(let x):
                guard x != .min else { throw SQLEvaluation.overflow("negation", x, 0) }
                return .int64(-x)
            case .double(let x): return .double(-x)
            case .hugeint(let x):
                guard x != .min else { throw StrataError(.invalidArgument, "overflow in negation of HUGEINT (\(x))") }
                return .hugeint(-x)
            case .decimal(var d):
                d.unscaled = -d.unscaled
                return .decimal(d)
            default: return .null
            }
        case .and(let parts):
            var sawNull = false
            for part in parts {
                switch try part.evaluate(row) {
                case .bool(false): return .bool(false)
                case .bool(true): break
                default: sawNull = true
                }
            }
            return sawNull ? .null : .bool(true)
        case .or(let parts):
            var sawNull = false
            for part in parts {
                switch try part.evaluate(row) {
                case .bool(true): return .bool(true)
                case .bool(false): break
                default: sawNull = true
                }
            }
            return sawNull ? .null : .bool(false)
        case .compare(let op, let left, let right):
            guard let order = ValueOrder.compare(try left.evaluate(row), try right.evaluate(row)) else { return .null }
            return .bool(op.holds(order))
        case .arithmetic(let op, let left, let right, let type):
            return try SQLEvaluation.arithmetic(op, try left.evaluate(row), try right.evaluate(row), type: type)
        case .addInterval(let operand, let interval):
            guard case .timestamp(let ms) = try operand.evaluate(row) else { return .null }
            return .timestamp(try interval.added(to: ms))
        case .isNull(let operand, let negated):
            return .bool(try operand.evaluate(row).isNull != negated)
        case .inList(let operand, let list, let negated):
            // No value is in an empty list, not even NULL, as in the native filter.
            guard !list.isEmpty else { return .bool(negated) }
            let value = try operand.evaluate(row)
            guard !value.isNull else { return .null }
            var sawNull = false
            for item in list {
                if let order = ValueOrder.compare(value, try item.evaluate(row)) {
                    if order == 0 { return .bool(!negated) }
                } else {
                    sawNull = true
                }
            }
            return sawNull ? .null : .bool(negated)
        case .like(let operand, let pattern, let negated, let caseInsensitive):
            guard case .string(var text) = try operand.evaluate(row),
                case .string(var patternText) = try pattern.evaluate(row)
            else { return .null }
            if caseInsensitive {
                // DuckDB's simple, one-code-point lowering: 'İ' ILIKE 'i', and no final sigma.
                text = SQLEvaluation.caseMapped(text, upper: false)
                patternText = SQLEvaluation.caseMapped(patternText, upper: false)
            }
            return .bool(LikePattern(patternText).matches(text) != negated)
        case .caseWhen(let branches, let elseResult, _):
            for branch in branches where try branch.condition.evaluate(row) == .bool(true) {
                return try branch.result.evaluate(row)
            }
            return try elseResult?.evaluate(row) ?? .null
        case .cast(let operand, let type):
            return try SQLEvaluation.cast(try operand.evaluate(row), from: operand.type, to: type)
        case .function(let function, let arguments, let type):
            return try SQLEvaluation.call(function, arguments, row: row, type: type)
        }
    }

    /// Whether the expression is TRUE on the row (NULL and FALSE reject it).
    package func holds(_ row: [Value]) throws(StrataError) -> Bool {
        try evaluate(row) == .bool(true)
    }
}

/// The value-level rules of SQL evaluation, shared by the evaluator and constant folding.
package enum SQLEvaluation {
    static func overflow(_ what: String, _ a: Int64, _ b: Int64) -> StrataError {
        StrataError(.invalidArgument, "overflow in \(what) of BIGINT (\(a), \(b))")
    }

    /// `x op y` for BIGINT `+ - * %` (not `/`, which divides as doubles): overflow and `% 0` are errors
    /// naming the operation. The row rules and the vectorized kernel both compute through it.
    @inline(__always)
    static func bigint(_ op: ArithmeticOperator, _ x: Int64, _ y: Int64) throws(StrataError) -> Int64 {
        if op == .modulo || op == .integerDivide, y == 0 {
            throw StrataError(.invalidArgument, "division by zero in \(x) \(op.rawValue) \(y)")
        }
        guard let result = integer(op, x, y), !result.overflow else { throw overflow(operatorName(op), x, y) }
        return result.partialValue
    }

    /// `x op y` for `+ - * %` on fixed-width integers, reporting overflow (`% 0` reports it too, after the
    /// callers' own error for it); `nil` for `/`, which the integer rules do not compute.
    @inline(__always)
    static func integer<T: FixedWidthInteger>(_ op: ArithmeticOperator, _ x: T, _ y: T)
        -> (partialValue: T, overflow: Bool)?
    {
        switch op {
        case .add: x.addingReportingOverflow(y)
        case .subtract: x.subtractingReportingOverflow(y)
        case .multiply: x.multipliedReportingOverflow(by: y)
        case .modulo: x.remainderReportingOverflow(dividingBy: y)
        case .integerDivide: x.dividedReportingOverflow(by: y)
        case .divide: nil
        }
    }

    static func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value, type: SQLValueType) throws(StrataError)
        -> Value
    {
        guard !a.isNull, !b.isNull else { return .null }
        if case .timestamp(let x) = a, case .timestamp(let y) = b {
            // date − date: whole days, as a BIGINT.
            return .int64((x - y) / Timestamp.millisecondsPerDay)
        }
        switch type {
        case .hugeint:
            guard let (x, _) = units(a), let (y, _) = units(b) else { return .null }
            return try hugeintArithmetic(op, x, y)
        case .decimal(let precision, let scale):
            return try decimalArithmetic(op, a, b, precision: precision, scale: scale)
        case .bigint:
            guard case .int64(let x) = a, case .int64(let y) = b else { return .null }
            if op == .divide { return .double(Double(x) / Double(y)) }
            return .int64(try bigint(op, x, y))
        case .double:
            guard let x = a.doubleValue, let y = b.doubleValue else { return .null }
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .divide: return .double(x / y)
            case .integerDivide:
                guard y != 0 else { throw StrataError(.invalidArgument, "division by zero in \(x) // \(y)") }
                return .double(x / y)
            case .modulo: return .double(x.truncatingRemainder(dividingBy: y))
            }
        case .date:
            // date ± integer days
            guard case .timestamp(let ms) = a, case .int64(let days) = b else { return .null }
            // −Int64.min does not exist; a date that many days away is out of range anyway.
            guard op == .add || days != .min else { throw timestampRangeError() }
            return .timestamp(try addingDays(op == .subtract ? -days : days, to: ms))
        default:
            return .null
        }
    }

    /// The text form of a value of type `type`, as DuckDB's `CAST(x AS VARCHAR)` writes it.
    package static func text(_ value: Value, type: SQLValueType) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int64(let x): return String(x)
        case .hugeint(let x): return String(x)
        case .decimal(let d): return d.description
        case .double(let d): return formatDouble(d)
        case .string(let s): return s
        case .timestamp(let ms):
            if type == .date { return Timestamp.formatDate(days: Int(Timestamp.floorDiv(ms, 86_400_000))) }
            return formatTimestamp(ms)
        }
    }

    /// `2026-10-01 12:34:56.7`: DuckDB prints the fraction without trailing zeros, and none when zero.
    package static func formatTimestamp(_ ms: Int64) -> String {
        var text = Timestamp.format(milliseconds: ms)
        // Bytes, not Foundation's string search: this runs for every timestamp a result prints.
        if text.utf8.contains(UInt8(ascii: ".")) {
            while text.utf8.last == UInt8(ascii: "0") { text.removeLast() }
        }
        return text
    }

    /// The shortest text that reads back as the same double, positional below 10¹⁶ (`100.0`,
    /// `1000000000000000.0`), with an exponent above (`1e+16`) and below 10⁻⁴ (`1e-05`), like DuckDB.
    package static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        var text = d.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        guard let exponent = Int(text[text.index(after: e)...]), exponent >= 0, exponent < 16 else {
            // Swift writes 1e-05 as DuckDB does.
            return text
        }
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        let pointAt = parts[0].count + exponent
        while digits.count < pointAt { digits.append("0") }
        var fraction = String(digits.dropFirst(pointAt))
        if fraction.isEmpty { fraction = "0" }
        text = (negative ? "-" : "") + String(digits.prefix(pointAt)) + "." + fraction
        return text
    }

    package static func cast(_ value: Value, from source: SQLValueType, to target: SQLValueType) throws(StrataError)
        -> Value
    {
        if value.isNull { return .null }
        func conversion(_ text: String) -> StrataError {
            StrataError(.type, "could not convert \(source == .varchar ? "string " : "")'\(text)' to \(target)")
        }
        switch target {
        case .varchar:
            return .string(text(value, type: source))
        case .bigint:
            switch value {
            case .int64: return value
            case .bool(let b): return .int64(b ? 1 : 0)
            case .hugeint, .decimal:
                // DuckDB rounds a DECIMAL half away from zero: CAST(2.5 AS BIGINT) is 3.
                guard let x = roundedInteger(value), let result = Int64(exactly: x) else {
                    throw StrataError(.type, "could not cast value \(value) to BIGINT: it is out of range")
                }
                return .int64(result)
            case .double(let d):
                // DuckDB rounds half to even when casting a double to an integer.
                let rounded = d.rounded(.toNearestOrEven)
                guard rounded.isFinite, rounded >= -9.223_372_036_854_775_808e18, rounded < 9.223_372_036_854_775_808e18
                else { throw conversion(formatDouble(d)) }
                return .int64(Int64(rounded))
            case .string(let s):
                guard let x = Int64(s.trimmingCharacters(in: .whitespaces)) else { throw conversion(s) }
                return .int64(x)
            default:
                throw StrataError(.type, "cannot cast \(source) to BIGINT")
            }
        case .hugeint:
            switch value {
            case .hugeint: return value
            case .int64, .bool, .decimal:
                guard let x = roundedInteger(value) else { throw conversion("\(value)") }
                return .hugeint(x)
            case .double(let d):
                let rounded = d.rounded(.toNearestOrEven)
                guard rounded.isFinite, Swift.abs(rounded) < 1.7e38 else { throw conversion(formatDouble(d)) }
                return .hugeint(Int128(rounded))
            case .string(let s):
                guard let x = Int128(s.trimmingCharacters(in: .whitespaces)) else { throw conversion(s) }
                return .hugeint(x)
            default:
                throw StrataError(.type, "cannot cast \(source) to HUGEINT")
            }
        case .decimal(let precision, let scale):
            if case .timestamp = value { throw StrataError(.type, "cannot cast \(source) to \(target)") }
            return try castToDecimal(value, precision: precision, scale: scale)
        case .double:
            switch value {
            case .int64(let x): return .double(Double(x))
            case .hugeint(let x): return .double(Double(x))
            case .decimal(let d): return .double(d.doubleValue)
            case .double: return value
            case .bool(let b): return .double(b ? 1 : 0)
            case .string(let s):
                guard let d = Double(s.trimmingCharacters(in: .whitespaces)) else { throw conversion(s) }
                return .double(d)
            default:
                throw StrataError(.type, "cannot cast \(source) to DOUBLE")
            }
        case .boolean:
            switch value {
            case .bool: return value
            case .int64(let x): return .bool(x != 0)
            case .hugeint(let x): return .bool(x != 0)
            case .decimal(let d): return .bool(d.unscaled != 0)
            case .double(let d): return .bool(d != 0)
            case .string(let s):
                switch s.lowercased() {
                case "true", "t", "1", "yes", "y": return .bool(true)
                case "false", "f", "0", "no", "n": return .bool(false)
                default: throw conversion(s)
                }
            default:
                throw StrataError(.type, "cannot cast \(source) to BOOLEAN")
            }
        case .timestamp, .date:
            let ms: Int64
            switch value {
            case .timestamp(let x): ms = x
            case .string(let s):
                switch Timestamp.parse(s) {
                case .success(let x): ms = x
                case .failure(.outOfRange):
                    throw StrataError(.invalidArgument, timestampParseMessage(s, .outOfRange, as: target))
                case .failure(.malformed): throw conversion(s)
                }
            default:
                throw StrataError(.type, "cannot cast \(source) to \(target)")
            }
            return .timestamp(target == .date ? TimeUnit.day.truncate(ms) : ms)
        case .interval, .null:
            throw StrataError(.type, "cannot cast \(source) to \(target)")
        }
    }
}
