import ArgumentParser
import Strata
import StrataCore

/// `--memory-limit` and `--timeout`, shared by the commands that run queries, analyses and ingests.
struct LimitOptions: ParsableArguments {
    @Option(
        name: .customLong("memory-limit"),
        help: "Fail with a limit error past this much memory, e.g. 512MB, 2GiB, 50% or none (default: 80% of RAM).")
    var memoryLimit: String?

    @Option(name: .long, help: "Fail with a limit error after this long, e.g. 5s, 250ms, 2min (default: none).")
    var timeout: String?

    func validate() throws {
        _ = try queryOptions()
    }

    /// The options the flags give.
    func queryOptions() throws -> QueryOptions {
        var options = QueryOptions()
        do {
            if let memoryLimit { options.memoryLimit = try QueryOptions.parseMemoryLimit(memoryLimit) }
            if let timeout { options.timeout = try QueryOptions.parseTimeout(timeout) }
        } catch {
            throw ValidationError(error.message)
        }
        return options
    }
}
