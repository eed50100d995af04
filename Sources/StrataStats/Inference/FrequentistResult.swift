/// The outcome of a frequentist comparison of a treatment with the baseline.
public struct FrequentistResult: Sendable, Hashable {
    /// The estimated lift: relative ((t − b) / b) or absolute (t − b), per the configuration.
    public var lift: Double
    /// The delta-method standard error of the lift.
    public var standardError: Double
    /// The lower end of the (1 − alpha) confidence interval.
    public var ciLow: Double
    /// The upper end of the (1 − alpha) confidence interval.
    public var ciHigh: Double
    /// The two-sided p-value against a lift of zero.
    public var pValue: Double
    /// The Welch–Satterthwaite degrees of freedom.
    public var degreesOfFreedom: Double

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - lift: The estimated lift.
    ///   - standardError: Its standard error.
    ///   - ciLow: The lower confidence bound.
    ///   - ciHigh: The upper confidence bound.
    ///   - pValue: The two-sided p-value.
    ///   - degreesOfFreedom: The degrees of freedom.
    public init(
        lift: Double,
        standardError: Double,
        ciLow: Double,
        ciHigh: Double,
        pValue: Double,
        degreesOfFreedom: Double
    ) {
        self.lift = lift
        self.standardError = standardError
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.pValue = pValue
        self.degreesOfFreedom = degreesOfFreedom
    }
}
