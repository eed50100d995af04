/// The outcome of a Bayesian comparison of a treatment with the baseline.
public struct BayesianResult: Sendable, Hashable {
    /// The expected loss of each decision, in units of the lift.
    public struct Risk: Sendable, Hashable {
        /// The expected loss of keeping the control: E[max(lift, 0)] (flipped for lower-is-better metrics).
        public var control: Double
        /// The expected loss of shipping the treatment: E[max(−lift, 0)] (flipped for lower-is-better metrics).
        public var treatment: Double

        /// Creates a pair of risks.
        ///
        /// - Parameters:
        ///   - control: The risk of choosing the control.
        ///   - treatment: The risk of choosing the treatment.
        public init(control: Double, treatment: Double) {
            self.control = control
            self.treatment = treatment
        }
    }

    /// The posterior mean of the lift.
    public var expected: Double
    /// The posterior standard deviation of the lift.
    public var standardDeviation: Double
    /// The posterior probability that the treatment is better than the control.
    public var chanceToWin: Double
    /// The expected loss of each decision.
    public var risk: Risk
    /// The lower end of the equal-tailed (1 − alpha) credible interval.
    public var ciLow: Double
    /// The upper end of the equal-tailed (1 − alpha) credible interval.
    public var ciHigh: Double

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - expected: The posterior mean.
    ///   - standardDeviation: The posterior standard deviation.
    ///   - chanceToWin: The probability that the treatment wins.
    ///   - risk: The expected losses.
    ///   - ciLow: The lower credible bound.
    ///   - ciHigh: The upper credible bound.
    public init(
        expected: Double,
        standardDeviation: Double,
        chanceToWin: Double,
        risk: Risk,
        ciLow: Double,
        ciHigh: Double
    ) {
        self.expected = expected
        self.standardDeviation = standardDeviation
        self.chanceToWin = chanceToWin
        self.risk = risk
        self.ciLow = ciLow
        self.ciHigh = ciHigh
    }
}
