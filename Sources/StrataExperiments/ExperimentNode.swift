import StrataCore
import StrataPlanner
import StrataSQL
import StrataStats
import StrataStorage

/// The plan node of `experiment_analysis(…)` in FROM: runs the analysis when the plan runs (not when
/// it is explained) and turns the report into rows, one per metric, variant (and breakdown value).
struct ExperimentNode: TableFunctionRows {
    var snapshot: TableSnapshot
    var analysis: ExperimentAnalysis

    /// The output columns: `metric`, with a breakdown `breakdown`, `variant`, `units`, the sufficient
    /// statistics, `mean`, the comparison with the baseline, `verdict`, `error`, `srm_p_value` and
    /// `excluded_units`.
    var columns: [SQLScope.Column] {
        var columns = [SQLScope.Column(name: "metric", type: .varchar)]
        if analysis.breakdown != nil { columns.append(SQLScope.Column(name: "breakdown", type: .varchar)) }
        columns.append(SQLScope.Column(name: "variant", type: .varchar))
        columns.append(SQLScope.Column(name: "units", type: .bigint))
        for name in Self.doubleColumns { columns.append(SQLScope.Column(name: name, type: .double)) }
        columns.append(SQLScope.Column(name: "verdict", type: .varchar))
        columns.append(SQLScope.Column(name: "error", type: .varchar))
        columns.append(SQLScope.Column(name: "srm_p_value", type: .double))
        columns.append(SQLScope.Column(name: "excluded_units", type: .bigint))
        return columns
    }

    static let doubleColumns = [
        "sum", "sum_squares", "denominator_sum", "denominator_sum_squares", "sum_products", "covariate_sum",
        "covariate_sum_squares", "covariate_sum_products", "mean", "lift", "ci_low", "ci_high", "p_value",
        "adjusted_p_value", "chance_to_win",
    ]

    var headline: String {
        "ExperimentAnalysis \(analysis.experiment) on \(snapshot.spec.name) (exposure pass, one pass per metric)"
    }

    var details: [String] {
        var lines = [
            "metrics: " + analysis.metrics.map { "\($0.name) (\($0.kindName))" }.joined(separator: ", "),
            "baseline: \(analysis.baseline); units: \(analysis.exposure.unitColumn); "
                + "variant: \(analysis.exposure.variantColumn)",
        ]
        if let breakdown = analysis.breakdown { lines.append("breakdown: \(breakdown)") }
        lines.append(snapshot.segmentLine(intervals: analysis.timeRange.map { [$0] } ?? []))
        return lines
    }

    /// Runs the analysis.
    func run(context: QueryContext) throws(StrataError) -> [[Value]] {
        Self.rows(of: try snapshot.analyze(analysis, context: context))
    }

    /// The report as rows in ``columns`` order: the overall section, or with a breakdown every section
    /// (its value in `breakdown`, NULL for units whose value is NULL).
    static func rows(of report: ExperimentReport) -> [[Value]] {
        var rows: [[Value]] = []
        let sections = report.breakdownDimension == nil ? [report.overall] : report.breakdown
        for section in sections {
            for metric in section.metrics {
                for statistics in metric.variants {
                    var row: [Value] = [.string(metric.name)]
                    if report.breakdownDimension != nil { row.append(section.label.map { .string($0) } ?? .null) }
                    row.append(.string(statistics.variant))
                    row.append(.int64(Int64(statistics.units)))
                    let comparison = metric.comparison(statistics.variant)
                    let interval = comparison?.interval
                    let numbers: [Double?] = [
                        statistics.sum, statistics.sumSquares, statistics.ratio?.denominatorSum,
                        statistics.ratio?.denominatorSumSquares, statistics.ratio?.sumProducts,
                        statistics.covariate?.sum, statistics.covariate?.sumSquares,
                        statistics.covariate?.sumProducts, statistics.mean, interval?.lift, interval?.ciLow,
                        interval?.ciHigh, comparison?.pValue, comparison?.adjustedPValue,
                        comparison?.bayesian?.chanceToWin,
                    ]
                    row += numbers.map(Self.number)
                    row.append(.string(comparison?.verdict.rawValue ?? "baseline"))
                    row.append(comparison?.error.map { .string($0.message) } ?? .null)
                    row.append(Self.number(section.srmPValue))
                    row.append(.int64(Int64(report.excludedUnits)))
                    rows.append(row)
                }
            }
        }
        return rows
    }

    /// A finite number, or NULL.
    private static func number(_ x: Double?) -> Value {
        guard let x, x.isFinite else { return .null }
        return .double(x)
    }
}
