import StrataCore

/// HUGEINT and DECIMAL arithmetic and casts, exact as in DuckDB: decimals are integers of 10^-scale
/// units, results are checked against their type's width, and narrowing rounds half away from zero.
extension SQLEvaluation {
    /// An exact numeric value as (units, scale): BIGINT and HUGEINT have scale 0.
    static func units(_ value: Value) -> (Int128, Int)? {
        switch value {
        case .int64(let x): (Int128(x), 0)
        case .hugeint(let x): (x, 0)
        case .decimal(let d): (d.unscaled, d.scale)
        case .bool(let b): (b ? 1 : 0, 0)
        default: nil
        }
    }

    static func operatorName(_ op: ArithmeticOperator) -> String {
        switch op {
        case .add: "addition"
        case .subtract: "subtraction"
        case .multiply: "multiplication"
        case .modulo: "modulo"
        case .divide: "division"
        case .integerDivide: "integer division"
        }
    }

    /// `a op b` on 128-bit integers; an error names the operation on overflow.
    static func hugeintArithmetic(_ op: ArithmeticOperator, _ x: Int128, _ y: Int128) throws(StrataError) -> Value {
        if op == .modulo || op == .integerDivide, y == 0 {
            throw StrataError(.invalidArgument, "division by zero in \(x) \(op.rawValue) \(y)")
        }
        guard let result = integer(op, x, y) else { return .double(Double(x) / Double(y)) }
        guard !result.overflow else {
            throw StrataError(.invalidArgument, "overflow in \(operatorName(op)) of HUGEINT (\(x), \(y))")
        }
        return .hugeint(result.partialValue)
    }

    /// `a op b` as DECIMAL(precision, scale), the type the binder gave the operation.
    static func decimalArithmetic(
        _ op: ArithmeticOperator, _ a: Value, _ b: Value, precision: Int, scale: Int
    ) throws(StrataError) -> Value {
        guard let (x, xs) = units(a), let (y, ys) = units(b) else { return .null }
        func overflow() -> StrataError {
            StrataError(
                .invalidArgument,
                "overflow in \(operatorName(op)) of DECIMAL(\(precision),\(scale)) (\(a) \(op.rawValue) \(b)); "
                    + "cast an operand to a wider DECIMAL or to DOUBLE")
        }
        let result: (partialValue: Int128, overflow: Bool)
        switch op {
        case .multiply:
            // Units multiply into units of 10^-(xs + ys), the result's scale.
            result = x.multipliedReportingOverflow(by: y)
        case .add, .subtract, .modulo:
            guard let l = DecimalValue.rescale(x, from: xs, to: scale),
                let r = DecimalValue.rescale(y, from: ys, to: scale)
            else { throw overflow() }
            switch op {
            case .add: result = l.addingReportingOverflow(r)
            case .subtract: result = l.subtractingReportingOverflow(r)
            default:
                guard r != 0 else { throw StrataError(.invalidArgument, "division by zero in \(a) % \(b)") }
                result = l.remainderReportingOverflow(dividingBy: r)
            }
        case .divide, .integerDivide:
            // The binder converts a DECIMAL `//` to doubles; `/` divides as doubles.
            return .double((a.doubleValue ?? 0) / (b.doubleValue ?? 0))
        }
        guard !result.overflow, DecimalValue.fits(result.partialValue, precision: precision) else { throw overflow() }
        return .decimal(DecimalValue(unscaled: result.partialValue, precision: precision, scale: scale))
    }

    /// A value cast to DECIMAL(precision, scale): integers and decimals exactly (rounding extra digits
    /// half away from zero), doubles to the nearest unit, text parsed exactly.
    static func castToDecimal(_ value: Value, precision: Int, scale: Int) throws(StrataError) -> Value {
        let target = "DECIMAL(\(precision),\(scale))"
        let unscaled: Int128?
        switch value {
        case .double(let d):
            unscaled = DecimalValue.from(d, precision: precision, scale: scale)
        case .string(let s):
            guard let x = DecimalValue.parse(s, precision: precision, scale: scale) else {
                throw StrataError(.type, "could not convert string '\(s)' to \(target)")
            }
            unscaled = x
        default:
            guard let (x, xs) = units(value) else { throw StrataError(.type, "cannot cast \(value) to \(target)") }
            unscaled = DecimalValue.rescale(x, from: xs, to: scale)
        }
        guard let unscaled, DecimalValue.fits(unscaled, precision: precision) else {
            throw StrataError(.type, "could not cast value \(value) to \(target): it is out of range")
        }
        return .decimal(DecimalValue(unscaled: unscaled, precision: precision, scale: scale))
    }

    /// An exact numeric value rounded half away from zero to an integer (DECIMAL to BIGINT/HUGEINT).
    static func roundedInteger(_ value: Value) -> Int128? {
        guard let (x, scale) = units(value) else { return nil }
        return DecimalValue.rescale(x, from: scale, to: 0)
    }

    /// `round`, `floor` or `ceil` of a decimal to `digits` fraction digits, typed DECIMAL(precision, scale).
    static func roundDecimal(_ d: DecimalValue, digits: Int, function: ScalarFunction, precision: Int, scale: Int)
        -> Value
    {
        guard digits < d.scale else {
            return .decimal(DecimalValue(unscaled: d.unscaled, precision: precision, scale: scale))
        }
        let step = DecimalValue.power(d.scale - digits)
        var (q, r) = d.unscaled.quotientAndRemainder(dividingBy: step)
        switch function {
        case .floor: if r < 0 { q -= 1 }
        case .ceil: if r > 0 { q += 1 }
        case .math(.trunc): break
        default:
            if r.magnitude * 2 >= step.magnitude { q += d.unscaled < 0 ? -1 : 1 }
            r = 0
        }
        // q counts units of 10^-digits; the result's scale is max(digits, 0).
        let units = digits >= 0 ? q : q * DecimalValue.power(-digits)
        return .decimal(DecimalValue(unscaled: units, precision: precision, scale: scale))
    }
}
