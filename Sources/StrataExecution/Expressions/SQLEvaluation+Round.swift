import Foundation
package import StrataCore

extension SQLEvaluation {
    /// `round(x, precision)` of a double, as DuckDB computes it: scale by 10^precision, round half away
    /// from zero, scale back. When a scale overflows to infinity DuckDB keeps the input for positive
    /// precisions (`round(12.5, 400)` is 12.5: nothing to drop) and gives 0 for negative ones (every
    /// digit is dropped).
    static func round(_ x: Double, precision: Int64) -> Double {
        if precision < 0 {
            let modifier = Foundation.pow(10, Double(-precision))
            let rounded = (x / modifier).rounded(.toNearestOrAwayFromZero) * modifier
            return rounded.isFinite ? rounded : 0
        }
        let modifier = Foundation.pow(10, Double(precision))
        let rounded = (x * modifier).rounded(.toNearestOrAwayFromZero) / modifier
        return rounded.isFinite ? rounded : x
    }

    /// `round(x, precision)` of a BIGINT: exact, half away from zero to a multiple of 10^−precision;
    /// a non-negative precision keeps `x`. A result beyond BIGINT is an error, as in DuckDB
    /// (`round(9223372036854775807, -1)`).
    static func round(_ x: Int64, precision: Int64) throws(StrataError) -> Int64 {
        guard precision < 0 else { return x }
        let overflow = StrataError(.invalidArgument, "overflow in round of BIGINT (\(x), \(precision))")
        // 10^19 is beyond BIGINT: every |x| below 5·10^18 rounds to 0, the rest to ±10^19.
        guard precision > -19 else {
            if x >= 5_000_000_000_000_000_000 || x <= -5_000_000_000_000_000_000 { throw overflow }
            return 0
        }
        var power: Int64 = 1
        for _ in 0..<(-precision) { power &*= 10 }
        var quotient = x / power
        let remainder = x % power
        // |remainder| < power ≤ 10^18, so doubling it cannot overflow.
        if Swift.abs(remainder) * 2 >= power { quotient += x < 0 ? -1 : 1 }
        let (result, overflowed) = quotient.multipliedReportingOverflow(by: power)
        guard !overflowed else { throw overflow }
        return result
    }

    /// `round` of a HUGEINT to 10^-precision, half away from zero, as DuckDB (an error past HUGEINT).
    static func round(_ x: Int128, precision: Int64) throws(StrataError) -> Int128 {
        guard precision < 0 else { return x }
        let overflow = StrataError(.invalidArgument, "overflow in round of HUGEINT (\(x), \(precision))")
        // 10^38 is the largest power of ten in 128 bits; past it every value rounds to 0 or overflows.
        guard precision >= -38 else { return 0 }
        var power: Int128 = 1
        for _ in 0..<(-precision) { power &*= 10 }
        var quotient = x / power
        let remainder = x % power
        // |remainder| < power ≤ 10^38 < 2^127 / 2, so doubling it cannot overflow.
        if remainder.magnitude * 2 >= power.magnitude { quotient += x < 0 ? -1 : 1 }
        let (result, overflowed) = quotient.multipliedReportingOverflow(by: power)
        guard !overflowed else { throw overflow }
        return result
    }

    /// The precision argument of `round`: DuckDB's is an INTEGER, so one beyond 32 bits is an error.
    package static func roundPrecision(_ value: Value) throws(StrataError) -> Int64 {
        guard case .int64(let p) = value else { return 0 }
        guard Int32(exactly: p) != nil else {
            throw StrataError(.invalidArgument, "round() precision \(p) is out of range for INTEGER")
        }
        return p
    }
}
