import ArgumentParser
import Foundation
import Strata
import StrataCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Generate a sample experiment dataset, store it and read it back.")

    @Option(help: "Rows to generate.")
    var rows: Int = 100_000

    func run() throws {
        let db = Database.inMemory()
        let spec = TableSpec(
            name: "events",
            dimensions: [DimensionSpec(name: "variant", type: .string), DimensionSpec(name: "event", type: .string)],
            metrics: [MetricSpec(name: "revenue", type: .double)])
        let table = try db.createTable(spec)
        let start = Date()
        let base = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
        var rng = SystemRandomNumberGenerator()
        let variants = ["control", "treatment"]
        let events = ["page_view", "click", "purchase"]
        let batch = ColumnBatch([
            "ts": .timestamp((0..<rows).map { Int64($0) * 25_000 + base }),
            "variant": .string((0..<rows).map { _ in variants.randomElement(using: &rng)! }),
            "event": .string((0..<rows).map { _ in events.randomElement(using: &rng)! }),
            "revenue": .double((0..<rows).map { _ in Double.random(in: 0..<50, using: &rng) }),
        ])
        try table.append(batch)
        let stored = Date().timeIntervalSince(start)
        print(
            "stored \(table.rowCount) rows in \(table.segments.count) segments in \(String(format: "%.3f", stored)) s")
        print("The query engine, SQL and the full dashboard demo arrive with the next issues.")
    }
}
