import ArgumentParser
import Foundation
import Strata
import StrataCore
import StrataStats

/// `strata experiment`: per-variant statistics, lifts, intervals and verdicts for one experiment.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Analyse an A/B experiment: per-variant statistics, lift, intervals, p-values and verdicts.",
        discussion: """
            Units are the distinct values of --unit among the exposure rows (--experiment-column = E AND \
            --exposure); each unit's first exposure fixes its variant and starts its metric window. Units \
            exposed to several variants are excluded and counted. Units without metric rows count as 0.

            Metrics: NAME=AGGREGATE [window=FROM..TO] [cap=0.99|cap=abs:VALUE] [cuped=DURATION] [lower-is-better]
              count() | count(COND)             matching rows per unit
              sum(COL) | sum(COL, COND)         sum of a numeric column per unit
              binomial(COND)                    1 if the unit has a matching row ("did the unit do X")
              ratio(A, B)                       sum of A / sum of B over units (A, B: count(…) or sum(…))
              quantile(COL, LEVEL[, COND])      event-level quantile (gbstats' clustered quantile)
            COND is a SQL condition (event = 'purchase', platform IN ('ios','web'), revenue > 0 AND …); \
            count/sum/quantile also take SQL's FILTER (WHERE COND). Durations: 500ms, 30s, 15m, 36h, 7d, 2w; \
            a window FROM..TO is relative to each unit's first exposure (FROM.. runs to the end of the data). \
            Without a window a metric takes all of the unit's rows, any experiment tag, at or after its \
            first exposure.

            Examples:
              strata experiment --db ./strata-demo --experiment exp_000 \\
                --metric "converted=binomial(event = 'purchase')" \\
                --metric "revenue=sum(revenue)" --metric "purchases=count(event = 'purchase')" \\
                --metric "aov=ratio(sum(revenue), count(event = 'purchase'))" --window 0d..14d --cap 0.99 --cuped 7d

            The same analysis from SQL: SELECT * FROM experiment_analysis('events', 'exp_000', \
            'converted=binomial(event = ''purchase'')', window = '0d..14d'); in the REPL: .experiment E METRIC...
            """
    )

    @Option(name: .long, help: "Database directory.")
    var db: String

    @Option(name: .long, help: "Table name.")
    var table: String = "events"

    @Option(name: .long, help: "Experiment id.")
    var experiment: String

    @Option(name: .long, help: "A metric, NAME=AGGREGATE [options] (repeatable; see below).")
    var metric: [String] = []

    @Option(name: .long, help: "Output: text (verdict table) or json.")
    var format: String = "text"

    @Option(name: .long, help: "Default metric window FROM..TO after each unit's exposure, e.g. 0d..7d.")
    var window: String?

    @Option(name: .long, help: "Default cap of count/sum/ratio metrics: a percentile (0.99) or abs:VALUE.")
    var cap: String?

    @Option(name: .long, help: "Default CUPED pre-exposure window of count/sum/binomial metrics, e.g. 7d.")
    var cuped: String?

    @Option(name: .long, help: "Baseline variant.")
    var baseline: String = "control"

    @Option(name: .long, help: "Unit column.")
    var unit: String = "user_id"

    @Option(name: .long, help: "Variant column.")
    var variant: String = "variant"

    @Option(name: .customLong("experiment-column"), help: "Column holding the experiment id.")
    var experimentColumn: String = "experiment"

    @Option(name: .long, help: "Condition that makes a row of the experiment an exposure ('' for every row).")
    var exposure: String = "event = 'exposure'"

    @Option(name: .long, help: "String dimension to break results down by (its value at the unit's first exposure).")
    var breakdown: String?

    @Option(name: .long, help: "Only read rows at or after this time (YYYY-MM-DD[ HH:MM:SS]).")
    var from: String?

    @Option(name: .long, help: "Only read rows before this time.")
    var to: String?

    @Option(name: .long, help: "Significance level.")
    var alpha: Double = 0.05

    @Flag(name: .long, help: "Report absolute instead of relative lifts.")
    var absolute = false

    @Flag(name: .long, help: "Use sequential (always-valid) intervals and p-values for the verdicts.")
    var sequential = false

    @Option(name: .long, help: "Sequential tuning parameter (the sample size where intervals are tightest).")
    var tuning: Double = 5000

    @Option(name: .long, help: "Proper Gaussian prior on the relative lift for the Bayesian test: MEAN,SD.")
    var prior: String?

    @Option(name: .long, help: "Multiple-comparison correction over metrics × variants: none, holm or bh.")
    var correction: String = "none"

    @Option(name: .long, help: "Expected traffic weights for the sample-ratio check, e.g. control=1,treatment=1.")
    var weights: String?

    @OptionGroup var limits: LimitOptions

    @Flag(name: .long, help: "Print how long the analysis took (on stderr).")
    var timing = false

    @Option(name: .long, help: "With --timing: run the analysis this many times and report each run.")
    var `repeat`: Int = 1

    func validate() throws {
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
        guard MultipleComparisonCorrection(rawValue: correction) != nil else {
            throw ValidationError("--correction must be none, holm or bh")
        }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func makeAnalysis() throws -> ExperimentAnalysis {
        var analysis = ExperimentAnalysis(experiment: experiment, baseline: baseline)
        analysis.exposure = ExposureDefinition(
            experimentColumn: experimentColumn,
            filter: exposure.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try Filter.parse(condition: exposure),
            unitColumn: unit, variantColumn: variant)
        if let window { analysis.window = try MetricWindow.parse(window) }
        let defaultCap = try cap.map { c throws(StrataError) in try ExperimentMetric.Capping.parse(c) }
        let defaultCuped = try cuped.map { c throws(StrataError) in try MetricWindow.parseDuration(c) }
        for text in metric {
            var m = try ExperimentMetric.parse(text)
            switch m.kind {
            case .count, .sum, .ratio:
                if m.capping == nil { m.capping = defaultCap }
            default: break
            }
            switch m.kind {
            case .count, .sum, .binomial:
                if m.cupedLookback == nil { m.cupedLookback = defaultCuped }
            default: break
            }
            analysis.metrics.append(m)
        }
        analysis.breakdown = breakdown
        if from != nil || to != nil {
            let lower = try from.map { try Timestamp.parse($0).get() } ?? Int64.min
            let upper = try to.map { try Timestamp.parse($0).get() } ?? Int64.max
            guard lower < upper else { throw ValidationError("--from must be before --to") }
            analysis.timeRange = lower..<upper
        }
        var configuration = TestConfiguration(alpha: alpha, difference: absolute ? .absolute : .relative)
        configuration.sequentialTuning = tuning
        if let prior {
            let parts = prior.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2 else { throw ValidationError("--prior is MEAN,SD, e.g. 0,0.3") }
            configuration.prior = .gaussian(mean: parts[0], standardDeviation: parts[1])
        }
        analysis.configuration = configuration
        analysis.sequential = sequential
        analysis.correction = MultipleComparisonCorrection(rawValue: correction)!
        if let weights {
            var table: [String: Double] = [:]
            for pair in weights.split(separator: ",") {
                let kv = pair.split(separator: "=")
                guard kv.count == 2, let w = Double(kv[1]) else {
                    throw ValidationError("--weights is VARIANT=WEIGHT,…, e.g. control=1,treatment=1")
                }
                table[String(kv[0])] = w
            }
            analysis.weights = table
        }
        return analysis
    }

    func run() throws {
        let analysis = try makeAnalysis()
        let database = try Database.open(at: db, mode: .readOnly)
        let target = try database.table(named: table)
        let clock = ContinuousClock()
        var report: ExperimentReport?
        for run in 1...(timing ? `repeat` : 1) {
            let start = clock.now
            let cpuStart = Self.processCPUTime()
            report = try target.analyze(analysis, options: try limits.queryOptions())
            if timing {
                let ms = IngestCommand.seconds(start.duration(to: clock.now)) * 1000
                let cpu = (Self.processCPUTime() - cpuStart) * 1000
                let line =
                    "run \(run): analysed \(experiment) (\(analysis.metrics.count) metrics, \(target.rowCount) rows) in "
                    + "\(String(format: "%.1f", ms)) ms wall, \(String(format: "%.1f", cpu)) ms CPU\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        print(format == "json" ? report!.json() : report!.text(), terminator: "")
    }

    /// CPU seconds used by the process so far (all threads): on a busy machine a fairer measure than wall time.
    static func processCPUTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
