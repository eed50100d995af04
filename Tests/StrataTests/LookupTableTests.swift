import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Tables without a time column (users, experiments, countries): one chunk, the same segments, log and
/// appends, joined to time-partitioned tables. Expected answers are computed here from the input rows.
@Suite("Tables without a time column")
struct LookupTableTests {
    static let usersJSON = """
        {"name": "users",
         "dimensions": [{"name": "user_id", "type": "string"}, {"name": "country", "type": "string"},
                        {"name": "premium", "type": "bool"}],
         "metrics": [{"name": "age", "type": "int64"}]}
        """

    static let spec = TableSpec(
        name: "users", timestamp: nil,
        dimensions: [
            DimensionSpec(name: "user_id", type: .string), DimensionSpec(name: "country", type: .string),
            DimensionSpec(name: "premium", type: .bool),
        ],
        metrics: [MetricSpec(name: "age", type: .int64)])

    /// (user_id, country, premium, age)
    typealias User = (id: String, country: String, premium: Bool, age: Int64)

    static func users(_ range: Range<Int>) -> [User] {
        let countries = ["DE", "FR", "US", "JP"]
        return range.map { i in ("u\(i)", countries[i % countries.count], i % 3 == 0, Int64(20 + i % 50)) }
    }

    static func rows(_ users: [User]) -> [[String: Value]] {
        users.map {
            [
                "user_id": .string($0.id), "country": .string($0.country), "premium": .bool($0.premium),
                "age": .int64($0.age),
            ]
        }
    }

    /// The rows as `SELECT *` returns them, sorted by user id.
    static func expected(_ users: [User]) -> [[Value]] {
        users.sorted { $0.id < $1.id }.map { [.string($0.id), .string($0.country), .bool($0.premium), .int64($0.age)] }
    }

    static func allRows(_ db: Database) throws -> [[Value]] {
        try db.query("SELECT * FROM users ORDER BY user_id").rows
    }

    @Test("a JSON spec without timestamp is valid, encodes without it and equals the Swift spec")
    func jsonSpec() throws {
        let decoded = try TableSpec.decode(json: Data(Self.usersJSON.utf8))
        #expect(decoded == Self.spec)
        #expect(!decoded.hasTime)
        #expect(decoded.inputColumns.map(\.name) == ["user_id", "country", "premium", "age"])
        #expect(decoded.visibleColumns.map(\.name) == ["user_id", "country", "premium", "age"])
        let json = String(decoding: decoded.encodeJSON(), as: UTF8.self)
        #expect(!json.contains("timestamp"), "\(json)")
        #expect(try TableSpec.decode(json: decoded.encodeJSON()) == decoded)
    }

    @Test("retention, or no column at all, without a timestamp is a schema error naming the field")
    func validation() throws {
        var spec = Self.spec
        spec.retentionDays = 30
        let retention = #expect(throws: StrataError.self) { try spec.validate() }
        #expect(retention?.code == .schema)
        #expect(retention?.message.contains("retentionDays") == true, "\(retention?.message ?? "")")
        let json = #"{"name": "users", "retentionDays": 7, "dimensions": [{"name": "a", "type": "string"}]}"#
        #expect(throws: StrataError.self) { try TableSpec.decode(json: Data(json.utf8)) }
        let empty = #expect(throws: StrataError.self) { try TableSpec(name: "nothing", timestamp: nil).validate() }
        #expect(empty?.code == .schema)
        // A column cannot take the hidden column's name.
        let hidden = TableSpec(name: "t", timestamp: nil, dimensions: [DimensionSpec(name: "#time", type: .int64)])
        #expect(throws: StrataError.self) { try hidden.validate() }
    }

    @Test("SQL sees exactly the user's columns: *, filters, GROUP BY, DESCRIBE and the catalog")
    func sql() throws {
        let db = Database.inMemory()
        let table = try db.createTable(Self.spec)
        let users = Self.users(0..<40)
        try table.append(rows: Self.rows(users))

        let all = try db.query("SELECT * FROM users ORDER BY user_id")
        #expect(all.columnNames == ["user_id", "country", "premium", "age"])
        #expect(all.rows == Self.expected(users))
        #expect(
            try db.query("SELECT u.* FROM users u LIMIT 1").columnNames == ["user_id", "country", "premium", "age"])

        let filtered = try db.query("SELECT user_id FROM users WHERE country = 'FR' AND age > 30 ORDER BY user_id")
        let wanted = users.filter { $0.country == "FR" && $0.age > 30 }.map(\.id).sorted()
        #expect(filtered.rows == wanted.map { [.string($0)] })

        // sum of a BIGINT is a HUGEINT, as in DuckDB.
        let grouped = try db.query(
            "SELECT country, count(*), sum(age) FROM users WHERE premium GROUP BY country ORDER BY country")
        var sums: [String: (n: Int64, age: Int64)] = [:]
        for u in users where u.premium {
            let (n, age) = sums[u.country] ?? (0, 0)
            sums[u.country] = (n + 1, age + u.age)
        }
        #expect(
            grouped.rows
                == sums.sorted { $0.key < $1.key }.map {
                    [.string($0.key), .int64($0.value.n), .hugeint(Int128($0.value.age))]
                })
        #expect(try db.query("SELECT count(*) FROM users").rows == [[.int64(40)]])

        // The hidden time column is no column of the user's.
        for sql in [##"SELECT "#time" FROM users"##, ##"SELECT u."#time" FROM users u"##] {
            let error = #expect(throws: StrataError.self) { try db.query(sql) }
            #expect(error?.code == .binding, "\(sql)")
        }
        let describe = try db.query("DESCRIBE users")
        #expect(describe.rows.map { $0[0] } == ["user_id", "country", "premium", "age"].map(Value.string))
        let info = try db.query("SELECT name, cid FROM pragma_table_info('users')")
        #expect(
            info.rows
                == ["user_id", "country", "premium", "age"].enumerated().map { [.string($1), .int64(Int64($0))] })
        let columns = try db.query(
            "SELECT column_name, ordinal_position FROM information_schema.columns WHERE table_name = 'users' "
                + "ORDER BY ordinal_position")
        #expect(columns.rows.map { $0[0] } == ["user_id", "country", "premium", "age"].map(Value.string))
        #expect(columns.rows.map { $0[1] } == (1...4).map { .int64(Int64($0)) })
    }

    @Test("the native API: intervals do not apply, time buckets are a clear error, scans show the user's columns")
    func nativeQueries() throws {
        let db = Database.inMemory()
        let table = try db.createTable(Self.spec)
        try table.append(rows: Self.rows(Self.users(0..<10)))
        let snapshot = table.snapshot()
        let interval = Int64(1_790_812_800_000)..<1_790_899_200_000
        let counted = try snapshot.execute(
            Query(table: "users", intervals: [interval], aggregations: [Aggregation("n", .count)]))
        #expect(counted.rows == [[.int64(10)]])
        let error = #expect(throws: StrataError.self) {
            try snapshot.execute(
                Query(table: "users", groupBy: [.timeBucket(.day)], aggregations: [Aggregation("n", .count)]))
        }
        #expect(error?.message.contains("no time column") == true, "\(error?.message ?? "")")
        var analysis = ExperimentAnalysis(experiment: "exp")
        analysis.metrics = [try ExperimentMetric.parse("n=count()")]
        let experiment = #expect(throws: StrataError.self) { try db.analyzeExperiment(analysis, table: "users") }
        #expect(experiment?.message.contains("no time column") == true, "\(experiment?.message ?? "")")
        #expect(try table.scan().columns == ["user_id", "country", "premium", "age"])
        #expect(try table.scan(timeRange: interval).rows.count == 10)
        #expect(throws: StrataError.self) { try table.scan(columns: ["#time"]) }
        // Appends name only the user's columns; the hidden one is no input.
        #expect(throws: StrataError.self) {
            try table.append(rows: [["#time": .int64(5), "user_id": .string("x"), "age": .int64(1)]])
        }
    }

    @Test("native queries equal the reference evaluator's over a table without time")
    func reference() throws {
        let db = Database.inMemory()
        let table = try db.createTable(Self.spec)
        var reference = ReferenceTable(spec: Self.spec)
        let rows = Self.rows(Self.users(0..<200))
        try table.append(rows: rows)
        reference.append(rows: rows)
        let queries = [
            Query(
                table: "users", groupBy: [.column("country")],
                aggregations: [
                    Aggregation("n", .count), Aggregation("s", .sum, column: "age"),
                    Aggregation("a", .avg, column: "age"),
                ]),
            Query(
                table: "users", intervals: [0..<1], filter: .equals("premium", .bool(true)),
                groupBy: [.column("country"), .column("premium")], aggregations: [Aggregation("m", .max, column: "age")]
            ),
        ]
        for query in queries {
            let expected = try ReferenceEvaluator.evaluate(query, on: reference)
            #expect(expected.mismatch(try db.execute(query)) == nil)
        }
        let bucketed = Query(table: "users", groupBy: [.timeBucket(.hour)], aggregations: [Aggregation("n", .count)])
        #expect(throws: StrataError.self) { try ReferenceEvaluator.evaluate(bucketed, on: reference) }
    }

    @Test("rows survive the log, flush, compaction and reopening")
    func persistence() throws {
        let dir = TestDirectory()
        var options = Database.Options()
        options.flushInterval = nil
        options.directWriteRows = 1_000
        let first = Self.users(0..<30)
        let second = Self.users(30..<50)
        do {
            let db = try Database.open(at: dir.path, options: options)
            let table = try db.createTable(try TableSpec.decode(json: Data(Self.usersJSON.utf8)))
            for chunk in stride(from: 0, to: first.count, by: 10) {
                try table.append(rows: Self.rows(Array(first[chunk..<min(chunk + 10, first.count)])))
            }
            #expect(try Self.allRows(db) == Self.expected(first))
            // Dropped without close: the rows are only in the log.
        }
        do {
            let db = try Database.open(at: dir.path, options: options)
            #expect(try Self.allRows(db) == Self.expected(first), "replayed from the log")
            let table = try db.table(named: "users")
            try table.flush()
            try table.append(rows: Self.rows(Array(second.prefix(10))))
            try table.flush()
            try table.append(rows: Self.rows(Array(second.dropFirst(10))))
            try table.flush()
            #expect(table.segments.count >= 2)
            #expect(table.segments.allSatisfy { $0.chunk.contains(0) && $0.timeRange == 0...0 })
            _ = try table.compact()
            #expect(table.segments.count == 1)
            #expect(try Self.allRows(db) == Self.expected(first + second))
            try db.close()
        }
        let db = try Database.open(at: dir.path, options: options)
        #expect(try Self.allRows(db) == Self.expected(first + second), "read from segments")
        #expect(try db.table(named: "users").spec == Self.spec)
        try db.close()
    }

    @Test("CSV and JSON Lines ingest read the user's columns; no time column is asked for")
    func ingest() throws {
        let db = Database.inMemory()
        let table = try db.createTable(Self.spec)
        let csv = "user_id,country,premium,age\nu1,DE,true,31\nu2,FR,false,\n"
        let report = try table.ingest(csvData: Array(csv.utf8), name: "users.csv")
        #expect(report.rowsStored == 2 && report.rowsRejected == 0)
        let jsonl =
            #"{"user_id": "u3", "country": "US", "premium": false, "age": 45}"# + "\n"
            + #"{"country": "JP", "user_id": "u4", "age": 19}"# + "\n"
        try table.ingest(jsonLinesData: Array(jsonl.utf8), name: "users.jsonl")
        #expect(
            try Self.allRows(db) == [
                [.string("u1"), .string("DE"), .bool(true), .int64(31)],
                [.string("u2"), .string("FR"), .bool(false), .null],
                [.string("u3"), .string("US"), .bool(false), .int64(45)],
                [.string("u4"), .string("JP"), .null, .int64(19)],
            ])
        // A header naming a time column the table does not have is an extra column, rejected when asked.
        let extra = "ts,user_id,country,premium,age\n2026-10-01,u5,DE,true,1\n"
        #expect(throws: StrataError.self) {
            try table.ingest(csvData: Array(extra.utf8), name: "x.csv", options: IngestOptions(extraColumns: .reject))
        }
    }

    @Test("a rolled-up table without time merges rows with equal dimensions, whatever the granularity")
    func rollup() throws {
        let db = Database.inMemory()
        let spec = TableSpec(
            name: "by_country", timestamp: nil, dimensions: [DimensionSpec(name: "country", type: .string)],
            metrics: [MetricSpec(name: "age", type: .int64)],
            rollup: RollupSpec(
                granularity: .minute,
                aggregates: [
                    AggregateSpec(name: "n", type: .count), AggregateSpec(name: "ages", type: .sum, column: "age"),
                ]))
        let table = try db.createTable(spec)
        let users = Self.users(0..<30)
        try table.append(rows: users.map { ["country": .string($0.country), "age": .int64($0.age)] })
        try table.flush()
        var expected: [String: (n: Int64, age: Int64)] = [:]
        for u in users {
            let (n, age) = expected[u.country] ?? (0, 0)
            expected[u.country] = (n + 1, age + u.age)
        }
        #expect(table.rowCount == expected.count)
        let result = try db.query(
            "SELECT country, count(*), sum(age) FROM by_country GROUP BY country ORDER BY country")
        #expect(
            result.rows
                == expected.sorted { $0.key < $1.key }.map {
                    [.string($0.key), .int64($0.value.n), .hugeint(Int128($0.value.age))]
                })
        #expect(try db.query("SELECT * FROM by_country LIMIT 1").columnNames == ["country", "n", "ages"])
    }

    @Test("a time-partitioned table joins a table without time")
    func join() throws {
        let db = Database.inMemory()
        let users = Self.users(0..<12)
        try db.createTable(Self.spec).append(rows: Self.rows(users))
        let events = try db.createTable(
            TableSpec(
                name: "events", timestamp: TimestampSpec(column: "ts"),
                dimensions: [DimensionSpec(name: "user_id", type: .string)],
                metrics: [MetricSpec(name: "revenue", type: .int64)], segmentGranularity: .day))
        let day: Int64 = 1_790_812_800_000
        // Three days of events; u12 and u13 have no row in users.
        let input: [(ts: Int64, user: String, revenue: Int64)] = (0..<60).map { i in
            (day + Int64(i % 3) * 86_400_000 + Int64(i) * 1000, "u\(i % 14)", Int64(i))
        }
        try events.append(
            rows: input.map { ["ts": .timestamp($0.ts), "user_id": .string($0.user), "revenue": .int64($0.revenue)] })

        let result = try db.query(
            """
            SELECT u.country, count(*) AS n, sum(e.revenue) AS revenue
            FROM events e JOIN users u ON e.user_id = u.user_id
            WHERE e.ts >= TIMESTAMP '2026-10-02' GROUP BY u.country ORDER BY u.country
            """)
        let countryOf = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.country) })
        var expected: [String: (Int64, Int64)] = [:]
        for e in input where e.ts >= day + 86_400_000 {
            guard let country = countryOf[e.user] else { continue }
            let (n, sum) = expected[country] ?? (0, 0)
            expected[country] = (n + 1, sum + e.revenue)
        }
        #expect(
            result.rows
                == expected.sorted { $0.key < $1.key }.map {
                    [.string($0.key), .int64($0.value.0), .hugeint(Int128($0.value.1))]
                })

        // SELECT * over the join shows the events' columns, then the users' (no hidden time column).
        let star = try db.query("SELECT * FROM events e JOIN users u USING (user_id) LIMIT 1")
        #expect(star.columnNames == ["ts", "user_id", "revenue", "country", "premium", "age"])
    }
}
