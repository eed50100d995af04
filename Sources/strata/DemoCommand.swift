import ArgumentParser
import Foundation
import Strata
import StrataCore
import StrataDatasets

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate the sample experiment dataset, store it, and answer dashboard questions.")

    @Option(help: "Rows of events to generate.")
    var rows: Int = 1_000_000

    @Option(help: "Database directory (replaced if it exists, unless --reuse).")
    var db: String = "./strata-demo"

    @Flag(help: "Reuse the events table in --db if it is there instead of generating it again.")
    var reuse = false

    @Option(help: "Run each dashboard query this many times and report the fastest.")
    var `repeat`: Int = 1

    func run() throws {
        let database: Database
        if reuse, let existing = try? Database.open(at: db), existing.tableNames.contains("events") {
            database = existing
            print("Reusing \(try database.table(named: "events").rowCount) events in \(db)\n")
        } else {
            try? FileManager.default.removeItem(atPath: db)
            database = try Database.open(at: db)
            try generate(into: database)
        }
        defer { try? database.close() }
        let window = try Timestamp.parse("2026-10-01").get()..<Timestamp.parse("2026-10-08").get()
        try show(
            "Exposures and unique users per variant, exp_000, first week", database,
            Query(
                table: "events", intervals: [window],
                filter: .and([.equals("experiment", "exp_000"), .equals("event", "exposure")]),
                groupBy: [.column("variant")],
                aggregations: [
                    Aggregation("exposures", .count), Aggregation("users", .countDistinct, column: "user_id"),
                ], orderBy: [OrderKey("variant")]))
        try show(
            "Purchases, revenue and p-value inputs per variant, exp_001", database,
            Query(
                table: "events", filter: .equals("experiment", "exp_001"), groupBy: [.column("variant")],
                aggregations: [
                    Aggregation("purchases", .count, filter: .equals("event", "purchase")),
                    Aggregation("revenue", .sum, column: "revenue", filter: .equals("event", "purchase")),
                    Aggregation("avg_order", .avg, column: "revenue", filter: .equals("event", "purchase")),
                    Aggregation(
                        "sd_order", .standardDeviationSample, column: "revenue", filter: .equals("event", "purchase")),
                ], orderBy: [OrderKey("variant")]))
        try show(
            "Top 5 countries by revenue", database,
            Query(
                table: "events", filter: .equals("event", "purchase"), groupBy: [.column("country")],
                aggregations: [Aggregation("revenue", .sum, column: "revenue")],
                orderBy: [OrderKey("revenue", descending: true)], limit: 5))
        try show(
            "Slowest platforms (mean and max latency, app 5.x)", database,
            Query(
                table: "events", filter: .like("app_version", "5.%"), groupBy: [.column("platform")],
                aggregations: [
                    Aggregation("mean_ms", .avg, column: "latency_ms"),
                    Aggregation("max_ms", .max, column: "latency_ms"),
                ], orderBy: [OrderKey("mean_ms", descending: true)]))
        try showExperiment(database)
        print("The database stays in \(db). Ask it more in SQL:")
        print("  strata repl --db \(db)")
        print("  strata query --db \(db) \"SELECT variant, count(DISTINCT user_id) FROM events GROUP BY ALL\"")
    }

    /// The experiment section: exp_000's verdicts on conversion, revenue per user and purchases.
    private func showExperiment(_ database: Database) throws {
        let purchase = Filter.equals("event", "purchase")
        let analysis = ExperimentAnalysis(
            experiment: "exp_000",
            metrics: [
                ExperimentMetric("conversion", .binomial(filter: purchase)),
                ExperimentMetric("revenue_per_user", .sum(column: "revenue", filter: nil)),
                ExperimentMetric("purchases", .count(filter: purchase)),
            ])
        let start = Date()
        let report = try database.analyzeExperiment(analysis, table: "events")
        let ms = Date().timeIntervalSince(start) * 1000
        print(
            "Experiment verdicts, exp_000 (each user's rows after their first exposure)  (\(String(format: "%.1f", ms)) ms)"
        )
        print(report.text())
        print(
            "(treatment's revenue is planted 3% higher: too small to detect at this size, so 'not significant' is "
                + "the right answer; try `strata experiment --db \(db) --experiment exp_000 --metric ...`)\n")
    }

    private func generate(into database: Database) throws {
        let table = try database.createTable(EventsDataset.tableSpec())
        let dataset = try EventsDataset(rows: rows, seed: 42)
        let generator = dataset.makeGenerator()
        print("Generating and storing \(rows) events (30 days, 40 experiments) in \(db) …")
        let start = Date()
        for day in 0..<EventsDataset.dayCount {
            try table.append(generator.batch(dayIndex: day).columnBatch)
        }
        let seconds = Date().timeIntervalSince(start)
        let bytes = table.segments.reduce(0) { $0 + $1.sizeBytes }
        print(
            "stored \(table.rowCount) rows in \(table.segments.count) segments, \(bytes / 1_000_000) MB, "
                + "\(Int(Double(rows) / max(seconds, 1e-9))) rows/s\n")
    }

    private func show(_ title: String, _ database: Database, _ query: Query) throws {
        var ms = Double.infinity
        var result = try database.execute(query)
        for _ in 0..<max(1, `repeat`) {
            let start = Date()
            result = try database.execute(query)
            ms = min(ms, Date().timeIntervalSince(start) * 1000)
        }
        print("\(title)  (\(String(format: "%.1f", ms)) ms)")
        print(TextTable.render(result))
    }
}
