/// An error from a statistical test that cannot produce a meaningful answer for its input.
///
/// Every public test in StrataStats reports degenerate input (a zero baseline mean, no variance, too few units,
/// non-finite sums) through this error instead of returning NaN or trapping. The ``code`` tells the caller what
/// went wrong; the ``message`` is meant for a person.
public struct StatsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, extensible without breaking callers that switch on known codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case zeroBaselineMean
            case zeroVariance
            case insufficientSample
            case emptyVariant
            case invalidInput
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The baseline mean is zero, so a relative lift is undefined
        /// (gbstats `ZERO_NEGATIVE_BASELINE_VARIATION`).
        public static let zeroBaselineMean = Code(.zeroBaselineMean)
        /// A variant's variance is zero or negative (gbstats `ZERO_NEGATIVE_VARIANCE`).
        public static let zeroVariance = Code(.zeroVariance)
        /// A variant has fewer than two units, so its sample variance is undefined.
        public static let insufficientSample = Code(.insufficientSample)
        /// A variant has no units at all (gbstats `NO_UNITS_IN_VARIATION`).
        public static let emptyVariant = Code(.emptyVariant)
        /// An argument is out of range or not finite (alpha outside (0, 1), NaN sums, mismatched lengths...).
        public static let invalidInput = Code(.invalidInput)

        /// The code's name, for example `zeroVariance`.
        public var description: String {
            switch value {
            case .zeroBaselineMean: "zeroBaselineMean"
            case .zeroVariance: "zeroVariance"
            case .insufficientSample: "insufficientSample"
            case .emptyVariant: "emptyVariant"
            case .invalidInput: "invalidInput"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// A sentence a person can act on.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - message: A sentence a person can act on.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message.
    public var description: String {
        "StatsError.\(code): \(message)"
    }
}
