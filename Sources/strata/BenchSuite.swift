import Foundation
import Strata
import StrataCore

/// One query of the dashboard suite (`Benchmarks/queries/events.sql`).
struct BenchQuery: Sendable, Hashable {
    var name: String
    var sql: String
    /// The query is also run against the rolled-up copy of the table (`-- rollup: yes`).
    var onRollup: Bool

    /// The same text reading `table` instead of `events` (every `FROM events`).
    func reading(_ table: String) -> String {
        sql.replacing(/\bFROM events\b/, with: "FROM \(table)")
    }
}

/// Reads the suite file: a query starts with `-- name: NAME`, may carry `-- rollup: yes`, and ends with `;`.
enum BenchSuiteFile {
    static func read(_ path: String) throws -> [BenchQuery] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StrataError(.io, "cannot read the query suite '\(path)' (give --queries FILE)")
        }
        var queries: [BenchQuery] = []
        var name: String?
        var onRollup = false
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- name:") {
                name = line.dropFirst("-- name:".count).trimmingCharacters(in: .whitespaces)
                onRollup = false
                lines = []
                continue
            }
            guard let current = name else { continue }
            if line.hasPrefix("--") && lines.isEmpty {
                if line.hasPrefix("-- rollup:") {
                    onRollup = line.dropFirst("-- rollup:".count).trimmingCharacters(in: .whitespaces) == "yes"
                }
                continue
            }
            lines.append(line)
            if line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                var sql = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                sql.removeLast()  // the ';'
                queries.append(BenchQuery(name: current, sql: sql, onRollup: onRollup))
                name = nil
            }
        }
        guard !queries.isEmpty else { throw StrataError(.invalidArgument, "no queries in '\(path)'") }
        return queries
    }
}

/// Median, minimum and maximum of a run's latencies in milliseconds.
struct LatencySummary: Codable, Sendable, Hashable {
    var medianMs: Double
    var minMs: Double
    var maxMs: Double
    var runs: Int

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        let n = sorted.count
        runs = n
        medianMs = n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        minMs = sorted.first ?? 0
        maxMs = sorted.last ?? 0
    }
}

/// The process's memory and the database's size on disk.
enum ProcessMemory {
    /// The peak resident set (VmHWM of /proc/self/status), in bytes; nil where there is no procfs.
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }

    /// Resets the peak resident set to the current one (Linux: `5` into /proc/self/clear_refs).
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// Bytes of all regular files under `directory`.
    static func directoryBytes(_ directory: String) -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return 0 }
        var total = 0
        while let path = enumerator.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + path)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? Int) ?? 0
            }
        }
        return total
    }
}

/// Compares two answers cell by cell: exact, except doubles (relative 1e-9) and columns named `approx_…`
/// (relative 5%).
enum AnswerComparison {
    /// A description of the first difference, or nil when the answers agree.
    static func difference(_ expected: QueryResult, _ actual: QueryResult) -> String? {
        guard expected.columns.count == actual.columns.count else {
            return "\(actual.columns.count) columns, expected \(expected.columns.count)"
        }
        guard expected.rows.count == actual.rows.count else {
            return "\(actual.rows.count) rows, expected \(expected.rows.count)"
        }
        for (r, (want, got)) in zip(expected.rows, actual.rows).enumerated() {
            for c in want.indices {
                let tolerance = expected.columns[c].name.hasPrefix("approx_") ? 0.05 : 1e-9
                if !agree(want[c], got[c], tolerance: tolerance) {
                    return "row \(r + 1), column '\(expected.columns[c].name)': \(got[c]), expected \(want[c])"
                }
            }
        }
        return nil
    }

    static func agree(_ a: Value, _ b: Value, tolerance: Double) -> Bool {
        switch (a, b) {
        case (.double, _), (_, .double):
            guard let x = a.doubleValue, let y = b.doubleValue else { return a.isNull && b.isNull }
            if x == y { return true }
            return abs(x - y) <= tolerance * max(abs(x), abs(y))
        case (.int64(let x), .int64(let y)) where tolerance > 1e-9:
            return abs(Double(x) - Double(y)) <= tolerance * max(abs(Double(x)), abs(Double(y)))
        default:
            return a == b
        }
    }
}
