/// The chi-square distribution with k degrees of freedom, through the regularized incomplete gamma function.
public struct ChiSquareDistribution: Sendable, Hashable {
    /// The degrees of freedom k > 0.
    public let degreesOfFreedom: Double

    /// Creates the distribution.
    ///
    /// - Parameter degreesOfFreedom: k, greater than zero.
    public init(degreesOfFreedom: Double) {
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// The upper tail P(X > x) = Q(k/2, x/2).
    ///
    /// - Parameter x: The point.
    /// - Returns: The survival probability (1 for x ≤ 0).
    public func survival(_ x: Double) -> Double {
        SpecialFunctions.upperIncompleteGamma(degreesOfFreedom / 2, x / 2)
    }

    /// The distribution function P(X ≤ x).
    ///
    /// - Parameter x: The point.
    /// - Returns: The lower-tail probability.
    public func cdf(_ x: Double) -> Double {
        1 - survival(x)
    }
}
