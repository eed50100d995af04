#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Student's t distribution with real (not necessarily integer) degrees of freedom.
///
/// The tails come from the regularized incomplete beta function,
/// P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, so small p-values keep their relative precision: a continued
/// fraction below 100 degrees of freedom, the BGRAT expansion above (where the fraction loses accuracy). The quantile
/// starts from the exact formula (ν = 1, 2) or a Cornish–Fisher expansion and is polished by Newton's method
/// on the upper tail, which is convex for t > 0.
public struct StudentTDistribution: Sendable, Hashable {
    /// The degrees of freedom ν > 0.
    public let degreesOfFreedom: Double

    /// Creates the distribution.
    ///
    /// - Parameter degreesOfFreedom: ν, finite and greater than zero (Welch–Satterthwaite values are real).
    public init(degreesOfFreedom: Double) {
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// The density f(t).
    ///
    /// - Parameter t: The point.
    /// - Returns: The density of Student's t with ν degrees of freedom at `t`.
    public func density(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        let logDensity =
            -0.5 * log(nu) - SpecialFunctions.logBeta(0.5 * nu, 0.5)
            - 0.5 * (nu + 1) * log1p(t * t / nu)
        return exp(logDensity)
    }

    /// The upper tail P(T > t).
    ///
    /// - Parameter t: The point.
    /// - Returns: The survival probability, accurate when small.
    public func survival(_ t: Double) -> Double {
        let tail = twoSidedTail(abs(t)) / 2
        return t >= 0 ? tail : 1 - tail
    }

    /// The distribution function P(T ≤ t).
    ///
    /// - Parameter t: The point.
    /// - Returns: The lower-tail probability, accurate when small.
    public func cdf(_ t: Double) -> Double {
        survival(-t)
    }

    /// The two-sided tail P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, ½).
    ///
    /// - Parameter t: The point (its sign is ignored).
    /// - Returns: The two-sided p-value of a t statistic.
    public func twoSidedTail(_ t: Double) -> Double {
        let t2 = t * t
        let nu = degreesOfFreedom
        if !t2.isFinite { return 0 }
        if t2 == 0 { return 1 }
        let x = nu / (nu + t2)
        let y = t2 / (nu + t2)
        let logX = -log1p(t2 / nu)
        if nu >= 100 {
            // The expansion can land an ulp above 1 for tiny t.
            return min(1, SpecialFunctions.incompleteBetaLargeA(0.5 * nu, 0.5, logX: logX))
        }
        return SpecialFunctions.incompleteBeta(0.5 * nu, 0.5, x: x, y: y, logX: logX).value
    }

    /// The quantile: the t with P(T ≤ t) = p.
    ///
    /// - Parameter p: A probability in [0, 1].
    /// - Returns: The quantile; ±∞ at the ends, NaN outside [0, 1].
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1, degreesOfFreedom > 0 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        return p > 0.5 ? upperQuantile(1 - p) : -upperQuantile(p)
    }

    /// The t > 0 with P(T > t) = q, for q in (0, ½).
    private func upperQuantile(_ q: Double) -> Double {
        var t = initialUpperQuantile(q)
        if !(t > 0) || !t.isFinite { t = 1 }
        for _ in 0..<300 {
            let g = twoSidedTail(t) / 2 - q
            let f = density(t)
            guard f > 0 else { break }
            var next = t + g / f
            if !(next > 0) || !next.isFinite { next = t / 2 }
            let step = abs(next - t)
            t = next
            if step <= 4e-16 * t { break }
        }
        return t
    }

    private func initialUpperQuantile(_ q: Double) -> Double {
        let nu = degreesOfFreedom
        if nu == 1 {
            return 1 / tan(Double.pi * q)
        }
        if nu == 2 {
            return (1 - 2 * q) / (2 * q * (1 - q)).squareRoot()
        }
        let z = -NormalDistribution.quantile(q)
        let z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
        return z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu
    }
}
