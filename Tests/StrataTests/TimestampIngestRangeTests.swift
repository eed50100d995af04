import Strata
import StrataCore
import Testing

/// Every timestamp column is range-checked at ingest, not only the time axis: a dimension holding
/// `Int64.min` would otherwise reach `date_trunc` and `extract`, whose calendar arithmetic holds for
/// the years 0001-9999 only.
@Suite("Timestamp columns out of range at ingest")
struct TimestampIngestRangeTests {
    @Test("a timestamp dimension past the years 0001-9999 is an ingest error naming the row and column")
    func dimensionOutOfRange() throws {
        let db = Database.inMemory()
        let spec = TableSpec(
            name: "t", dimensions: [DimensionSpec(name: "seen", type: .timestamp)],
            metrics: [MetricSpec(name: "x", type: .int64)])
        let table = try db.createTable(spec)
        let error = #expect(throws: StrataError.self) {
            try table.append(rows: [
                ["ts": "2026-10-01 10:00:00", "seen": "2026-10-01 09:00:00", "x": .int64(1)],
                ["ts": "2026-10-01 10:00:00", "seen": .timestamp(.min), "x": .int64(1)],
            ])
        }
        #expect(error?.code == .ingest)
        #expect(error?.message.contains("row 2: column 'seen'") == true, "\(String(describing: error))")
        // A NULL is not out of range; in-range rows still go in.
        try table.append(rows: [["ts": "2026-10-01 10:00:00", "x": .int64(1)]])
        let result = try db.query("SELECT count(*), count(seen) FROM t")
        #expect(result.rows == [[.int64(1), .int64(0)]])
    }
}
