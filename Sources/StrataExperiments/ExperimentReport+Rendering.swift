import StrataPlanner
import StrataStats

extension ExperimentReport {
    /// The report as JSON (the format of `strata experiment --format json`).
    ///
    /// Top level: `experiment`, `baseline`, `variants`, `units` (per variant), `excluded_units`,
    /// `exposure_rows`, `srm_p_value`, `alpha`, `difference`, `sequential`, `correction`, `metrics`, and
    /// with a breakdown `breakdown: {dimension, sections: [{value, units, srm_p_value, metrics}]}`.
    /// Each metric: `name`, `kind`, `cap`, `denominator_cap`, and `variants`, one object per variant with
    /// `variant`, `units`, `sum`, `sum_squares`, `mean`, for ratios `denominator_sum`,
    /// `denominator_sum_squares`, `sum_products`, with CUPED `covariate_sum`, `covariate_sum_squares`,
    /// `covariate_sum_products`, for quantiles `events`, `quantile`, `quantile_lower`, `quantile_upper`;
    /// non-baseline variants add the comparison with the baseline: `lift`, `ci_low`, `ci_high`,
    /// `p_value`, `adjusted_p_value` (the verdict's interval and p-value: sequential when enabled),
    /// `standard_error`, `welch_ci_low`, `welch_ci_high`, `welch_p_value`, `chance_to_win`,
    /// `risk_control`, `risk_treatment`, `credible_low`, `credible_high`, `verdict`, `error`.
    /// Numbers that are not finite are written as `null`.
    public func json() -> String {
        let w = JSONWriter()
        w.object {
            w.field("experiment", experiment)
            w.field("baseline", baseline)
            w.key("variants")
            w.array { for v in variants { w.value(v) } }
            w.key("units")
            writeUnits(overall.units, w)
            w.field("excluded_units", excludedUnits)
            w.field("exposure_rows", exposureRows)
            w.field("srm_p_value", overall.srmPValue)
            w.field("alpha", configuration.alpha)
            w.field("difference", configuration.difference == .relative ? "relative" : "absolute")
            w.field("sequential", sequential)
            w.field("correction", correction.rawValue)
            w.key("metrics")
            writeMetrics(overall.metrics, w)
            if let breakdownDimension {
                w.key("breakdown")
                w.object {
                    w.field("dimension", breakdownDimension)
                    w.key("sections")
                    w.array {
                        for section in breakdown {
                            w.object {
                                w.field("value", section.label)
                                w.key("units")
                                writeUnits(section.units, w)
                                w.field("srm_p_value", section.srmPValue)
                                w.key("metrics")
                                writeMetrics(section.metrics, w)
                            }
                        }
                    }
                }
            }
        }
        return w.text + "\n"
    }

    private func writeUnits(_ units: [Int], _ w: JSONWriter) {
        w.object { for (v, n) in zip(variants, units) { w.field(v, n) } }
    }

    private func writeMetrics(_ metrics: [MetricResult], _ w: JSONWriter) {
        w.array {
            for metric in metrics {
                w.object {
                    w.field("name", metric.name)
                    w.field("kind", metric.kind)
                    w.field("cap", metric.cap)
                    w.field("denominator_cap", metric.denominatorCap)
                    w.key("variants")
                    w.array {
                        for stats in metric.variants {
                            w.object { writeVariant(stats, comparison: metric.comparison(stats.variant), w) }
                        }
                    }
                }
            }
        }
    }

    private func writeVariant(_ s: VariantStatistics, comparison: VariantComparison?, _ w: JSONWriter) {
        w.field("variant", s.variant)
        w.field("units", s.units)
        w.field("sum", s.sum)
        w.field("sum_squares", s.sumSquares)
        w.field("mean", s.mean)
        if let r = s.ratio {
            w.field("denominator_sum", r.denominatorSum)
            w.field("denominator_sum_squares", r.denominatorSumSquares)
            w.field("sum_products", r.sumProducts)
        }
        if let c = s.covariate {
            w.field("covariate_sum", c.sum)
            w.field("covariate_sum_squares", c.sumSquares)
            w.field("covariate_sum_products", c.sumProducts)
        }
        if let q = s.quantile {
            w.field("events", q.n)
            w.field("quantile", q.quantile)
            w.field("quantile_lower", q.lower)
            w.field("quantile_upper", q.upper)
        }
        guard let c = comparison else { return }
        let interval = c.interval
        w.field("lift", interval?.lift)
        w.field("ci_low", interval?.ciLow)
        w.field("ci_high", interval?.ciHigh)
        w.field("p_value", c.pValue)
        w.field("adjusted_p_value", c.adjustedPValue)
        w.field("standard_error", interval?.standardError)
        w.field("welch_ci_low", c.frequentist?.ciLow)
        w.field("welch_ci_high", c.frequentist?.ciHigh)
        w.field("welch_p_value", c.frequentist?.pValue)
        w.field("chance_to_win", c.bayesian?.chanceToWin)
        w.field("risk_control", c.bayesian?.risk.control)
        w.field("risk_treatment", c.bayesian?.risk.treatment)
        w.field("credible_low", c.bayesian?.ciLow)
        w.field("credible_high", c.bayesian?.ciHigh)
        w.field("verdict", c.verdict.rawValue)
        w.field("error", c.error?.message)
    }
}

extension ExperimentReport {
    /// The report as a readable verdict table (the format of `strata experiment --format text`).
    public func text() -> String {
        let relative = configuration.difference == .relative
        let confidence = Fixed.string((1 - configuration.alpha) * 100, digits: 0)
        var lines: [String] = []
        var header = "Experiment \(experiment): baseline \(baseline); alpha \(configuration.alpha), "
        header += relative ? "relative lift" : "absolute lift"
        header += sequential ? ", sequential (always-valid) intervals" : ", Welch t-test"
        if correction != .none { header += ", \(correction == .holm ? "Holm" : "Benjamini-Hochberg") correction" }
        lines.append(header)
        lines.append(unitLine(overall))
        lines.append("")
        lines += table(overall.metrics, relative: relative, confidence: confidence)
        if let breakdownDimension {
            for section in breakdown {
                lines.append("")
                lines.append("\(breakdownDimension) = \(section.label ?? "NULL")")
                lines.append(unitLine(section))
                lines += table(section.metrics, relative: relative, confidence: confidence)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func unitLine(_ section: Section) -> String {
        var line = "Units: " + zip(variants, section.units).map { "\($0) \($1)" }.joined(separator: ", ")
        if let p = section.srmPValue {
            line +=
                " (sample ratio p = \(Fixed.string(p, digits: 4))\(p < 0.001 ? ", MISMATCH: check assignment" : ""))"
        }
        if section.label == nil && !section.isNullValue {
            line += "; \(excludedUnits) units excluded (exposed to several variants)"
        }
        return line
    }

    private func table(_ metrics: [MetricResult], relative: Bool, confidence: String) -> [String] {
        func lift(_ x: Double?) -> String {
            guard let x else { return "" }
            return relative ? Fixed.percent(x, signed: true) : Fixed.string(x, digits: 4, signed: true)
        }
        var rows: [[String]] = [
            [
                "metric", "variant", "units", "value", "lift", "\(confidence)% CI", "p-value", "chance to win",
                "verdict",
            ]
        ]
        for metric in metrics {
            for (i, s) in metric.variants.enumerated() {
                var row = [i == 0 ? metric.name : "", s.variant, String(s.units), Fixed.string(s.mean, digits: 4)]
                if let c = metric.comparison(s.variant) {
                    let interval = c.interval
                    row.append(lift(interval?.lift))
                    row.append(interval.map { "[\(lift($0.ciLow)), \(lift($0.ciHigh))]" } ?? "")
                    row.append(c.adjustedPValue.map { Fixed.string($0, digits: 4) } ?? "")
                    row.append(c.bayesian.map { Fixed.percent($0.chanceToWin) } ?? "")
                    switch c.verdict {
                    case .better: row.append("significant (better)")
                    case .worse: row.append("significant (worse)")
                    case .notSignificant: row.append("not significant")
                    case .undefined: row.append("undefined: \(c.error?.message ?? "no test")")
                    }
                } else {
                    row += ["", "", "", "", "baseline"]
                }
                rows.append(row)
            }
        }
        let numeric: Set<Int> = [2, 3, 4, 6, 7]
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count - 1 { widths[i] = max(widths[i], cell.count) }
        }
        return rows.enumerated().map { r, row in
            let line = row.enumerated().map { i, cell -> String in
                if i == row.count - 1 { return cell }
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return numeric.contains(i) && r > 0 ? pad + cell : cell + pad
            }.joined(separator: "  ")
            return String(line.reversed().drop { $0 == " " }.reversed())
        }
    }
}

/// Fixed-point formatting without Foundation.
enum Fixed {
    static func string(_ x: Double, digits: Int, signed: Bool = false) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let magnitude = (abs(x) * scale).rounded()
        guard magnitude < 9e15 else { return String(x) }
        let units = UInt64(magnitude)
        let whole = units / UInt64(scale)
        var text = String(whole)
        if digits > 0 {
            let fraction = String(units % UInt64(scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        let negative = x < 0 && units != 0
        return (negative ? "-" : (signed && units != 0 ? "+" : "")) + text
    }

    static func percent(_ x: Double, signed: Bool = false) -> String {
        string(x * 100, digits: 2, signed: signed) + "%"
    }
}

/// A minimal JSON writer (no Foundation in the library).
final class JSONWriter {
    private(set) var text = ""
    private var needsComma = [false]

    private func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    func object(_ body: () -> Void) {
        separate()
        text += "{"
        needsComma.append(false)
        body()
        needsComma.removeLast()
        text += "}"
    }

    func array(_ body: () -> Void) {
        separate()
        text += "["
        needsComma.append(false)
        body()
        needsComma.removeLast()
        text += "]"
    }

    /// Writes a key; the next value written does not add a comma.
    func key(_ name: String) {
        separate()
        text += Self.quoted(name) + ":"
        needsComma[needsComma.count - 1] = false
    }

    func value(_ s: String?) {
        separate()
        text += s.map(Self.quoted) ?? "null"
    }

    func value(_ x: Double?) {
        separate()
        guard let x, x.isFinite else {
            text += "null"
            return
        }
        text += x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    func field(_ name: String, _ s: String?) {
        key(name)
        value(s)
    }

    func field(_ name: String, _ x: Double?) {
        key(name)
        value(x)
    }

    func field(_ name: String, _ n: Int) {
        key(name)
        separate()
        text += String(n)
    }

    func field(_ name: String, _ b: Bool) {
        key(name)
        separate()
        text += b ? "true" : "false"
    }

    /// A JSON string literal (the same escaping as query results' JSON).
    static func quoted(_ s: String) -> String { JSONResultWriter.string(s) }
}
