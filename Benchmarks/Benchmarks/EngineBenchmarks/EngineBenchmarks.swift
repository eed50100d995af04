import Benchmark
import Strata
import StrataCore
import StrataDatasets

// Engine kernels over ~1M rows of the events dataset in memory (Database.inMemory(), the events table,
// one segment per day, 30 segments): filter on dictionary codes, dictionary group-by, sums, exact and
// approximate count distinct, each through the native query API (no SQL parsing), which runs on the
// pipeline. The block cache is on (the default), so after the warm-up iteration the measured region is the
// pipeline's per-block work on decoded blocks: selections on codes, key numbering and group ids, aggregate
// states, the workers' merge.
//
// CI gates only on `mallocCountTotal` (STYLE.md), with the static thresholds in
// ../../Thresholds/EngineBenchmarks.*.p90.json. The pipeline allocates per block and per segment
// (vectors, selections, group ids; per-worker states) and runs segments on a thread pool, so counts move a little
// with scheduling: the tolerance is ±15% at p90. A per-row allocation (+1M) fails it by far.

/// The in-memory database with the events table, built once per process outside the measured region.
final class EngineFixture: Sendable {
    static let rowCount = 1_000_000
    static let shared = EngineFixture()

    let database: Database

    private init() {
        do {
            database = Database.inMemory()
            let table = try database.createTable(EventsDataset.tableSpec())
            let generator = try EventsDataset(rows: Self.rowCount, seed: 42).makeGenerator()
            for day in 0..<EventsDataset.dayCount {
                try table.append(generator.batch(dayIndex: day).columnBatch)
            }
        } catch {
            fatalError("benchmark fixture: \(error)")
        }
    }
}

/// Runs `query` as the measured region; rows per second of the table as a custom metric.
@inline(never)
func measure(_ benchmark: Benchmark, _ query: Query) throws {
    let database = EngineFixture.shared.database
    let clock = ContinuousClock()
    benchmark.startMeasurement()
    let start = clock.now
    let result = try database.execute(query)
    let elapsed = start.duration(to: clock.now)
    benchmark.stopMeasurement()
    blackHole(result)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    benchmark.measurement(EngineMetric.megaRowsPerSecond, Int(Double(EngineFixture.rowCount) / seconds / 1e6))
}

enum EngineMetric {
    /// Millions of table rows per second of one iteration.
    static let megaRowsPerSecond = BenchmarkMetric.custom("Mrows/s", polarity: .prefersLarger, useScalingFactor: false)
}

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, EngineMetric.megaRowsPerSecond]
    let setup: Benchmark.BenchmarkSetupHook = { _ = EngineFixture.shared }
    Benchmark.defaultConfiguration = .init(
        metrics: metrics,
        timeUnits: .microseconds,
        units: [EngineMetric.megaRowsPerSecond: .count],
        warmupIterations: 2,
        maxDuration: .seconds(3),
        maxIterations: 50,
        thresholds: [.mallocCountTotal: BenchmarkThresholds(relative: [.p90: 15.0])],
        setup: setup
    )

    // Names hold no spaces (benchmark 1.38.1 looks thresholds up by the raw name).
    let queries: [(String, Query)] = [
        // A string predicate resolved to a code set per segment, then a count over the selection.
        (
            "Engine.filter-codes-country-in",
            Query(
                table: "events", filter: .in("country", [.string("DE"), .string("FR"), .string("JP")]),
                aggregations: [Aggregation("n", .count)])
        ),
        // Group by a low-cardinality dictionary column (60 countries): dense arrays on codes.
        (
            "Engine.groupby-codes-country",
            Query(
                table: "events", groupBy: [.column("country")],
                aggregations: [Aggregation("n", .count), Aggregation("revenue", .sum, column: "revenue")])
        ),
        // Two dictionary keys (event × platform) and a time bucket.
        (
            "Engine.groupby-codes-event-platform-day",
            Query(
                table: "events", groupBy: [.column("event"), .column("platform"), .timeBucket(.day)],
                aggregations: [Aggregation("n", .count)])
        ),
        // Sums over the whole table: a double and an int64 column.
        (
            "Engine.sum-revenue-latency",
            Query(
                table: "events",
                aggregations: [
                    Aggregation("revenue", .sum, column: "revenue"), Aggregation("latency", .sum, column: "latency_ms"),
                ])
        ),
        // Exact count distinct of user ids (≈40k) per variant of one experiment.
        (
            "Engine.count-distinct-users-exp_000",
            Query(
                table: "events", filter: .equals("experiment", "exp_000"), groupBy: [.column("variant")],
                aggregations: [Aggregation("users", .countDistinct, column: "user_id")])
        ),
        // The same with HyperLogLog.
        (
            "Engine.approx-count-distinct-users-exp_000",
            Query(
                table: "events", filter: .equals("experiment", "exp_000"), groupBy: [.column("variant")],
                aggregations: [Aggregation("users", .approxCountDistinct, column: "user_id")])
        ),
    ]
    for (name, query) in queries {
        Benchmark(name) { benchmark in try measure(benchmark, query) }
    }
}
