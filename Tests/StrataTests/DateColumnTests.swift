import Foundation
import Strata
import StrataCore
import Testing

/// DATE columns: a `date` dimension and a DATE time column, as TPC-H's orders have them. Values keep their day,
/// SQL sees DATE (printed `YYYY-MM-DD`), and time filters prune by day.
@Suite("DATE columns")
struct DateColumnTests {
    static let json = """
        {"name": "orders",
         "timestamp": {"column": "o_orderdate", "type": "date"},
         "dimensions": [{"name": "o_orderkey", "type": "int64"}, {"name": "o_shipby", "type": "date"}],
         "metrics": [{"name": "o_total", "type": "double"}],
         "segmentGranularity": "month"}
        """

    static func database() throws -> Database {
        let db = Database.inMemory()
        let table = try db.createTable(try TableSpec.decode(json: Data(Self.json.utf8)))
        let csv = """
            o_orderdate,o_orderkey,o_shipby,o_total
            1995-03-11,1,1995-03-20,10.5
            1995-03-11 23:59:59,2,1995-04-01T08:00:00,20
            1995-04-02,3,,30
            1996-01-01,4,1996-01-15,40
            """
        _ = try table.ingest(csvData: Array(csv.utf8))
        return db
    }

    @Test("the spec round-trips with the time column's type, and a timestamp spec stays as it was")
    func specCoding() throws {
        let spec = try TableSpec.decode(json: Data(Self.json.utf8))
        #expect(spec.timestamp?.type == .date)
        #expect(spec.dimensions[1].type == .date)
        #expect(try TableSpec.decode(json: spec.encodeJSON()) == spec)
        let plain = TableSpec(name: "t", dimensions: [DimensionSpec(name: "d", type: .string)])
        #expect(!String(decoding: plain.encodeJSON(), as: UTF8.self).contains("\"type\":\"timestamp\""))
        let bad = #"{"name": "t", "timestamp": {"column": "ts", "type": "int64"}, "dimensions": [{"name": "d", "type": "string"}]}"#
        #expect(throws: StrataError.self) { try TableSpec.decode(json: Data(bad.utf8)) }
    }

    @Test("values keep their day and read as DATE")
    func valuesAreDays() throws {
        let db = try Self.database()
        let result = try db.query(
            "SELECT o_orderkey, o_orderdate, o_shipby, typeof(o_orderdate) AS t, typeof(o_shipby) AS u FROM orders ORDER BY 1")
        #expect(
            result.rows.map { $0.map(\.description) } == [
                ["1", "1995-03-11", "1995-03-20", "DATE", "DATE"],
                ["2", "1995-03-11", "1995-04-01", "DATE", "DATE"],
                ["3", "1995-04-02", "NULL", "DATE", "DATE"],
                ["4", "1996-01-01", "1996-01-15", "DATE", "DATE"],
            ])
        let described = try db.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders'")
        #expect(described.rows.map { $0.map(\.description) }.contains(["o_orderdate", "DATE"]))
        #expect(described.rows.map { $0.map(\.description) }.contains(["o_shipby", "DATE"]))
    }

    @Test("date filters, arithmetic and grouping")
    func filtersAndGrouping() throws {
        let db = try Self.database()
        let march = try db.query(
            "SELECT count(*) FROM orders WHERE o_orderdate >= DATE '1995-03-01' AND o_orderdate < DATE '1995-03-01' + INTERVAL '1' MONTH")
        #expect(march.rows == [[.int64(2)]])
        let late = try db.query("SELECT o_orderkey FROM orders WHERE o_shipby > o_orderdate + INTERVAL '10' DAY ORDER BY 1")
        #expect(late.rows == [[.int64(2)], [.int64(4)]])
        let years = try db.query(
            "SELECT extract(year FROM o_orderdate) AS y, count(*) AS n, sum(o_total) AS total FROM orders GROUP BY 1 ORDER BY 1")
        #expect(years.rows == [[.int64(1995), .int64(3), .double(60.5)], [.int64(1996), .int64(1), .double(40)]])
    }

    @Test("DATE columns survive the log, flushes, reopening and JSON Lines ingest")
    func persistence() throws {
        let dir = TestDirectory()
        var options = Database.Options()
        options.flushInterval = nil
        let query = "SELECT o_orderkey, o_orderdate, o_shipby FROM orders ORDER BY 1"
        let expected = [
            ["1", "1995-03-11", "1995-03-20"], ["2", "1996-02-29", "NULL"], ["3", "1996-03-01", "1996-03-02"],
        ]
        do {
            let db = try Database.open(at: dir.path, options: options)
            let table = try db.createTable(try TableSpec.decode(json: Data(Self.json.utf8)))
            let jsonl =
                #"{"o_orderdate": "1995-03-11", "o_orderkey": 1, "o_shipby": "1995-03-20T10:00:00", "o_total": 1}"#
                + "\n" + #"{"o_orderdate": "1996-02-29 13:00:00", "o_orderkey": 2, "o_total": 2}"# + "\n"
            _ = try table.ingest(jsonLinesData: Array(jsonl.utf8), name: "orders.jsonl")
            try table.append(rows: [
                [
                    "o_orderdate": .timestamp(try Timestamp.parse("1996-03-01 23:00:00").get()), "o_orderkey": .int64(3),
                    "o_shipby": .string("1996-03-02"), "o_total": .double(3),
                ]
            ])
            #expect(try db.query(query).rows.map { $0.map(\.description) } == expected)
            // Dropped without close: the rows are only in the log.
        }
        do {
            let db = try Database.open(at: dir.path, options: options)
            let replayed = try db.query(query).rows.map { $0.map(\.description) }
            #expect(replayed == expected, "replayed from the log: \(replayed)")
            try db.table(named: "orders").flush()
            try db.close()
        }
        let db = try Database.open(at: dir.path, options: options)
        #expect(try db.query(query).rows.map { $0.map(\.description) } == expected, "read from segments")
        #expect(try db.table(named: "orders").spec.timestamp?.type == .date)
        try db.close()
    }

    @Test("an instant outside the years 0001-9999 for a DATE column is an ingest error, not a trap")
    func outOfRangeDates() throws {
        let db = Database.inMemory()
        let table = try db.createTable(try TableSpec.decode(json: Data(Self.json.utf8)))
        for bad in [Int64.min, Int64.max, Timestamp.minimum - 1] {
            let row: [String: Value] = ["o_orderdate": .int64(bad), "o_orderkey": .int64(1), "o_total": .double(1)]
            #expect(throws: StrataError.self) { try table.append(rows: [row]) }
            let shipBy: [String: Value] = [
                "o_orderdate": .string("1995-03-11"), "o_orderkey": .int64(1), "o_shipby": .int64(bad), "o_total": .double(1),
            ]
            #expect(throws: StrataError.self) { try table.append(rows: [shipBy]) }
        }
        let jsonl = #"{"o_orderdate": -9223372036854775808, "o_orderkey": 1, "o_total": 1}"# + "\n"
        let report = try? table.ingest(jsonLinesData: Array(jsonl.utf8), name: "bad.jsonl")
        #expect(report?.rowsStored ?? 0 == 0)
        #expect(try db.query("SELECT count(*) FROM orders").rows == [[.int64(0)]])
    }
}
