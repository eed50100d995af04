import Benchmark
import Strata
import StrataBenchmarkSupport
import StrataCore
import StrataDatasets
import StrataStorage

// Storage benchmarks over ~1M rows of the events dataset (EventsDataset(rows: 1_000_000), all 30
// days in one segment): segment write, full-column decode per type, segment build.
//
// Throughputs are custom metrics in MB/s (or thousands of rows/s) computed from each iteration's
// own wall time. CI gates only on `mallocCountTotal` (STYLE.md): the static thresholds in
// ../../Thresholds hold nothing else; see README.md for how to update them.

/// Data shared by all benchmarks, built once per process (in each benchmark's `setup`, outside
/// the measured region).
final class StorageFixture: Sendable {
    static let rowCount = 1_000_000
    static let shared = StorageFixture()

    let spec = eventsSpec()
    let rollupSpec = eventsRollupSpec()
    /// Input columns of `spec` in arrival order (what `Table.append` hands to `SegmentBuilder`).
    let input: [ColumnData]
    /// The same rows in segment order with sorted dictionaries (what `SegmentWriter` takes).
    let stored: [ColumnData]
    let rawInputBytes: Int
    let chunk: Range<Int64>
    /// The written segment, for the decode benchmarks.
    let reader: SegmentReader

    private init() {
        do {
            let batch = try eventsBatch(rows: Self.rowCount)
            input = batch.inputColumns
            stored = SegmentBuilder.build(spec: spec, data: input)
            rawInputBytes = stored.reduce(0) { $0 + $1.rawByteCount }
            chunk = batch.ts.first!..<(batch.ts.last! + 1)
            let bytes = SegmentWriter().write(
                columns: spec.storedColumns, data: stored, chunk: chunk, rollupGranularity: nil)
            reader = try SegmentReader(bytes: SegmentBytes(copying: bytes), name: "events-1m.seg")
        } catch {
            fatalError("benchmark fixture: \(error)")
        }
    }

    func column(named name: String) -> Int {
        guard let index = reader.footer.columnIndex(named: name) else { fatalError("no column \(name)") }
        return index
    }
}

enum StorageMetric {
    /// Megabytes (10⁶ bytes) per second of one iteration.
    static let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
    /// Thousands of rows per second of one iteration.
    static let kiloRowsPerSecond = BenchmarkMetric.custom("krows/s", polarity: .prefersLarger, useScalingFactor: false)
}

/// Runs `body` once as the measured region and records `bytes` (or `rows`) per second as a custom
/// metric. Recording happens after `stopMeasurement()`, so its allocations stay out of the malloc
/// counts (which then do not depend on which metrics a run asks for).
@inline(never)
func timed(_ benchmark: Benchmark, bytes: Int = 0, rows: Int = 0, _ body: () throws -> Void) rethrows {
    let clock = ContinuousClock()
    benchmark.startMeasurement()
    let start = clock.now
    try body()
    let elapsed = start.duration(to: clock.now)
    benchmark.stopMeasurement()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    if bytes > 0 { benchmark.measurement(StorageMetric.megabytesPerSecond, Int(Double(bytes) / seconds / 1e6)) }
    if rows > 0 { benchmark.measurement(StorageMetric.kiloRowsPerSecond, Int(Double(rows) / seconds / 1e3)) }
}

let benchmarks: @Sendable () -> Void = {
    let common: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident]
    let setup: Benchmark.BenchmarkSetupHook = { _ = StorageFixture.shared }

    // Malloc counts of the decode loops are deterministic (two per block, 124 per run); 10% slack
    // absorbs a toolchain's or the harness's few extra small allocations, a per-row allocation
    // (+1M) fails. Only metrics present in ../../Thresholds/*.p90.json are checked.
    let mallocTolerance = BenchmarkThresholds(relative: [.p90: 10.0])

    Benchmark.defaultConfiguration = .init(
        metrics: common,
        timeUnits: .microseconds,
        units: [StorageMetric.megabytesPerSecond: .count, StorageMetric.kiloRowsPerSecond: .count],
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 30,
        thresholds: [.mallocCountTotal: mallocTolerance]
    )

    // MARK: Segment write

    Benchmark(
        "SegmentWriter.write-1M-events-lz4",
        configuration: .init(metrics: common + [StorageMetric.megabytesPerSecond], setup: setup)
    ) { benchmark in
        let f = StorageFixture.shared
        timed(benchmark, bytes: f.rawInputBytes) {
            blackHole(
                SegmentWriter().write(
                    columns: f.spec.storedColumns, data: f.stored, chunk: f.chunk, rollupGranularity: nil))
        }
    }

    // MARK: Full-column decode

    // (benchmark name, column, decoded bytes per value, decode call). Names hold no spaces: the
    // benchmark tool writes threshold files with spaces turned into '_' but looks them up by the
    // raw name, so a name with spaces never finds its thresholds (benchmark 1.38.1).
    let decodes: [(String, String, Int, @Sendable (SegmentReader, Int, Int) throws -> Void)] = [
        ("Decode-int64-delta-ts", "ts", 8, { r, c, b in blackHole(try r.int64Block(column: c, block: b)) }),
        (
            "Decode-int64-FOR-latency_ms", "latency_ms", 8,
            { r, c, b in blackHole(try r.int64Block(column: c, block: b)) }
        ),
        ("Decode-codes-event", "event", 4, { r, c, b in blackHole(try r.codeBlock(column: c, block: b)) }),
        ("Decode-codes-user_id", "user_id", 4, { r, c, b in blackHole(try r.codeBlock(column: c, block: b)) }),
        ("Decode-double-revenue", "revenue", 8, { r, c, b in blackHole(try r.doubleBlock(column: c, block: b)) }),
        ("Decode-bool-is_new_user", "is_new_user", 1, { r, c, b in blackHole(try r.boolBlock(column: c, block: b)) }),
    ]
    // No peakMemoryResident here: its sampler thread allocates 16-20 times per run, which would make the
    // gated malloc count (exactly two per block: the decompression buffer and the values) noisy; the
    // process peak is the fixture's anyway.
    let decodeMetrics: [BenchmarkMetric] = [
        .wallClock, .throughput, .mallocCountTotal, StorageMetric.megabytesPerSecond,
    ]
    for (name, columnName, width, decode) in decodes {
        Benchmark(
            name,
            configuration: .init(metrics: decodeMetrics, maxIterations: 200, setup: setup)
        ) { benchmark in
            let f = StorageFixture.shared
            let column = f.column(named: columnName)
            try timed(benchmark, bytes: f.reader.rowCount * width) {
                for block in 0..<f.reader.blockCount { try decode(f.reader, column, block) }
            }
        }
    }

    // MARK: Segment build

    Benchmark(
        "SegmentBuilder.build-1M-events-sort",
        configuration: .init(metrics: common + [StorageMetric.kiloRowsPerSecond], maxIterations: 10, setup: setup)
    ) { benchmark in
        let f = StorageFixture.shared
        timed(benchmark, rows: StorageFixture.rowCount) {
            blackHole(SegmentBuilder.build(spec: f.spec, data: f.input))
        }
    }

    Benchmark(
        "SegmentBuilder.build-1M-events-rollup-minute",
        configuration: .init(metrics: common + [StorageMetric.kiloRowsPerSecond], maxIterations: 10, setup: setup)
    ) { benchmark in
        let f = StorageFixture.shared
        var input = f.input
        input.remove(at: 1)  // the rollup spec has no user_id
        timed(benchmark, rows: StorageFixture.rowCount) {
            let states = SegmentBuilder.initialStates(spec: f.rollupSpec, input: input)
            blackHole(SegmentBuilder.build(spec: f.rollupSpec, data: states))
        }
    }
}
