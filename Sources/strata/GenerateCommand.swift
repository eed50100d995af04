import ArgumentParser
import Foundation
import Strata
import StrataDatasets

/// `strata generate`: writes the deterministic `events` dataset (shared/datasets/events.md) as
/// one CSV file per day.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate the deterministic `events` dataset as one CSV file per day.",
        discussion: """
            The same --rows and --seed always give byte-identical files, on any machine.
            10M rows make about 880 MB of CSV.
            """
    )

    @Option(name: .long, help: "Total number of rows over the 30 days.")
    var rows: Int = 1_000_000

    @Option(name: .long, help: "Random seed; the same seed gives the same data.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Output directory (created if missing).")
    var out: String

    func validate() throws {
        guard rows >= 0 && rows <= EventsDataset.maxRows else {
            throw ValidationError("--rows must be between 0 and \(EventsDataset.maxRows)")
        }
    }

    func run() throws {
        let dataset = try EventsDataset(rows: rows, seed: seed)
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try dataset.writeCSV(to: out)
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let megabytes = Double(summary.bytes) / 1_000_000
        for file in summary.files { print(file) }
        print(
            "wrote \(summary.files.count) files, \(summary.rows) rows, \(format(megabytes)) MB in \(format(seconds)) s"
                + " (\(format(megabytes / max(seconds, 1e-9))) MB/s, \(format(Double(summary.rows) / max(seconds, 1e-9) / 1e6))M rows/s)"
        )
    }

    private func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
