import Strata
import StrataCore
import StrataTestSupport
import Testing

@Suite("Query kinds: time series, post-aggregations, scans, metadata")
struct QueryKindTests {
    static let hour: Int64 = 3_600_000
    static let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay

    static func table() throws -> (Database, Table) {
        let db = Database.inMemory()
        let spec = TableSpec(
            name: "e",
            dimensions: [DimensionSpec(name: "variant", type: .string), DimensionSpec(name: "user", type: .string)],
            metrics: [MetricSpec(name: "revenue", type: .double)])
        let table = try db.createTable(spec)
        try table.append(rows: [
            ["ts": .timestamp(start + 10), "variant": "a", "user": "u1", "revenue": 5.0],
            ["ts": .timestamp(start + 2 * hour + 5), "variant": "a", "user": "u2", "revenue": 7.0],
            ["ts": .timestamp(start + hour + 1), "variant": "b", "user": "u3", "revenue": 0.0],
        ])
        return (db, table)
    }

    @Test("a time series fills every group × bucket in the intervals")
    func gapFill() throws {
        let (db, _) = try Self.table()
        var query = Query(table: "e", intervals: [Self.start..<(Self.start + 3 * Self.hour)])
        query.groupBy = [.column("variant"), .timeBucket(.hour)]
        query.aggregations = [Aggregation("n", .count), Aggregation("r", .sum, column: "revenue")]
        query.gapFill = GapFill(values: ["r": .double(0)])
        query.orderBy = [OrderKey("variant"), OrderKey("hour_bucket")]
        let rows = try db.execute(query).rows
        let h = { (k: Int64) in Value.timestamp(Self.start + k * Self.hour) }
        #expect(
            rows == [
                ["a", h(0), .int64(1), .double(5)], ["a", h(1), .int64(0), .double(0)],
                ["a", h(2), .int64(1), .double(7)],
                ["b", h(0), .int64(0), .double(0)], ["b", h(1), .int64(1), .double(0)],
                ["b", h(2), .int64(0), .double(0)],
            ])
        query.intervals = []
        #expect(throws: StrataError.self) { try db.execute(query) }
    }

    @Test("post-aggregations compute over aggregates, with NULL for division by zero")
    func postAggregations() throws {
        let (db, _) = try Self.table()
        var query = Query(table: "e", groupBy: [.column("variant")])
        query.aggregations = [
            Aggregation("revenue", .sum, column: "revenue"),
            Aggregation("buyers", .count, filter: .compare("revenue", .greaterThan, 0)),
        ]
        query.postAggregations = [
            PostAggregation("per_buyer", .divide(.column("revenue"), .column("buyers"))),
            PostAggregation("doubled", .multiply(.column("revenue"), .constant(2))),
        ]
        query.orderBy = [OrderKey("variant")]
        let result = try db.execute(query)
        #expect(result.columnNames == ["variant", "revenue", "buyers", "per_buyer", "doubled"])
        #expect(
            result.rows == [
                ["a", .double(12), .int64(2), .double(6), .double(24)],
                ["b", .double(0), .int64(0), .null, .double(0)],
            ])
        query.postAggregations = [PostAggregation("bad", .column("nope"))]
        #expect(throws: StrataError.self) { try db.execute(query) }
    }

    @Test("a scan query returns matching rows' columns with offset and limit, and stops early")
    func scan() throws {
        let db = Database.inMemory(
            options: {
                var o = Database.Options(); o.blockRowCount = 64; return o
            }())
        let table = try db.createTable(RandomTable.spec())
        try table.append(RandomTable.batch(rows: 2000, days: 2, seed: 5))
        let all = try table.scan(columns: ["ts", "country", "amount"]).rows
        let expected = all.filter { $0[1] == "US" }
        let result = try db.execute(
            ScanQuery(table: "t", columns: ["ts", "country", "amount"], filter: .equals("country", "US")))
        #expect(result.rows == expected)
        let page = try db.execute(
            ScanQuery(
                table: "t", columns: ["ts", "country", "amount"], filter: .equals("country", "US"), limit: 5, offset: 3)
        )
        #expect(page.rows == Array(expected[3..<8]))
        #expect(page.stats.rowsScanned < result.stats.rowsScanned)
        #expect(throws: StrataError.self) { try db.execute(ScanQuery(table: "t", columns: ["nope"])) }
    }

    @Test("time boundary and segment metadata describe what is stored")
    func metadata() throws {
        let (_, table) = try Self.table()
        #expect(table.timeBoundary == (Self.start + 10)...(Self.start + 2 * Self.hour + 5))
        #expect(table.segments.count == 1)
        #expect(table.segments[0].sizeBytes > 0)
        let empty = try Database.inMemory().createTable(RandomTable.spec())
        #expect(empty.timeBoundary == nil)
    }
}

@Suite("Typed results")
struct TypedResultTests {
    @Test("rows iterate with typed accessors by column name; columns read top to bottom")
    func typedAccess() throws {
        let (db, _) = try QueryKindTests.table()
        var query = Query(table: "e", groupBy: [.column("variant")])
        query.aggregations = [Aggregation("n", .count), Aggregation("r", .sum, column: "revenue")]
        query.orderBy = [OrderKey("variant")]
        let result = try db.execute(query)
        #expect(result.count == 2)
        var seen: [String] = []
        for row in result {
            seen.append(row.string("variant") ?? "?")
            #expect(row.int64("N") != nil)
            #expect(row.double("r") != nil)
            #expect(row.string("n") == nil && row["missing"] == nil)
        }
        #expect(seen == ["a", "b"])
        #expect(result[1].int64("n") == 1)
        #expect(result.column("r") == [.double(12), .double(0)])
        #expect(result.column("nope") == nil)
    }
}
