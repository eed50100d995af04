import Foundation
import StrataCore

/// The table spec `strata bench` ingests the events with (`--spec tuned|plain|PATH`).
struct BenchSpec {
    /// The spec tuned for the suite: a table dictionary for `user_id`, a sort key (experiment, variant, event).
    static let tunedPath = "Fixtures/events-spec.json"
    /// The spec a user writes from the README: no table dictionary, no sort key.
    static let plainPath = "Benchmarks/queries/events-plain-spec.json"

    /// `tuned`, `plain`, or the path given.
    var name: String
    var path: String
    var table: TableSpec

    /// Only the tuned spec gets the rolled-up copy by default: the copy's answers are checked against this
    /// table's, and the history of `strata bench` runs (Benchmarks/RESULTS.md) pairs it with the tuned table.
    var rollupByDefault: Bool {
        URL(fileURLWithPath: path).standardizedFileURL == URL(fileURLWithPath: Self.tunedPath).standardizedFileURL
    }

    /// Resolves `--spec`: `tuned` and `plain` name the repository's files (relative to the current directory,
    /// like the default `--queries`); anything else is a spec file.
    static func resolve(_ argument: String) throws -> BenchSpec {
        let path =
            switch argument {
            case "tuned": tunedPath
            case "plain": plainPath
            default: argument
            }
        guard let data = FileManager.default.contents(atPath: path) else {
            let hint = path == argument ? "" : " (run from the repository root, or give --spec PATH)"
            throw StrataError(.io, "cannot read the spec '\(path)'\(hint)")
        }
        let table = try TableSpec.decode(json: data)
        // The suites read `FROM events`; the rolled-up copy is the only other table they name.
        guard table.name == "events" else {
            throw StrataError(
                .invalidArgument, "the spec '\(path)' names its table '\(table.name)'; the suites read 'events'")
        }
        return BenchSpec(name: path == argument ? path : argument, path: path, table: table)
    }
}
