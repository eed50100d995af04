package import StrataCore

/// The bad rows of one ingest call, counted and (up to a limit) kept.
package struct ProblemLog {
    let policy: IngestOptions.ErrorPolicy
    let keep: Int
    package private(set) var problems: [IngestProblem] = []
    package private(set) var count = 0

    package init(options: IngestOptions) {
        policy = options.onError
        keep = options.onError == .fail ? max(1, options.maxListedErrors) : options.maxReportedRejections
    }

    /// With `fail`, reading stops once enough bad rows are listed.
    package var shouldStop: Bool { policy == .fail && count >= keep }

    mutating func add(file: String, line: Int, column: Int, reason: String) {
        count += 1
        if problems.count < keep {
            problems.append(IngestProblem(file: file, line: line, column: column, reason: reason))
        }
    }

    /// The error of a failed all-or-nothing call: the first bad row in the message and location,
    /// the following ones in the detail.
    package func error(stoppedEarly: Bool) -> StrataError {
        let first = problems[0]
        var message = first.reason
        if count > 1 || stoppedEarly {
            message += " (\(count)\(stoppedEarly ? "+" : "") bad rows; nothing from this call was stored)"
        } else {
            message += " (nothing from this call was stored)"
        }
        let more = problems.dropFirst().map(\.description)
        return StrataError(
            .ingest, message, location: first.location, detail: more.isEmpty ? nil : more.joined(separator: "\n"))
    }
}
