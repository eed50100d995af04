import StrataCore

/// Native filters on a decimal column, exact: the column stores int64 units of 10^-scale, so a literal
/// becomes a bound on units. `price < 10.005` on DECIMAL(15,2) is `units < 1001` (the ceiling), `price =
/// 10.005` holds for no value. Zone maps, codecs and kernels of int64 columns then serve decimals.
enum DecimalFilter {
    /// The literal's value times 10^scale, rounded down and up; `nil` for a literal that is not a number.
    /// Text and doubles are read as decimal text (a double by its shortest form: `0.05`, not the binary
    /// expansion).
    static func scaledBounds(_ literal: Value, scale: Int) -> (floor: Int128, ceiling: Int128)? {
        let units: Int128
        let literalScale: Int
        switch literal {
        case .decimal(let d): (units, literalScale) = (d.unscaled, d.scale)
        case .int64(let x): (units, literalScale) = (Int128(x), 0)
        case .hugeint(let x): (units, literalScale) = (x, 0)
        case .double(let x):
            guard x.isFinite else { return nil }
            return scaledBounds(.string(x.description), scale: scale)
        case .string(let text):
            // Enough fraction digits for any literal a column can be compared with exactly.
            let finer = min(DecimalValue.maxPrecision, scale + 18)
            guard let x = DecimalValue.parse(text, precision: DecimalValue.maxPrecision, scale: finer) else {
                return nil
            }
            (units, literalScale) = (x, finer)
        default:
            return nil
        }
        if literalScale <= scale {
            // Widening can only leave 128 bits for values far outside any int64 column.
            guard let x = DecimalValue.rescale(units, from: literalScale, to: scale) else {
                return units < 0 ? (.min, .min) : (.max, .max)
            }
            return (x, x)
        }
        let (q, r) = units.quotientAndRemainder(dividingBy: DecimalValue.power(literalScale - scale))
        if r == 0 { return (q, q) }
        return r < 0 ? (q - 1, q) : (q, q + 1)
    }

    /// `column op literal` as a filter on the column's units.
    static func compare(_ column: String, _ op: ComparisonOperator, _ literal: Value, precision: Int, scale: Int)
        throws(StrataError) -> Filter
    {
        if literal.isNull { return .compare(column, op, .null) }
        guard let (floor, ceiling) = scaledBounds(literal, scale: scale) else {
            throw StrataError(.type, "cannot compare decimal(\(precision),\(scale)) column '\(column)' with \(literal)")
        }
        let never = Filter.and([.compare(column, .lessThan, .int64(0)), .compare(column, .greaterThan, .int64(0))])
        let always = Filter.not(never)
        // Bounds outside int64 hold for every value or for none.
        func bound(_ x: Int128, _ op: ComparisonOperator) -> Filter {
            if let units = Int64(exactly: x) { return .compare(column, op, .int64(units)) }
            let above = x > 0
            switch op {
            case .lessThan, .lessThanOrEqual: return above ? always : never
            case .greaterThan, .greaterThanOrEqual: return above ? never : always
            case .equal: return never
            case .notEqual: return always
            }
        }
        switch op {
        case .equal: return floor == ceiling ? bound(floor, .equal) : never
        case .notEqual: return floor == ceiling ? bound(floor, .notEqual) : always
        case .lessThan: return bound(ceiling, .lessThan)
        case .lessThanOrEqual: return bound(floor, .lessThanOrEqual)
        case .greaterThan: return bound(floor, .greaterThan)
        case .greaterThanOrEqual: return bound(ceiling, .greaterThanOrEqual)
        }
    }

    /// `column IN (list)` on the column's units: literals that no unit equals drop out.
    static func `in`(_ column: String, _ list: [Value], precision: Int, scale: Int) throws(StrataError) -> Filter {
        var units: [Value] = []
        for literal in list {
            if literal.isNull {
                units.append(.null)
                continue
            }
            guard let (floor, ceiling) = scaledBounds(literal, scale: scale) else {
                throw StrataError(
                    .type, "cannot compare decimal(\(precision),\(scale)) column '\(column)' with \(literal)")
            }
            if floor == ceiling, let x = Int64(exactly: floor) { units.append(.int64(x)) }
        }
        if units.isEmpty, !list.isEmpty {
            // No value can match, but NULL stays unknown (so NOT IN keeps NULL rows out).
            return .and([.compare(column, .lessThan, .int64(0)), .compare(column, .greaterThan, .int64(0))])
        }
        return .in(column, units)
    }
}
