public import StrataStats

/// The result of an ``ExperimentAnalysis``: per variant the units and sufficient statistics of every
/// metric, and per non-baseline variant the StrataStats comparisons with the baseline.
public struct ExperimentReport: Sendable, Hashable {
    /// The experiment id.
    public var experiment: String
    /// The baseline variant.
    public var baseline: String
    /// The variants seen among the included units, baseline first, then by name.
    public var variants: [String]
    /// Units whose exposures name more than one variant: excluded from every statistic.
    public var excludedUnits: Int
    /// Exposure rows read (including those of excluded units).
    public var exposureRows: Int
    /// The test settings used.
    public var configuration: TestConfiguration
    /// Whether the verdicts use sequential (always-valid) inference.
    public var sequential: Bool
    /// The p-value correction applied within each section.
    public var correction: MultipleComparisonCorrection
    /// All included units.
    public var overall: Section
    /// The breakdown dimension, if any.
    public var breakdownDimension: String?
    /// One section per value of the breakdown dimension (NULL shown as `nil` label), sorted.
    public var breakdown: [Section]

    /// The overall result of the metric named `name`.
    public func metric(named name: String) -> MetricResult? {
        overall.metrics.first { $0.name == name }
    }

    /// The units and metrics of one group of units (all of them, or one breakdown value).
    public struct Section: Sendable, Hashable {
        /// The breakdown value; `nil` for the overall section (and for NULL breakdown values, with
        /// ``isNullValue`` set).
        public var label: String?
        /// Whether this breakdown section holds the units whose breakdown value is NULL.
        public var isNullValue: Bool
        /// Units per variant, in ``ExperimentReport/variants`` order.
        public var units: [Int]
        /// The sample-ratio-mismatch chi-square p-value of ``units`` against the expected weights
        /// (`nil` when it cannot be computed, e.g. a single variant).
        public var srmPValue: Double?
        public var metrics: [MetricResult]
    }
}

/// One metric's statistics in one section.
public struct MetricResult: Sendable, Hashable {
    public var name: String
    /// count, sum, binomial, ratio or quantile.
    public var kind: String
    /// The cap applied to per-unit values (resolved from a percentile when capping by percentile);
    /// for ratios, the numerator's.
    public var cap: Double?
    /// The cap applied to a ratio's per-unit denominators.
    public var denominatorCap: Double?
    /// Per variant, in ``ExperimentReport/variants`` order.
    public var variants: [VariantStatistics]
    /// Per non-baseline variant, in ``ExperimentReport/variants`` order.
    public var comparisons: [VariantComparison]

    /// The statistics of the variant named `name`.
    public func variant(_ name: String) -> VariantStatistics? { variants.first { $0.variant == name } }

    /// The comparison of the variant named `name` with the baseline.
    public func comparison(_ name: String) -> VariantComparison? { comparisons.first { $0.variant == name } }
}

/// A variant's sufficient statistics for one metric.
public struct VariantStatistics: Sendable, Hashable {
    /// Extra sums of a ratio metric: Σz, Σz², Σyz.
    public struct RatioSums: Sendable, Hashable {
        public var denominatorSum: Double
        public var denominatorSumSquares: Double
        public var sumProducts: Double
    }

    /// Extra sums of a CUPED covariate x: Σx, Σx², Σxy.
    public struct CovariateSums: Sendable, Hashable {
        public var sum: Double
        public var sumSquares: Double
        public var sumProducts: Double
    }

    public var variant: String
    /// Included units of the variant.
    public var units: Int
    /// Σy over units (for quantile metrics: Σ over units of the events at or below the quantile).
    public var sum: Double
    /// Σy² over units.
    public var sumSquares: Double
    /// The variant's metric value: Σy / n, Σy / Σz for ratios, the quantile for quantiles.
    public var mean: Double
    public var ratio: RatioSums?
    public var covariate: CovariateSums?
    /// The quantile inputs of gbstats (events, quantile, its 95% bounds and the clustered sums).
    public var quantile: QuantileStatistics?
}

/// A non-baseline variant against the baseline, for one metric.
public struct VariantComparison: Sendable, Hashable {
    /// The outcome a dashboard shows.
    public enum Verdict: String, Sendable, Hashable {
        /// Significant, in the desired direction.
        case better
        /// Significant, in the undesired direction.
        case worse
        case notSignificant = "not significant"
        /// The tests could not be run (see ``VariantComparison/error``).
        case undefined
    }

    public var variant: String
    /// Welch's t-test (delta-method lift, Student t interval and p-value).
    public var frequentist: FrequentistResult?
    /// The always-valid interval and p-value, when the analysis is sequential.
    public var sequential: FrequentistResult?
    /// Chance to win, risks and the credible interval.
    public var bayesian: BayesianResult?
    /// Why the tests could not be run, if they could not.
    public var error: StatsError?
    /// The p-value behind the verdict (sequential when enabled, else Welch), before correction.
    public var pValue: Double?
    /// ``pValue`` after the analysis' multiple-comparison correction (equal to it without one).
    public var adjustedPValue: Double?
    public var verdict: Verdict

    /// The interval behind the verdict (sequential when enabled, else Welch).
    public var interval: FrequentistResult? { sequential ?? frequentist }
}
