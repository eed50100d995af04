import Foundation
import Strata
import StrataCore

/// A small table whose every append carries a unique batch id, so tests can check that batches are
/// seen whole or not at all.
enum AppendFixture {
    static let spec = TableSpec(
        name: "appends", timestamp: TimestampSpec(column: "ts"),
        dimensions: [DimensionSpec(name: "batch", type: .string), DimensionSpec(name: "thread", type: .int64)],
        metrics: [MetricSpec(name: "value", type: .int64)], segmentGranularity: .day)

    static let base = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay

    /// `rows` rows tagged `id`, spread over `days` days from 2026-10-01 (starting at day `firstDay`).
    static func batch(id: String, rows: Int, thread: Int = 0, firstDay: Int = 0, days: Int = 1) -> ColumnBatch {
        ColumnBatch([
            "ts": .timestamp(
                (0..<rows).map { base + Int64(firstDay + $0 % days) * Timestamp.millisecondsPerDay + Int64($0) * 1000 }),
            "batch": .string([String](repeating: id, count: rows)),
            "thread": .int64([Int64](repeating: Int64(thread), count: rows)),
            "value": .int64((0..<rows).map { Int64($0) }),
        ])
    }

    /// Rows per batch id, through the query engine.
    static func counts(_ snapshot: TableSnapshot) throws -> [String: Int] {
        let result = try snapshot.execute(
            Query(table: spec.name, groupBy: [.column("batch")], aggregations: [Aggregation("n", .count)]))
        var out: [String: Int] = [:]
        for row in result.rows {
            guard case .string(let id) = row[0], case .int64(let n) = row[1] else { continue }
            out[id] = Int(n)
        }
        return out
    }

    /// Options for fast tests: no background flush unless asked.
    static func options(
        durability: Database.Durability = .fsync, directWriteRows: Int = 16_384, headRowLimit: Int = 1_000_000
    ) -> Database.Options {
        var o = Database.Options()
        o.durability = durability
        o.directWriteRows = directWriteRows
        o.headRowLimit = headRowLimit
        o.flushInterval = nil
        return o
    }

    static func walFiles(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/wal")) ?? []).filter { $0.hasSuffix(".log") }
            .sorted().map { dir + "/wal/" + $0 }
    }
}

extension FileManager {
    func sizeOfFile(_ path: String) -> Int {
        ((try? attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }
}
