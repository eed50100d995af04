import Foundation
package import StrataCore

/// DuckDB's numeric functions of doubles beyond `sqrt`, `ln`, `exp` and `power`: logarithms, `sign`, `trunc`,
/// roots and trigonometry. The binder converts the arguments to DOUBLE (except where noted); out-of-domain
/// inputs give NaN or ±infinity as in DuckDB (`log10(-1)` is NaN, `log10(0)` −infinity), never an error.
package enum MathFunction: String, Hashable, Sendable, CaseIterable {
    case log10, log2
    /// `log(b, x)`: the logarithm of `x` to base `b`.
    case logBase = "log"
    /// -1, 0 or 1 (a BIGINT; DuckDB's TINYINT).
    case sign
    /// Toward zero: DOUBLE here; the binder keeps integers as they are and truncates DECIMAL exactly.
    case trunc
    case cbrt, degrees, radians, sin, cos, tan, cot, asin, acos, atan, atan2
    case isnan, isinf, isfinite
    /// Rounded away from zero to the next even integer.
    case even

    package var resultType: SQLValueType {
        switch self {
        case .sign: .bigint
        case .isnan, .isinf, .isfinite: .boolean
        default: .double
        }
    }

    package var argumentCount: Int { self == .logBase || self == .atan2 ? 2 : 1 }

    /// The rule of a one-argument function.
    @inline(__always)
    static func unary(_ function: MathFunction, _ x: Double) -> Double {
        switch function {
        case .log10: Foundation.log10(x)
        case .log2: Foundation.log2(x)
        case .trunc: x.rounded(.towardZero)
        case .cbrt: Foundation.cbrt(x)
        case .degrees: x * 180 / Double.pi
        case .radians: x * Double.pi / 180
        case .sin: Foundation.sin(x)
        case .cos: Foundation.cos(x)
        case .tan: Foundation.tan(x)
        case .cot: 1 / Foundation.tan(x)
        case .asin: Foundation.asin(x)
        case .acos: Foundation.acos(x)
        case .atan: Foundation.atan(x)
        case .even:
            // Up (away from zero) to an integer, then to the next even one.
            x >= 0 ? 2 * (x / 2).rounded(.up) : 2 * (x / 2).rounded(.down)
        case .logBase, .atan2, .sign, .isnan, .isinf, .isfinite: .nan
        }
    }

    /// The rule of a two-argument function.
    @inline(__always)
    static func binary(_ function: MathFunction, _ x: Double, _ y: Double) -> Double {
        switch function {
        case .logBase: Foundation.log(y) / Foundation.log(x)
        case .atan2: Foundation.atan2(x, y)
        default: .nan
        }
    }
}
