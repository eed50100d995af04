public import StrataCore
public import StrataPlanner
public import StrataStats

/// What to analyse in one experiment: who the units are, which variant each saw, and the metrics to
/// compare across variants.
///
/// The defaults make results comparable between tools (DESIGN.md §6): exposures are the rows with
/// `experiment = E AND event = 'exposure'`; the unit is `user_id` and the variant `variant`; each
/// unit's first exposure fixes its variant and the start of its metric window; units seen in more than
/// one variant are excluded (and counted); a metric aggregates all of a unit's rows at or after its
/// first exposure, whatever their experiment tag, to the end of the data; units without metric rows
/// count with value 0. Every default can be changed.
///
/// ```swift
/// var analysis = ExperimentAnalysis(experiment: "exp_000")
/// analysis.metrics = [
///     ExperimentMetric("converted", .binomial(filter: .equals("event", "purchase"))),
///     ExperimentMetric("revenue", .sum(column: "revenue")),
///     ExperimentMetric("purchases", .count(filter: .equals("event", "purchase"))),
/// ]
/// let report = try db.analyzeExperiment(analysis, table: "events")
/// ```
public struct ExperimentAnalysis: Sendable, Hashable {
    /// The experiment id, matched against ``ExposureDefinition/experimentColumn``.
    public var experiment: String
    /// How exposures, units and variants are found.
    public var exposure: ExposureDefinition
    /// The variant every other variant is compared with.
    public var baseline: String
    /// The metrics, in report order.
    public var metrics: [ExperimentMetric]
    /// The default metric window, for metrics that do not set their own.
    public var window: MetricWindow
    /// Only rows with a timestamp in this range are read (exposures and metric rows alike), for
    /// example to look at the experiment as of a past date. `nil`: all rows.
    public var timeRange: Range<Int64>?
    /// A string dimension to break results down by; a unit takes its value at its first exposure.
    public var breakdown: String?
    /// Alpha, relative or absolute lifts, sequential tuning, Bayesian prior.
    public var configuration: TestConfiguration
    /// Whether the frequentist verdicts use always-valid (sequential) intervals and p-values.
    public var sequential: Bool
    /// A correction of the p-values over metrics × variants (within each breakdown section).
    public var correction: MultipleComparisonCorrection
    /// Expected traffic weights by variant for the sample-ratio-mismatch check; `nil`: equal weights.
    public var weights: [String: Double]?

    /// Creates an analysis with the defaults of DESIGN.md §6.
    ///
    /// - Parameters:
    ///   - experiment: The experiment id.
    ///   - metrics: The metrics to compare.
    ///   - baseline: The baseline variant, default `control`.
    public init(experiment: String, metrics: [ExperimentMetric] = [], baseline: String = "control") {
        self.experiment = experiment
        self.exposure = ExposureDefinition()
        self.baseline = baseline
        self.metrics = metrics
        self.window = MetricWindow()
        self.timeRange = nil
        self.breakdown = nil
        self.configuration = TestConfiguration()
        self.sequential = false
        self.correction = .none
        self.weights = nil
    }
}

/// Which rows are exposures and which columns name the unit and the variant.
public struct ExposureDefinition: Sendable, Hashable {
    /// The column holding the experiment id (default `experiment`).
    public var experimentColumn: String
    /// The condition, besides the experiment id, that makes a row an exposure (default `event = 'exposure'`).
    public var filter: Filter?
    /// The randomization unit (default `user_id`); must be a string column.
    public var unitColumn: String
    /// The variant (default `variant`); must be a string column.
    public var variantColumn: String

    /// Creates the default definition, with any part replaced.
    public init(
        experimentColumn: String = "experiment", filter: Filter? = .equals("event", "exposure"),
        unitColumn: String = "user_id", variantColumn: String = "variant"
    ) {
        self.experimentColumn = experimentColumn
        self.filter = filter
        self.unitColumn = unitColumn
        self.variantColumn = variantColumn
    }
}

/// A window relative to each unit's own first exposure: rows at `exposure + delay` or later and
/// before `exposure + delay + duration` (or to the end of the data when `duration` is `nil`).
public struct MetricWindow: Sendable, Hashable {
    /// Milliseconds after the exposure where the window opens (may be negative).
    public var delay: Int64
    /// The window's length in milliseconds; `nil`: to the end of the data.
    public var duration: Int64?

    /// A window; the default is every row at or after the exposure.
    public init(delay: Int64 = 0, duration: Int64? = nil) {
        self.delay = delay
        self.duration = duration
    }

    /// The offsets from the exposure the window covers, `[lower, upper)`.
    var offsets: (lower: Int64, upper: Int64) {
        let upper = duration.map { d in delay.addingReportingOverflow(d).overflow ? Int64.max : delay + d }
        return (delay, upper ?? Int64.max)
    }
}

/// How p-values are adjusted for testing several metrics and variants at once.
public enum MultipleComparisonCorrection: String, Sendable, Hashable {
    /// No adjustment.
    case none
    /// Holm–Bonferroni (family-wise error rate).
    case holm
    /// Benjamini–Hochberg (false discovery rate).
    case benjaminiHochberg = "bh"
}
