#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The standard normal distribution: density, distribution function, survival function and quantile.
///
/// The distribution functions use the C library's `erfc`, so both tails are accurate to a few ulps. The quantile
/// starts from Acklam's rational approximation (relative error 1.15e-9) and takes Halley steps against the lower
/// tail, which brings it to full double precision.
public enum NormalDistribution {
    private static let sqrtTwo = 1.414_213_562_373_095_048_801_688_724_209_7
    private static let sqrtTwoPi = 2.506_628_274_631_000_502_415_765_284_811

    /// The density φ(x).
    ///
    /// - Parameter x: The point.
    /// - Returns: exp(−x²/2) / √(2π).
    public static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x) / sqrtTwoPi
    }

    /// The distribution function Φ(x) = P(Z ≤ x).
    ///
    /// - Parameter x: The point.
    /// - Returns: The lower-tail probability.
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / sqrtTwo)
    }

    /// The survival function 1 − Φ(x) = P(Z > x), accurate in the upper tail.
    ///
    /// - Parameter x: The point.
    /// - Returns: The upper-tail probability.
    public static func survival(_ x: Double) -> Double {
        0.5 * erfc(x / sqrtTwo)
    }

    /// The quantile Φ⁻¹(p).
    ///
    /// - Parameter p: A probability in [0, 1].
    /// - Returns: The point x with Φ(x) = p; −∞ for 0, +∞ for 1, NaN outside [0, 1].
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p > 0.5 {
            // 1 − p is exact here (Sterbenz), and refining against the smaller tail keeps full precision.
            return -lowerQuantile(1 - p)
        }
        return lowerQuantile(p)
    }

    /// Quantile for p in (0, 0.5].
    private static func lowerQuantile(_ p: Double) -> Double {
        var x = acklam(p)
        for _ in 0..<2 {
            let error = cdf(x) - p
            let u = error * sqrtTwoPi * exp(0.5 * x * x)
            let next = x - u / (1 + 0.5 * x * u)
            if !next.isFinite { break }
            x = next
        }
        return x
    }

    private static func acklam(_ p: Double) -> Double {
        let a = [
            -3.969_683_028_665_376e+01, 2.209_460_984_245_205e+02, -2.759_285_104_469_687e+02,
            1.383_577_518_672_690e+02, -3.066_479_806_614_716e+01, 2.506_628_277_459_239e+00,
        ]
        let b = [
            -5.447_609_879_822_406e+01, 1.615_858_368_580_409e+02, -1.556_989_798_598_866e+02,
            6.680_131_188_771_972e+01, -1.328_068_155_288_572e+01,
        ]
        let c = [
            -7.784_894_002_430_293e-03, -3.223_964_580_411_365e-01, -2.400_758_277_161_838e+00,
            -2.549_732_539_343_734e+00, 4.374_664_141_464_968e+00, 2.938_163_982_698_783e+00,
        ]
        let d = [
            7.784_695_709_041_462e-03, 3.224_671_290_700_398e-01, 2.445_134_137_142_996e+00,
            3.754_408_661_907_416e+00,
        ]
        if p < 0.024_25 {
            let q = (-2 * log(p)).squareRoot()
            let numerator = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
            let denominator = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
            return numerator / denominator
        }
        let q = p - 0.5
        let r = q * q
        let numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let denominator = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return numerator / denominator
    }
}
