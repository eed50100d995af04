import StrataCore
public import StrataPlanner

/// One metric of an experiment analysis: how a unit's rows in its window become one value per unit
/// (or, for quantiles, a set of event values), then optional capping and a CUPED covariate.
public struct ExperimentMetric: Sendable, Hashable {
    /// The per-unit aggregate.
    public enum Kind: Sendable, Hashable {
        /// The number of the unit's matching rows.
        case count(filter: Filter?)
        /// The sum of a numeric column over the unit's matching rows (NULLs ignored).
        case sum(column: String, filter: Filter?)
        /// 1 if the unit has at least one matching row, else 0 ("did the unit do X").
        case binomial(filter: Filter?)
        /// Σ numerator / Σ denominator over units, each a per-unit count or sum (delta method).
        case ratio(numerator: Aggregate, denominator: Aggregate)
        /// The `level` quantile of a column over all matching rows of the units of a variant
        /// (an event-level quantile, as gbstats' clustered quantile metric).
        case quantile(column: String, level: Double, filter: Filter?)
    }

    /// A per-unit count or sum, the parts of a ratio metric.
    public enum Aggregate: Sendable, Hashable {
        case count(filter: Filter?)
        case sum(column: String, filter: Filter?)

        var column: String? {
            if case .sum(let column, _) = self { return column }
            return nil
        }

        var filter: Filter? {
            switch self {
            case .count(let filter), .sum(_, let filter): filter
            }
        }
    }

    /// Capping of per-unit values, against outliers.
    public enum Capping: Sendable, Hashable {
        /// Values above the bound become the bound.
        case absolute(Double)
        /// Values above this percentile (in (0, 1)) of the unit values, pooled over all variants,
        /// become that percentile (linear interpolation between order statistics, as DuckDB's `quantile_cont`).
        case percentile(Double)
    }

    /// The name in the report.
    public var name: String
    public var kind: Kind
    /// The window of this metric; `nil`: the analysis' window.
    public var window: MetricWindow?
    /// Capping of the per-unit values (count, sum and both parts of a ratio; not binomial or quantile).
    public var capping: Capping?
    /// A CUPED covariate: the same per-unit metric over this many milliseconds before each unit's
    /// first exposure (count, sum and binomial metrics).
    public var cupedLookback: Int64?
    /// Whether a decrease is the desired outcome (latency, errors): flips chance to win and the verdict.
    public var lowerIsBetter: Bool

    /// Creates a metric.
    public init(
        _ name: String, _ kind: Kind, window: MetricWindow? = nil, capping: Capping? = nil,
        cupedLookback: Int64? = nil, lowerIsBetter: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.window = window
        self.capping = capping
        self.cupedLookback = cupedLookback
        self.lowerIsBetter = lowerIsBetter
    }

    /// The per-row aggregates the scan computes for this metric: one, or two for a ratio.
    var aggregates: [Aggregate] {
        switch kind {
        case .count(let filter), .binomial(let filter): [.count(filter: filter)]
        case .sum(let column, let filter): [.sum(column: column, filter: filter)]
        case .ratio(let numerator, let denominator): [numerator, denominator]
        case .quantile(let column, _, let filter): [.sum(column: column, filter: filter)]
        }
    }

    /// A short name of the kind: count, sum, binomial, ratio, quantile.
    public var kindName: String {
        switch kind {
        case .count: "count"
        case .sum: "sum"
        case .binomial: "binomial"
        case .ratio: "ratio"
        case .quantile: "quantile"
        }
    }
}
