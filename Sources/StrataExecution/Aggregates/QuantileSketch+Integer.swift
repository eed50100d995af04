import StrataCore

extension QuantileSketch {
    /// A sketch's quantile of integer values as the integer DuckDB's `approx_quantile` gives for a
    /// BIGINT column: rounded half to even (DuckDB casts the estimate as `CAST(x AS BIGINT)` does) and
    /// clamped to BIGINT's range (DuckDB clamps where the cast would fail).
    package static func integerValue(_ estimate: Double) -> Int64 {
        let rounded = estimate.rounded(.toNearestOrEven)
        // 2^63 is exactly representable; Int64.max is not, so compare with 2^63 itself.
        if rounded >= 9.223_372_036_854_775_808e18 { return .max }
        if rounded <= -9.223_372_036_854_775_808e18 { return .min }
        return rounded.isNaN ? 0 : Int64(rounded)
    }
}
