import Foundation
import Strata
import StrataCore

/// One query of a suite file (`Benchmarks/queries/events.sql`, `dashboard.sql`).
struct BenchQuery: Sendable, Hashable {
    /// The name in the report: the name in its file, prefixed with the file's stem (`dashboard/totals`) when
    /// another suite file of the run has a query of the same name.
    var name: String
    /// The name after `-- name:` in its file (the key of the file's DuckDB answers).
    var nameInFile: String
    /// The suite file, as given to `--queries`.
    var file: String
    var sql: String
    /// The query is also run against the rolled-up copy of the table (`-- rollup: yes`).
    var onRollup: Bool
    /// `-- approximates: EXACT`: its `approx_*` columns are estimates of the exact query's, held to a bound.
    var approximates: String?
    /// `-- check: shape`: the rows have no full order (`SELECT * … LIMIT`), so only the row and column counts
    /// are compared.
    var shapeOnly: Bool

    init(
        name: String, file: String = "", sql: String, onRollup: Bool = false, approximates: String? = nil,
        shapeOnly: Bool = false
    ) {
        self.name = name
        self.nameInFile = name
        self.file = file
        self.sql = sql
        self.onRollup = onRollup
        self.approximates = approximates
        self.shapeOnly = shapeOnly
    }

    /// The same text reading `table` instead of `events` (every `FROM events`).
    func reading(_ table: String) -> String {
        sql.replacing(/\bFROM events\b/, with: "FROM \(table)")
    }
}

/// Reads suite files: a query starts with `-- name: NAME`, may carry `-- rollup: yes`, `-- approximates: EXACT`
/// and `-- check: shape` before its text, and ends with `;`.
enum BenchSuiteFile {
    /// The queries of several suite files, in order, with names made unique across the files.
    static func read(_ paths: [String]) throws -> [BenchQuery] {
        var queries: [BenchQuery] = []
        for path in paths { queries += try read(path) }
        var files: [String: Set<String>] = [:]
        for query in queries { files[query.nameInFile, default: []].insert(query.file) }
        for i in queries.indices where (files[queries[i].nameInFile]?.count ?? 0) > 1 {
            queries[i].name = stem(queries[i].file) + "/" + queries[i].nameInFile
        }
        guard Set(queries.map(\.name)).count == queries.count else {
            throw StrataError(.invalidArgument, "a suite file is given twice to --queries")
        }
        return queries
    }

    static func read(_ path: String) throws -> [BenchQuery] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StrataError(.io, "cannot read the query suite '\(path)' (give --queries FILE)")
        }
        var queries: [BenchQuery] = []
        var current: BenchQuery?
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let name = value(of: "name", in: line) {
                current = BenchQuery(name: name, file: path, sql: "")
                lines = []
                continue
            }
            guard var query = current else { continue }
            if line.hasPrefix("--") && lines.isEmpty {
                if let rollup = value(of: "rollup", in: line) { query.onRollup = rollup == "yes" }
                if let exact = value(of: "approximates", in: line) { query.approximates = exact }
                if let check = value(of: "check", in: line) { query.shapeOnly = check == "shape" }
                current = query
                continue
            }
            lines.append(line)
            if line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                var sql = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                sql.removeLast()  // the ';'
                query.sql = sql
                guard !queries.contains(where: { $0.name == query.name }) else {
                    throw StrataError(.invalidArgument, "query '\(query.name)' is named twice in '\(path)'")
                }
                queries.append(query)
                current = nil
            }
        }
        guard !queries.isEmpty else { throw StrataError(.invalidArgument, "no queries in '\(path)'") }
        for query in queries {
            if let exact = query.approximates, !queries.contains(where: { $0.name == exact }) {
                throw StrataError(
                    .invalidArgument, "query '\(query.name)' approximates '\(exact)', which '\(path)' does not hold")
            }
        }
        return queries
    }

    /// The file name without directory and extension: `dashboard` for `Benchmarks/queries/dashboard.sql`.
    static func stem(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }

    /// The text after `-- KEY:` on a comment line, trimmed; nil for any other line.
    private static func value(of key: String, in line: Substring) -> String? {
        let prefix = "-- \(key):"
        guard line.hasPrefix(prefix) else { return nil }
        return line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
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
    /// A description of the first difference, or nil when the answers agree; only the counts when
    /// `shapeOnly` (rows without a full order).
    static func difference(_ expected: QueryResult, _ actual: QueryResult, shapeOnly: Bool = false) -> String? {
        guard expected.columns.count == actual.columns.count else {
            return "\(actual.columns.count) columns, expected \(expected.columns.count)"
        }
        guard expected.rows.count == actual.rows.count else {
            return "\(actual.rows.count) rows, expected \(expected.rows.count)"
        }
        if shapeOnly { return nil }
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
