import Foundation
import Strata
import StrataCore

/// What `strata bench` measured, rendered as text tables or JSON.
struct BenchReport: Codable {
    struct DataSet: Codable {
        var directory = ""
        var files = 0
        var bytes = 0
        var generated = false
    }

    /// The events table's spec (`--spec`).
    struct Spec: Codable {
        /// `tuned`, `plain`, or the path given.
        var name: String
        var path: String
    }

    struct Ingest: Codable {
        var table: String
        var rowsRead: Int
        /// Rows in the table afterwards (fewer than read for a rolled-up table).
        var rowsStored: Int
        var seconds: Double
        var rowsPerSecond: Double
        /// Bytes of the table's segments and table-wide dictionaries.
        var storageBytes: Int
        var segments: Int
        /// VmHWM after this ingest (the process's peak so far).
        var peakMemoryBytes: Int?

        var summary: String {
            String(
                format: "ingested %@: %d rows in %.2f s, %.2fM rows/s; %d rows stored, %.1f MB in %d segments",
                table, rowsRead, seconds, rowsPerSecond / 1e6, rowsStored, Double(storageBytes) / 1e6, segments)
                + (peakMemoryBytes.map { String(format: ", peak memory %.0f MB", Double($0) / 1_048_576) } ?? "")
        }
    }

    /// The engine's work counters of the last timed run, and the bytes the warm-up run decoded.
    struct Stats: Codable {
        var segmentsScanned: Int
        var segmentsTotal: Int
        var blocksScanned: Int
        var blocksPruned: Int
        var rowsScanned: Int
        var rowsMatched: Int
        var groups: Int
        var bytesDecoded: Int
        var bytesDecodedCold: Int
        var planMs: Double
        var scanMs: Double
        var mergeMs: Double
        var finishMs: Double

        init(_ s: QueryStats, cold: QueryStats) {
            func ms(_ ns: UInt64) -> Double { Double(ns) / 1e6 }
            segmentsScanned = s.segmentsScanned
            segmentsTotal = s.segmentsTotal
            blocksScanned = s.blocksScanned
            blocksPruned = s.blocksPruned
            rowsScanned = s.rowsScanned
            rowsMatched = s.rowsMatched
            groups = s.groups
            bytesDecoded = s.bytesDecoded
            bytesDecodedCold = cold.bytesDecoded
            planMs = ms(s.planNanoseconds)
            scanMs = ms(s.scanNanoseconds)
            mergeMs = ms(s.mergeNanoseconds)
            finishMs = ms(s.finishNanoseconds)
        }
    }

    struct Query: Codable {
        var name: String
        /// The suite file the query came from, as given to `--queries`.
        var file: String
        var table: String
        var sql: String
        var error: String?
        /// How the answer on the rolled-up table differs from the table's.
        var mismatch: String?
        var latency: LatencySummary?
        /// The warm-up run (cold block cache).
        var firstMs: Double?
        var resultRows: Int?
        /// Only when one native query did the reading (not for subqueries).
        var stats: Stats?
    }

    var rows: Int
    var runs: Int
    var date: String
    var cores: Int
    var spec: Spec
    /// The suite files, in the order they ran.
    var queryFiles: [String]
    var data = DataSet()
    var ingest: [Ingest] = []
    /// Bytes of every file in the database directory (both tables, catalog included).
    var storageBytes = 0
    /// Whether VmHWM could be reset after ingest (else the query peak includes ingest's).
    var peakResetBeforeQueries = false
    var peakMemoryQueriesBytes: Int?
    var queries: [Query] = []
    var rollupQueries: [Query] = []

    /// Suite queries that failed or whose answer differs from DuckDB's, plus rollup answers that differ
    /// from the table's (or DuckDB's).
    var failures: Int {
        queries.filter { $0.error != nil || $0.mismatch != nil }.count
            + rollupQueries.filter { $0.mismatch != nil }.count
    }

    /// Of the queries of one suite file, or of all; nil when one failed.
    func geometricMeanMs(file: String? = nil) -> Double? {
        let selected = queries.filter { file == nil || $0.file == file }
        let medians = selected.compactMap { $0.latency?.medianMs }
        guard !medians.isEmpty, medians.count == selected.count else { return nil }
        return exp(medians.map { log(max($0, 1e-6)) }.reduce(0, +) / Double(medians.count))
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    // MARK: Text

    func text() -> String {
        var out = "strata bench: \(rows) events rows, \(runs) timed runs per query after one warm-up; \(date), "
        out += "\(cores) cores\n"
        out += "spec: \(spec.name == spec.path ? spec.path : "\(spec.name) (\(spec.path))")\n"
        out += "data: \(data.files) CSV files, \(mb(data.bytes)) MB in \(data.directory)"
        out += data.generated ? " (generated)\n\n" : " (reused)\n\n"
        out += "Ingest (CSV, strata ingest's path: parse + sort + encode + fsync)\n"
        out += TextTable.render(
            rows: ingestRows,
            header: [
                "table", "rows read", "rows stored", "s", "M rows/s",
                "on disk MB", "segments", "peak MB",
            ])
        out += "database directory: \(mb(storageBytes)) MB\n\n"
        for file in queryFiles {
            let selected = queries.filter { $0.file == file }
            guard !selected.isEmpty else { continue }
            out += "\(file) on events, \(spec.name) spec (ms; counters of the last run)\n"
            out += TextTable.render(rows: queryRows(selected), header: Self.queryHeader)
            if let mean = geometricMeanMs(file: file) {
                out += String(format: "geometric mean of medians: %.2f ms\n", mean)
            }
            out += errors(selected) + "\n"
        }
        if !rollupQueries.isEmpty {
            out += "The '-- rollup: yes' queries on the rolled-up copy (answers checked against the table's)\n"
            out += TextTable.render(rows: queryRows(rollupQueries), header: Self.queryHeader)
            for q in rollupQueries where q.error == nil {
                if let mismatch = q.mismatch { out += "MISMATCH \(q.name): \(mismatch)\n" }
            }
            for q in rollupQueries {
                if let error = q.error {
                    out += "gap \(q.name): \(error.split(separator: "\n").first ?? "")\n"
                }
            }
        }
        let peak = peakMemoryQueriesBytes.map { "\(Int(Double($0) / 1_048_576)) MB" } ?? "unknown"
        out += (rollupQueries.isEmpty ? "" : "\n") + "peak memory while querying: \(peak)"
        out += peakResetBeforeQueries ? " (VmHWM reset after ingest)\n" : " (VmHWM not resettable: includes ingest)\n"
        out += failures == 0 ? "all queries ran\n" : "\(failures) failure(s)\n"
        return out
    }

    static let queryHeader = [
        "query", "median", "min", "max", "first", "rows", "segments", "blocks", "pruned", "rows scanned", "matched",
        "groups", "MB decoded cold/warm",
    ]

    private var ingestRows: [[String]] {
        ingest.map {
            [
                $0.table, "\($0.rowsRead)", "\($0.rowsStored)", String(format: "%.2f", $0.seconds),
                String(format: "%.2f", $0.rowsPerSecond / 1e6), mb($0.storageBytes), "\($0.segments)",
                $0.peakMemoryBytes.map { "\(Int(Double($0) / 1_048_576))" } ?? "",
            ]
        }
    }

    private func queryRows(_ queries: [Query]) -> [[String]] {
        queries.map { q in
            guard let latency = q.latency else {
                return [q.name, q.mismatch == nil ? "error" : "mismatch"] + Array(repeating: "", count: 11)
            }
            var row = [q.name] + [latency.medianMs, latency.minMs, latency.maxMs, q.firstMs ?? 0].map(Self.ms)
            row.append(q.resultRows.map(String.init) ?? "")
            if let s = q.stats {
                row += [
                    "\(s.segmentsScanned)/\(s.segmentsTotal)", "\(s.blocksScanned)", "\(s.blocksPruned)",
                    "\(s.rowsScanned)", "\(s.rowsMatched)", "\(s.groups)",
                    mb(s.bytesDecodedCold) + "/" + mb(s.bytesDecoded),
                ]
            } else {
                row += Array(repeating: "", count: 7)
            }
            if q.mismatch != nil { row[0] += " (MISMATCH)" }
            return row
        }
    }

    private func errors(_ queries: [Query]) -> String {
        queries.compactMap { q in
            q.error.map { "ERROR \(q.name): \($0)\n" } ?? q.mismatch.map { "MISMATCH \(q.name): \($0)\n" }
        }.joined()
    }

    static func ms(_ value: Double) -> String {
        value >= 100
            ? String(format: "%.0f", value)
            : value >= 10
                ? String(format: "%.1f", value)
                : String(format: "%.2f", value)
    }

    private func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
}

extension TextTable {
    /// Renders rows of text under a header; columns after the first are right-aligned.
    static func render(rows: [[String]], header: [String]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - cells[c].count)
                return c == 0 ? cells[c] + pad : pad + cells[c]
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n"
        out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
