import StrataStats

/// Turns per-unit totals into per-variant sufficient statistics and StrataStats comparisons, for the
/// overall section and each breakdown section.
struct ExperimentStatisticsBuilder {
    let analysis: ExperimentAnalysis
    let units: ExperimentUnits

    /// Σ over the units of one (section, variant) cell.
    private struct CellSums {
        var n = 0
        var y = 0.0
        var yy = 0.0
        var z = 0.0
        var zz = 0.0
        var yz = 0.0
        var x = 0.0
        var xx = 0.0
        var xy = 0.0
    }

    private var variantCount: Int { units.variants.count }
    private var hasBreakdown: Bool { analysis.breakdown != nil }
    private var sectionCount: Int { 1 + (hasBreakdown ? units.breakdownValues.count : 0) }

    /// The cells (section × variant) a unit belongs to: overall, and its breakdown section.
    @inline(__always)
    private func cells(of u: Int) -> (Int, Int?) {
        let v = Int(units.variant[u])
        return (v, hasBreakdown ? (1 + Int(units.breakdown[u])) * variantCount + v : nil)
    }

    func report(totals: [SlotTotals], slotOfMetric: [[Int]], breakdownDimension: String?) -> ExperimentReport {
        var unitCounts = [Int](repeating: 0, count: sectionCount * variantCount)
        for u in 0..<units.keys.count {
            let (overall, section) = cells(of: u)
            unitCounts[overall] += 1
            if let section { unitCounts[section] += 1 }
        }
        var perSection = [[MetricResult]](repeating: [], count: sectionCount)
        for (m, metric) in analysis.metrics.enumerated() {
            let results: [MetricResult]
            if case .quantile(_, let level, _) = metric.kind {
                results = quantileResults(metric, level: level, totals: totals[slotOfMetric[m][0]])
            } else {
                results = meanResults(metric, totals: slotOfMetric[m].map { totals[$0] })
            }
            for (s, r) in results.enumerated() { perSection[s].append(r) }
        }
        var sections: [ExperimentReport.Section] = []
        for s in 0..<sectionCount {
            let counts = Array(unitCounts[(s * variantCount)..<((s + 1) * variantCount)])
            let weights = units.variants.map { analysis.weights?[$0] ?? 1 }
            let srm = try? SampleRatioMismatch.pValue(observed: counts, expectedWeights: weights)
            let label = s == 0 ? nil : units.breakdownValues[s - 1]
            sections.append(
                ExperimentReport.Section(
                    label: label, isNullValue: s > 0 && label == nil, units: counts, srmPValue: srm,
                    metrics: corrected(perSection[s])))
        }
        return ExperimentReport(
            experiment: analysis.experiment, baseline: analysis.baseline, variants: units.variants,
            excludedUnits: units.excludedUnits, exposureRows: units.exposureRows,
            configuration: analysis.configuration, sequential: analysis.sequential, correction: analysis.correction,
            overall: sections[0], breakdownDimension: breakdownDimension, breakdown: Array(sections.dropFirst()))
    }

    // MARK: Count, sum, binomial and ratio metrics

    private func meanResults(_ metric: ExperimentMetric, totals: [SlotTotals]) -> [MetricResult] {
        var y = totals[0].post
        var x: [Double]? = metric.cupedLookback == nil ? nil : totals[0].pre
        var z: [Double]? = totals.count > 1 ? totals[1].post : nil
        var isBinomial = false
        if case .binomial = metric.kind {
            isBinomial = true
            y = y.map { $0 > 0 ? 1 : 0 }
            x = x?.map { $0 > 0 ? 1 : 0 }
        }
        var cap: Double?
        var denominatorCap: Double?
        switch metric.capping {
        case .absolute(let c)?:
            cap = c
        case .percentile(let p)?:
            cap = Self.quantile(sorted: y.sorted(), level: p)
            if let z { denominatorCap = Self.quantile(sorted: z.sorted(), level: p) }
        case nil: break
        }
        if let cap {
            y = y.map { min($0, cap) }
            x = x?.map { min($0, cap) }
        }
        if let denominatorCap { z = z?.map { min($0, denominatorCap) } }

        var sums = [CellSums](repeating: CellSums(), count: sectionCount * variantCount)
        func add(_ cell: Int, _ u: Int) {
            let yu = y[u]
            sums[cell].n += 1
            sums[cell].y += yu
            sums[cell].yy += yu * yu
            if let z {
                let zu = z[u]
                sums[cell].z += zu
                sums[cell].zz += zu * zu
                sums[cell].yz += yu * zu
            }
            if let x {
                let xu = x[u]
                sums[cell].x += xu
                sums[cell].xx += xu * xu
                sums[cell].xy += xu * yu
            }
        }
        for u in 0..<units.keys.count {
            let (overall, section) = cells(of: u)
            add(overall, u)
            if let section { add(section, u) }
        }

        var results: [MetricResult] = []
        for s in 0..<sectionCount {
            let cellSums = Array(sums[(s * variantCount)..<((s + 1) * variantCount)])
            var variants: [VariantStatistics] = []
            for (v, c) in cellSums.enumerated() {
                var stats = VariantStatistics(
                    variant: units.variants[v], units: c.n, sum: c.y, sumSquares: c.yy,
                    mean: c.n == 0 ? 0 : c.y / Double(c.n))
                if z != nil {
                    stats.ratio = .init(denominatorSum: c.z, denominatorSumSquares: c.zz, sumProducts: c.yz)
                    stats.mean = c.z == 0 ? 0 : c.y / c.z
                }
                if x != nil { stats.covariate = .init(sum: c.x, sumSquares: c.xx, sumProducts: c.xy) }
                variants.append(stats)
            }
            let comparisons: [VariantComparison]
            if z != nil {
                let stats = cellSums.map {
                    RatioStatistics(
                        n: $0.n, numeratorSum: $0.y, numeratorSumSquares: $0.yy, denominatorSum: $0.z,
                        denominatorSumSquares: $0.zz, sumProducts: $0.yz)
                }
                comparisons = compareAll(stats, metric: metric)
            } else if x != nil {
                let stats = cellSums.map { c in
                    CUPEDStatistics(
                        n: c.n, post: Self.mean(c.n, c.y, c.yy, binomial: isBinomial),
                        pre: Self.mean(c.n, c.x, c.xx, binomial: isBinomial), sumProducts: c.xy)
                }
                comparisons = compareAll(stats, metric: metric)
            } else {
                comparisons = compareAll(
                    cellSums.map { Self.mean($0.n, $0.y, $0.yy, binomial: isBinomial) }, metric: metric)
            }
            results.append(
                MetricResult(
                    name: metric.name, kind: metric.kindName, cap: cap, denominatorCap: denominatorCap,
                    variants: variants, comparisons: comparisons))
        }
        return results
    }

    private static func mean(_ n: Int, _ sum: Double, _ sumSquares: Double, binomial: Bool) -> MeanStatistics {
        binomial ? .binomial(n: n, successes: sum) : MeanStatistics(n: n, sum: sum, sumSquares: sumSquares)
    }

    // MARK: Quantile metrics

    private func quantileResults(_ metric: ExperimentMetric, level: Double, totals: SlotTotals) -> [MetricResult] {
        let unitCount = units.keys.count
        var eventsPerUnit = [Double](repeating: 0, count: unitCount)
        for u in totals.eventUnits { eventsPerUnit[Int(u)] += 1 }
        var results: [MetricResult] = []
        for s in 0..<sectionCount {
            func inSection(_ u: Int) -> Bool { s == 0 || Int(units.breakdown[u]) + 1 == s }
            var buckets = [[Double]](repeating: [], count: variantCount)
            for (e, u32) in totals.eventUnits.enumerated() where inSection(Int(u32)) {
                buckets[Int(units.variant[Int(u32)])].append(totals.eventValues[e])
            }
            var quantiles: [(q: Double, lower: Double, upper: Double, n: Int)] = []
            for v in 0..<variantCount {
                let sorted = buckets[v].sorted()
                let n = sorted.count
                let z = NormalDistribution.quantile(0.975)
                let halfWidth = n == 0 ? 0 : z * (level * (1 - level) / Double(n)).squareRoot()
                quantiles.append(
                    (
                        Self.quantile(sorted: sorted, level: level),
                        Self.quantile(sorted: sorted, level: max(level - halfWidth, 1e-8)),
                        Self.quantile(sorted: sorted, level: min(level + halfWidth, 1 - 1e-8)), n
                    ))
            }
            var below = [Double](repeating: 0, count: unitCount)
            for (e, u32) in totals.eventUnits.enumerated() where inSection(Int(u32)) {
                let u = Int(u32)
                if totals.eventValues[e] <= quantiles[Int(units.variant[u])].q { below[u] += 1 }
            }
            var sums = [CellSums](repeating: CellSums(), count: variantCount)
            for u in 0..<unitCount where inSection(u) {
                let v = Int(units.variant[u])
                let m = below[u]
                let d = eventsPerUnit[u]
                sums[v].n += 1
                sums[v].y += m
                sums[v].yy += m * m
                sums[v].z += d
                sums[v].zz += d * d
                sums[v].yz += m * d
            }
            var variants: [VariantStatistics] = []
            var stats: [QuantileStatistics] = []
            for v in 0..<variantCount {
                let c = sums[v]
                let q = quantiles[v]
                let statistics = QuantileStatistics(
                    n: q.n, nStar: q.n, level: level, quantile: q.q, lower: q.lower, upper: q.upper,
                    clustering: .init(
                        mainSum: c.y, mainSumSquares: c.yy, denominatorSum: c.z, denominatorSumSquares: c.zz,
                        sumProducts: c.yz, clusters: c.n))
                stats.append(statistics)
                var variant = VariantStatistics(
                    variant: units.variants[v], units: c.n, sum: c.y, sumSquares: c.yy, mean: q.q)
                variant.quantile = statistics
                variants.append(variant)
            }
            results.append(
                MetricResult(
                    name: metric.name, kind: metric.kindName, cap: nil, denominatorCap: nil, variants: variants,
                    comparisons: compareAll(stats, metric: metric)))
        }
        return results
    }

    /// DuckDB's `quantile_cont`: linear interpolation between the order statistics around (n − 1) level.
    static func quantile(sorted: [Double], level: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let h = Double(sorted.count - 1) * level
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    // MARK: Comparisons

    private func compareAll<S: SampleStatistics>(_ stats: [S], metric: ExperimentMetric) -> [VariantComparison] {
        var configuration = analysis.configuration
        configuration.lowerIsBetter = metric.lowerIsBetter
        return (1..<max(1, stats.count)).map { v in
            compare(stats[0], stats[v], variant: units.variants[v], configuration: configuration)
        }
    }

    private func compare<S: SampleStatistics>(
        _ baseline: S, _ treatment: S, variant: String, configuration: TestConfiguration
    ) -> VariantComparison {
        var result = VariantComparison(variant: variant, verdict: .undefined)
        do {
            result.frequentist = try WelchTTest.compare(
                baseline: baseline, treatment: treatment, configuration: configuration)
            if analysis.sequential {
                result.sequential = try SequentialTest.compare(
                    baseline: baseline, treatment: treatment, configuration: configuration)
            }
            result.bayesian = try BayesianTest.compare(
                baseline: baseline, treatment: treatment, configuration: configuration)
            result.pValue = result.interval?.pValue
            result.adjustedPValue = result.pValue
        } catch {
            result = VariantComparison(variant: variant, error: error, verdict: .undefined)
        }
        return result
    }

    /// Applies the analysis' correction over the section's metrics × variants, then sets the verdicts.
    private func corrected(_ metrics: [MetricResult]) -> [MetricResult] {
        var metrics = metrics
        var positions: [(Int, Int)] = []
        var pValues: [Double] = []
        for (m, metric) in metrics.enumerated() {
            for (c, comparison) in metric.comparisons.enumerated() {
                if let p = comparison.pValue {
                    positions.append((m, c))
                    pValues.append(p)
                }
            }
        }
        let adjusted: [Double]? =
            switch analysis.correction {
            case .none: nil
            case .holm: try? MultipleComparisons.holm(pValues)
            case .benjaminiHochberg: try? MultipleComparisons.benjaminiHochberg(pValues)
            }
        if let adjusted {
            for (i, (m, c)) in positions.enumerated() { metrics[m].comparisons[c].adjustedPValue = adjusted[i] }
        }
        let alpha = analysis.configuration.alpha
        for m in metrics.indices {
            let lowerIsBetter = analysis.metrics.first { $0.name == metrics[m].name }?.lowerIsBetter ?? false
            for c in metrics[m].comparisons.indices {
                let comparison = metrics[m].comparisons[c]
                guard let p = comparison.adjustedPValue, let lift = comparison.interval?.lift else { continue }
                if p < alpha {
                    metrics[m].comparisons[c].verdict = (lift > 0) != lowerIsBetter ? .better : .worse
                } else {
                    metrics[m].comparisons[c].verdict = .notSignificant
                }
            }
        }
        return metrics
    }
}
