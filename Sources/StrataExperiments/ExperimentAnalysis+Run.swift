public import StrataCore
import StrataPlanner
import StrataStats
public import StrataStorage

extension TableSnapshot {
    /// Analyses an experiment over this snapshot.
    ///
    /// One pass finds the exposures (through the bitmap indexes of the experiment and exposure
    /// columns where the segments have them) and each unit's first exposure and variant; a second
    /// pass aggregates every metric per unit on dictionary codes into dense per-unit arrays; then
    /// per-variant sufficient statistics go through StrataStats.
    ///
    /// - Parameter analysis: What to analyse.
    /// - Returns: The per-variant statistics and comparisons with the baseline.
    /// - Throws: `binding` for unknown columns, `type` for a non-string unit, variant, experiment or
    ///   breakdown column or a non-numeric summed column, `invalidArgument` for bad metric settings,
    ///   `unsupported` for rolled-up tables, tables without time and CUPED on ratio or quantile metrics,
    ///   `notFound` when no unit saw the baseline variant, `corruption` if a segment fails its checksums.
    /// - Complexity: O(rows of the experiment's exposures + rows matching the metric filters), plus a
    ///   merge of each touched segment's unit dictionary with the sorted units.
    public func analyze(_ analysis: ExperimentAnalysis) throws(StrataError) -> ExperimentReport {
        try analyze(analysis, context: QueryContext())
    }

    /// Analyses an experiment under a timeout and memory limit.
    /// - Throws: as ``analyze(_:)``, and `limit` past `options.timeout` or `options.memoryLimit`.
    public func analyze(_ analysis: ExperimentAnalysis, options: QueryOptions) throws(StrataError)
        -> ExperimentReport
    {
        try analyze(analysis, context: QueryContext(options: options))
    }

    /// Analyses an experiment under `context` (cancel it from another thread to stop the analysis).
    public func analyze(_ analysis: ExperimentAnalysis, context: QueryContext) throws(StrataError)
        -> ExperimentReport
    {
        let held = context.reservedBytes
        defer { context.release(bytes: context.reservedBytes - held) }
        return try ExperimentRunner(analysis: analysis, snapshot: self, context: context).run()
    }
}

/// Validates and binds an analysis, runs the scan, and turns the sums into a report.
struct ExperimentRunner {
    let analysis: ExperimentAnalysis
    let snapshot: TableSnapshot
    let context: QueryContext

    func run() throws(StrataError) -> ExperimentReport {
        let spec = snapshot.spec
        guard spec.rollup == nil else {
            throw StrataError(
                .unsupported, "experiment analysis needs raw rows; table '\(spec.name)' is rolled up")
        }
        // Exposures come first in time and metric windows start there: events need their time.
        guard spec.hasTime else {
            throw StrataError(
                .unsupported, "experiment analysis reads events over time; table '\(spec.name)' has no time column")
        }
        try validate()
        let exposure = analysis.exposure
        var exposureParts: [Filter] = [.equals(exposure.experimentColumn, .string(analysis.experiment))]
        if let f = exposure.filter { exposureParts.append(f) }
        let exposureFilter = try Filter.and(exposureParts).bound(in: spec)
        let unit = try stringColumn(exposure.unitColumn, role: "unit")
        let variant = try stringColumn(exposure.variantColumn, role: "variant")
        _ = try stringColumn(exposure.experimentColumn, role: "experiment")
        let breakdown = try analysis.breakdown.map { name throws(StrataError) in
            try stringColumn(name, role: "breakdown")
        }

        var slots: [ExperimentSlot] = []
        var slotOfMetric: [[Int]] = []
        for metric in analysis.metrics {
            var indexes: [Int] = []
            for aggregate in metric.aggregates {
                let filter = try aggregate.filter.map { f throws(StrataError) in try f.bound(in: spec) }
                var valueColumn: Int?
                if let name = aggregate.column {
                    guard let p = position(of: name) else { throw snapshot.spec.unknownColumn(name) }
                    let c = spec.storedColumns[p]
                    guard c.type.isNumeric, c.type != .hugeint else {
                        throw StrataError(
                            .type, "metric '\(metric.name)' needs a numeric column; '\(c.name)' is \(c.type)")
                    }
                    valueColumn = p
                }
                let keepsEvents: Bool = if case .quantile = metric.kind { true } else { false }
                indexes.append(slots.count)
                slots.append(
                    ExperimentSlot(
                        filter: filter, valueColumn: valueColumn, window: (metric.window ?? analysis.window).offsets,
                        lookback: metric.cupedLookback, keepsEvents: keepsEvents))
            }
            slotOfMetric.append(indexes)
        }

        let scan = ExperimentScan(analysis: analysis, snapshot: snapshot, context: context)
        let units = try scan.exposures(filter: exposureFilter, unit: unit, variant: variant, breakdown: breakdown)
        let totals = try scan.aggregate(slots, units: units, unitColumn: unit)
        return ExperimentStatisticsBuilder(analysis: analysis, units: units)
            .report(
                totals: totals, slotOfMetric: slotOfMetric,
                breakdownDimension: breakdown.map { spec.storedColumns[$0].name })
    }

    /// The stored-column position of the column named `name` (in any case).
    private func position(of name: String) -> Int? {
        let key = name.lowercased()
        return snapshot.spec.storedColumns.firstIndex { $0.name.lowercased() == key }
    }

    /// The stored-column position of a string column the analysis groups by.
    private func stringColumn(_ name: String, role: String) throws(StrataError) -> Int {
        guard let p = position(of: name) else {
            let unknown = snapshot.spec.unknownColumn(name)
            throw StrataError(.binding, unknown.message + " (the \(role) column)")
        }
        let c = snapshot.spec.storedColumns[p]
        guard c.type == .string else {
            throw StrataError(.type, "the \(role) column '\(c.name)' must be a string column, not \(c.type)")
        }
        return p
    }

    private func validate() throws(StrataError) {
        var names = Set<String>()
        for metric in analysis.metrics {
            guard names.insert(metric.name).inserted else {
                throw StrataError(.invalidArgument, "two metrics are named '\(metric.name)'")
            }
            let window = metric.window ?? analysis.window
            if let d = window.duration, d <= 0 {
                throw StrataError(.invalidArgument, "metric '\(metric.name)': the window must have a positive length")
            }
            switch metric.capping {
            case .percentile(let p)? where !(p > 0 && p < 1):
                throw StrataError(
                    .invalidArgument, "metric '\(metric.name)': a percentile cap must lie in (0, 1), got \(p)")
            case .absolute(let c)? where !c.isFinite:
                throw StrataError(.invalidArgument, "metric '\(metric.name)': the cap must be finite")
            default: break
            }
            if let lookback = metric.cupedLookback, lookback <= 0 {
                throw StrataError(
                    .invalidArgument, "metric '\(metric.name)': the CUPED pre-exposure window must be positive")
            }
            switch metric.kind {
            case .ratio:
                if metric.cupedLookback != nil {
                    throw StrataError(.unsupported, "metric '\(metric.name)': CUPED is not supported for ratio metrics")
                }
            case .quantile(_, let level, _):
                guard level > 0 && level < 1 else {
                    throw StrataError(
                        .invalidArgument, "metric '\(metric.name)': the quantile level must lie in (0, 1), got \(level)"
                    )
                }
                if metric.cupedLookback != nil || metric.capping != nil {
                    throw StrataError(
                        .unsupported, "metric '\(metric.name)': quantile metrics take neither CUPED nor capping")
                }
            case .binomial:
                if metric.capping != nil {
                    throw StrataError(.invalidArgument, "metric '\(metric.name)': a binomial metric cannot be capped")
                }
            default: break
            }
        }
    }
}
