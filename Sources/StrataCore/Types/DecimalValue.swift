/// An exact decimal number as DuckDB's `DECIMAL(precision, scale)` holds it: an integer count of
/// 10^-scale units. `1.50` of type `DECIMAL(3,2)` is `DecimalValue(unscaled: 150, precision: 3, scale: 2)`.
///
/// The unscaled value is 128 bits wide so that every DuckDB width (up to 38 digits) fits; columns of
/// width ≤ 18 store it as an `Int64`.
public struct DecimalValue: Sendable, Hashable, CustomStringConvertible {
    /// The value times 10^scale.
    public var unscaled: Int128
    /// Total number of decimal digits, 1...38.
    public var precision: Int
    /// Digits after the point, 0...precision.
    public var scale: Int

    /// The widest DECIMAL: 38 digits, as in DuckDB.
    public static let maxPrecision = 38
    /// The widest DECIMAL stored in 64 bits.
    public static let maxInt64Precision = 18

    public init(unscaled: Int128, precision: Int, scale: Int) {
        self.unscaled = unscaled
        self.precision = precision
        self.scale = scale
    }

    /// 10^n for n in 0...38.
    public static func power(_ n: Int) -> Int128 {
        powers[max(0, min(n, 38))]
    }

    private static let powers: [Int128] = {
        var result: [Int128] = [1]
        for _ in 1...38 { result.append(result[result.count - 1] * 10) }
        return result
    }()

    /// Whether `unscaled` has at most `precision` digits.
    public static func fits(_ unscaled: Int128, precision: Int) -> Bool {
        let limit = power(precision)
        return unscaled < limit && unscaled > -limit
    }

    /// `unscaled` (at `from` scale) at scale `to`: exact when widening, rounded half away from zero
    /// when narrowing, as DuckDB rounds. `nil` when the result does not fit in 128 bits.
    public static func rescale(_ unscaled: Int128, from: Int, to: Int) -> Int128? {
        if to == from { return unscaled }
        if to > from {
            let (result, overflow) = unscaled.multipliedReportingOverflow(by: power(to - from))
            return overflow ? nil : result
        }
        return divideRounded(unscaled, by: power(from - to))
    }

    /// `a / b` rounded half away from zero (`b > 0`).
    public static func divideRounded(_ a: Int128, by b: Int128) -> Int128 {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        if r.magnitude * 2 >= b.magnitude { return a < 0 ? q - 1 : q + 1 }
        return q
    }

    /// The value as the nearest double, as DuckDB casts it (`2.345` is the double nearest 2.345).
    public var doubleValue: Double {
        // Both operands exact (units below 2^53, 10^scale up to 10^22): one correctly rounded division.
        if unscaled.magnitude < (1 << 53), scale <= 22 {
            return Double(unscaled) / DecimalValue.pow10(scale)
        }
        return Double(description) ?? Double(unscaled) / DecimalValue.pow10(scale)
    }

    /// DuckDB's text: every digit of the scale (`1.50`, `-0.07`, `100`).
    public var description: String {
        DecimalValue.format(unscaled, scale: scale)
    }

    /// The text of `unscaled` · 10^-scale with exactly `scale` fraction digits.
    public static func format(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        var digits = String(unscaled.magnitude)
        guard scale > 0 else { return (negative ? "-" : "") + digits }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    /// Parses decimal text exactly (`12.5`, `-.5`, `+3`, `1e3`, `1.25E-1`) into an unscaled value at
    /// `scale`, rounding extra fraction digits half away from zero, as DuckDB's casts do.
    /// `nil` for text that is not a number or does not fit in `precision` digits.
    public static func parse<Bytes: Collection<UInt8>>(utf8 text: Bytes, precision: Int, scale: Int) -> Int128? {
        var i = text.startIndex
        let end = text.endIndex
        func skipSpaces() {
            while i < end, text[i] == UInt8(ascii: " ") || text[i] == UInt8(ascii: "\t") { i = text.index(after: i) }
        }
        skipSpaces()
        var negative = false
        if i < end, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i = text.index(after: i)
        }
        // Significant digits as an integer, and how many of them follow the point.
        var mantissa: Int128 = 0
        var fractionDigits = 0
        var digitCount = 0
        var droppedDigits = 0
        var sawPoint = false
        var roundUp = false
        while i < end {
            let c = text[i]
            if c == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                digitCount += 1
                let digit = Int128(c - UInt8(ascii: "0"))
                if mantissa < power(37) {
                    mantissa = mantissa * 10 + digit
                    if sawPoint { fractionDigits += 1 }
                } else if sawPoint {
                    // Digits beyond 38 significant ones only round.
                    if droppedDigits == 0 { roundUp = digit >= 5 }
                    droppedDigits += 1
                } else {
                    return nil
                }
            } else {
                break
            }
            i = text.index(after: i)
        }
        guard digitCount > 0 else { return nil }
        var exponent = 0
        if i < end, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i = text.index(after: i)
            var exponentNegative = false
            if i < end, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i = text.index(after: i)
            }
            var sawDigit = false
            while i < end, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") {
                exponent = min(exponent * 10 + Int(text[i] - UInt8(ascii: "0")), 1000)
                sawDigit = true
                i = text.index(after: i)
            }
            guard sawDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        skipSpaces()
        guard i == end else { return nil }
        if roundUp { mantissa += 1 }
        // The value is mantissa · 10^(exponent − fractionDigits); bring it to `scale`.
        let shift = scale + exponent - fractionDigits
        var result: Int128
        if shift >= 0 {
            guard shift <= 38, mantissa == 0 || shift < 38 else { return mantissa == 0 ? 0 : nil }
            let (value, overflow) = mantissa.multipliedReportingOverflow(by: power(shift))
            guard !overflow else { return nil }
            result = value
        } else {
            result = -shift > 38 ? 0 : divideRounded(mantissa, by: power(-shift))
        }
        if negative { result = -result }
        return fits(result, precision: precision) ? result : nil
    }

    /// Parses decimal text; see ``parse(utf8:precision:scale:)``.
    public static func parse(_ text: String, precision: Int, scale: Int) -> Int128? {
        parse(utf8: Array(text.utf8), precision: precision, scale: scale)
    }

    /// The unscaled value nearest to `value` at `scale` (half away from zero), or `nil` when it does not
    /// fit in `precision` digits or is not finite.
    public static func from(_ value: Double, precision: Int, scale: Int) -> Int128? {
        let scaled = (value * pow10(scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled.isFinite, Swift.abs(scaled) < 1.7e38 else { return nil }
        let result = Int128(scaled)
        return fits(result, precision: precision) ? result : nil
    }

    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= 10 }
        return result
    }
}

extension DecimalValue {
    /// The int64 units a decimal column of this precision and scale stores for `value`: decimals
    /// rescaled (rounding half away from zero), integers as whole numbers, doubles to the nearest unit,
    /// text parsed exactly. `nil` when the value is of another type or does not fit.
    public static func storedUnits(_ value: Value, precision: Int, scale: Int) -> Int64? {
        let units: Int128?
        switch value {
        case .decimal(let d): units = rescale(d.unscaled, from: d.scale, to: scale)
        case .int64(let x): units = rescale(Int128(x), from: 0, to: scale)
        case .hugeint(let x): units = rescale(x, from: 0, to: scale)
        case .double(let x): units = from(x, precision: precision, scale: scale)
        case .string(let s): units = parse(s, precision: precision, scale: scale)
        default: units = nil
        }
        guard let units, fits(units, precision: precision) else { return nil }
        return Int64(exactly: units)
    }
}
