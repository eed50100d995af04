import Foundation
import Strata
import StrataCore
import Synchronization
import Testing

/// `CREATE TABLE`, `CREATE TABLE … AS`, `DROP TABLE` and `INSERT` through `db.query`: answers, errors, atomicity and
/// durability across reopening.
@Suite("SQL CREATE TABLE, DROP TABLE and INSERT")
struct SQLDefinitionTests {
    static func count(_ result: QueryResult) -> Int64? {
        guard result.columnNames == ["Count"], result.rows.count == 1, case .int64(let n) = result.rows[0][0] else {
            return nil
        }
        return n
    }

    static func error(_ db: Database, _ sql: String) -> StrataError? {
        #expect(throws: StrataError.self, "\(sql)") { try db.query(sql) }
    }

    @Test("CREATE TABLE, INSERT … VALUES and SELECT answer as DuckDB does; missing columns read NULL")
    func createInsertSelect() throws {
        let db = Database.inMemory()
        let created = try db.query("CREATE TABLE t (a INTEGER, b VARCHAR, ts TIMESTAMP, d DECIMAL(10,2), ok BOOLEAN)")
        #expect(created.columnNames == ["Count"] && created.rows.isEmpty)
        #expect(db.tableNames == ["t"])
        #expect(try db.table(named: "t").spec.hasTime == false)
        #expect(
            Self.count(
                try db.query("INSERT INTO t VALUES (1, 'x', '2024-01-01', 1.5, true), (2, NULL, NULL, NULL, NULL)"))
                == 2)
        #expect(Self.count(try db.query("INSERT INTO t (b, a) VALUES ('y', 3.6)")) == 1)
        let rows = try db.query("SELECT a, b, ts, d, ok FROM t ORDER BY a").rows
        #expect(rows.count == 3)
        #expect(
            rows[0] == [
                .int64(1), .string("x"), .timestamp(1_704_067_200_000),
                .decimal(DecimalValue(unscaled: 150, precision: 10, scale: 2)), .bool(true),
            ])
        #expect(rows[1] == [.int64(2), .null, .null, .null, .null])
        // 3.6 rounds to 4 as DuckDB's cast to INTEGER does; the columns not named are NULL.
        #expect(rows[2] == [.int64(4), .string("y"), .null, .null, .null])
        #expect(try db.query("DESCRIBE t").rows.count == 5)
    }

    @Test("WITH (…) takes the JSON spec's options: the time column, segment granularity, sort key, rollup")
    func tableOptions() throws {
        let db = Database.inMemory()
        _ = try db.query(
            """
            CREATE TABLE ev (ts TIMESTAMP NOT NULL, user_id VARCHAR, country VARCHAR, revenue DOUBLE)
            WITH (timestamp = 'ts', segment_granularity = 'hour', sort_key = 'country, user_id', codec = 'zstd')
            """)
        let spec = try db.table(named: "ev").spec
        #expect(spec.timestamp?.column == "ts" && spec.segmentGranularity == .hour && spec.codec == .zstd)
        #expect(spec.sortKey == ["country", "user_id"])
        #expect(spec.dimensions.map(\.name) == ["user_id", "country", "revenue"])
        _ = try db.query(
            "INSERT INTO ev VALUES ('2024-01-01 10:00', 'u1', 'DE', 1.5), ('2024-01-01 11:30', 'u2', 'FR', 2.5)")
        #expect(try db.table(named: "ev").segments.count == 2)  // one per hour chunk
        #expect(try db.query("SELECT sum(revenue) FROM ev WHERE ts >= '2024-01-01 11:00'").rows == [[.double(2.5)]])
        // A NULL time is refused, naming the column.
        let null = Self.error(db, "INSERT INTO ev (user_id) VALUES ('u3')")
        #expect(null?.message.contains("'ts'") == true)

        _ = try db.query(
            """
            CREATE TABLE hourly (ts TIMESTAMP, country VARCHAR, revenue DOUBLE) WITH (timestamp = 'ts',
              rollup = '{"granularity": "hour", "aggregates": [{"name": "n", "type": "count"},
                         {"name": "revenue_sum", "type": "sum", "column": "revenue"}]}')
            """)
        let rollup = try db.table(named: "hourly").spec
        #expect(rollup.metrics.map(\.name) == ["revenue"] && rollup.dimensions.map(\.name) == ["country"])
        _ = try db.query(
            "INSERT INTO hourly VALUES ('2024-01-01 10:00', 'DE', 1), ('2024-01-01 10:20', 'DE', 2), ('2024-01-01 10:40', 'FR', 4)"
        )
        #expect(try db.table(named: "hourly").rowCount == 2)
        #expect(
            try db.query("SELECT country, sum(revenue_sum) FROM hourly GROUP BY 1 ORDER BY 1").rows == [
                [.string("DE"), .double(3)], [.string("FR"), .double(4)],
            ])

        for (sql, fragment) in [
            ("CREATE TABLE a (x BIGINT) WITH (timestamp = 'x')", "not a TIMESTAMP"),
            ("CREATE TABLE a (x TIMESTAMP) WITH (timestamp = 'y')", "no column 'y'"),
            ("CREATE TABLE a (x BIGINT) WITH (segment_granularity = 'year')", "expected one of"),
            ("CREATE TABLE a (x BIGINT) WITH (sortkey = 'x')", "did you mean 'sort_key'"),
            ("CREATE TABLE a (x BIGINT) WITH (sort_key = 'y')", "not a dimension"),
            ("CREATE TABLE a (x HUGEINT)", "not supported"),
            ("CREATE TABLE a (x BIGINT, X VARCHAR)", "declared twice"),
        ] {
            let error = Self.error(db, sql)
            #expect(error?.message.contains(fragment) == true, "\(sql): \(error?.description ?? "no error")")
            #expect(error?.location?.offset != nil, "\(sql)")
        }
        #expect(!db.tableNames.contains("a"))
    }

    @Test("IF NOT EXISTS leaves the table as it is; OR REPLACE swaps in the new table and its rows")
    func existingTables() throws {
        let db = Database.inMemory()
        _ = try db.query("CREATE TABLE t (a BIGINT)")
        _ = try db.query("INSERT INTO t VALUES (1), (2)")
        #expect(Self.error(db, "CREATE TABLE T (b VARCHAR)")?.code == .alreadyExists)
        #expect(try db.query("CREATE TABLE IF NOT EXISTS t (b VARCHAR)").rows.isEmpty)
        #expect(try db.query("SELECT count(*) FROM t").rows == [[.int64(2)]])
        #expect(Self.count(try db.query("CREATE OR REPLACE TABLE t AS SELECT 'x' AS b UNION ALL SELECT 'y'")) == 2)
        #expect(try db.query("SELECT b FROM t ORDER BY b").rows == [[.string("x")], [.string("y")]])
        _ = try db.query("CREATE OR REPLACE TABLE t (c DOUBLE)")
        #expect(try db.query("SELECT count(*) FROM t").rows == [[.int64(0)]])
        #expect(try db.table(named: "t").spec.dimensions.map(\.name) == ["c"])
    }

    @Test("CREATE TABLE … AS streams a large result into segments with the query's column types")
    func createTableAsLargeQuery() throws {
        let db = Database.inMemory()
        _ = try db.query("CREATE TABLE src (k BIGINT, g VARCHAR, v DOUBLE, d DECIMAL(12,3))")
        let table = try db.table(named: "src")
        let n = 40_000
        try table.append(
            ColumnBatch([
                "k": .int64((0..<n).map { Int64($0) }), "g": .string((0..<n).map { "g\($0 % 7)" }),
                "v": .double((0..<n).map { Double($0) / 4 }), "d": .int64((0..<n).map { Int64($0) }),
            ]))
        let created = try db.query("CREATE TABLE ans AS SELECT k, g, v * 2 AS v2, d FROM src WHERE k % 2 = 0")
        #expect(Self.count(created) == Int64(n / 2))
        let ans = try db.table(named: "ans")
        #expect(ans.spec.dimensions.map(\.type) == [.int64, .string, .double, .decimal(precision: 12, scale: 3)])
        #expect(ans.rowCount == n / 2 && ans.segments.allSatisfy { !$0.isHead })
        #expect(
            try db.query("SELECT count(*), sum(k), max(g), sum(v2) FROM ans").rows
                == db.query("SELECT count(*), sum(k), max(g), sum(v * 2) FROM src WHERE k % 2 = 0").rows)
        // Grouped results (the H2O.ai benchmark's `CREATE TABLE ans AS SELECT … GROUP BY`): an integer sum is
        // stored as BIGINT.
        #expect(
            Self.count(try db.query("CREATE TABLE per_g AS SELECT g, sum(k) AS s, avg(v) AS m FROM src GROUP BY g"))
                == 7)
        #expect(try db.table(named: "per_g").spec.dimensions.map(\.type) == [.string, .int64, .double])
        #expect(
            try db.query("SELECT sum(s) FROM per_g").rows == [[.hugeint(Int128(n) * Int128(n - 1) / 2)]])
        #expect(Self.error(db, "CREATE TABLE bad AS SELECT k, k FROM src")?.message.contains("two columns") == true)
        #expect(
            Self.error(db, "CREATE TABLE bad AS SELECT count(*) FROM src")?.message.contains("give it an alias") == true
        )
        #expect(!db.tableNames.contains("bad"))
    }

    @Test("INSERT … SELECT maps columns by position, casts them, and names the table and column it cannot fill")
    func insertSelect() throws {
        let db = Database.inMemory()
        _ = try db.query("CREATE TABLE t (a BIGINT, b VARCHAR, ts TIMESTAMP)")
        #expect(
            Self.count(
                try db.query("INSERT INTO t (b, a) SELECT 'v' || x, x * 10 FROM (SELECT 1 AS x UNION ALL SELECT 2)"))
                == 2)
        #expect(Self.count(try db.query("INSERT INTO t SELECT a + 1, b, TIMESTAMP '2024-05-01' FROM t")) == 2)
        #expect(Self.count(try db.query("INSERT INTO t SELECT * FROM t WHERE a > 100")) == 0)
        #expect(
            try db.query("SELECT a, b, ts FROM t ORDER BY a").rows == [
                [.int64(10), .string("v1"), .null], [.int64(11), .string("v1"), .timestamp(1_714_521_600_000)],
                [.int64(20), .string("v2"), .null], [.int64(21), .string("v2"), .timestamp(1_714_521_600_000)],
            ])
        let mismatch = Self.error(db, "INSERT INTO t (ts) SELECT true")
        #expect(mismatch?.code == .type && mismatch?.message.contains("column 'ts'") == true)
        let bad = Self.error(db, "INSERT INTO t VALUES ('abc', 'x', NULL)")
        #expect(bad?.message.contains("column 'a'") == true && bad?.location?.column == 23)
        #expect(Self.error(db, "INSERT INTO t VALUES (1, 'x')")?.message.contains("3 columns but 2 values") == true)
        #expect(Self.error(db, "INSERT INTO t SELECT 1")?.message.contains("3 columns but 1 values") == true)
        #expect(Self.error(db, "INSERT INTO t (zz) VALUES (1)")?.message.contains("no column 'zz'") == true)
        #expect(Self.error(db, "INSERT INTO nope VALUES (1)")?.code == .binding)
        #expect(try db.query("SELECT count(*) FROM t").rows == [[.int64(4)]])
    }

    @Test("DROP TABLE [IF EXISTS]; transactions and unsupported statements are refused clearly")
    func dropAndRefusals() throws {
        let db = Database.inMemory()
        _ = try db.query("CREATE TABLE t (a BIGINT)")
        let dropped = try db.query("DROP TABLE t")
        #expect(dropped.columnNames == ["Success"] && db.tableNames.isEmpty)
        #expect(Self.error(db, "DROP TABLE t")?.code == .notFound)
        #expect(try db.query("DROP TABLE IF EXISTS t").columnNames == ["Success"])
        for sql in [
            "BEGIN", "BEGIN TRANSACTION", "COMMIT", "ROLLBACK", "UPDATE t SET a = 1",
            "ALTER TABLE t ADD COLUMN b BIGINT",
        ] {
            #expect(Self.error(db, sql)?.code == .unsupported, "\(sql)")
        }
        #expect(Self.error(db, "CREATE TABLE x (a BIGINT) AS SELECT 1")?.code == .syntax)
        // A snapshot's catalog changes nothing.
        _ = try db.query("CREATE TABLE s (a BIGINT)")
        let snapshot = try db.table(named: "s").snapshot()
        #expect(throws: StrataError.self) { try snapshot.query("INSERT INTO s VALUES (1)") }
    }

    @Test("created tables, inserted rows and drops survive closing, and a process that never closed")
    func durability() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path)
            _ = try db.query("CREATE TABLE t (a BIGINT, b VARCHAR)")
            _ = try db.query("INSERT INTO t VALUES (1, 'x'), (2, 'y')")
            _ = try db.query("CREATE TABLE c AS SELECT a * 2 AS a2 FROM t")
            _ = try db.query("CREATE TABLE gone (a BIGINT)")
            _ = try db.query("DROP TABLE gone")
            try db.close()
        }
        do {
            // No close: the insert is only in the log, replayed on the next open.
            let db = try Database.open(at: dir.path)
            #expect(db.tableNames == ["c", "t"])
            _ = try db.query("INSERT INTO t VALUES (3, 'z')")
        }
        let db = try Database.open(at: dir.path)
        #expect(try db.query("SELECT a, b FROM t ORDER BY a").rows.map { $0[0] } == [.int64(1), .int64(2), .int64(3)])
        #expect(try db.query("SELECT a2 FROM c ORDER BY 1").rows == [[.int64(2)], [.int64(4)]])
        try db.close()

        let readOnly = try Database.open(at: dir.path, mode: .readOnly)
        for sql in [
            "CREATE TABLE z (a BIGINT)", "INSERT INTO t VALUES (4, 'w')", "DROP TABLE t",
            "CREATE TABLE z AS SELECT 1 AS a",
        ] {
            let error = Self.error(readOnly, sql)
            #expect(error?.message.contains("read-only") == true, "\(sql)")
        }
        #expect(readOnly.tableNames == ["c", "t"])
    }

    @Test("CREATE TABLE … AS stopped after writing its segments leaves no table, before and after reopening")
    func createTableAsIsAtomic() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path)
            _ = try db.query("CREATE TABLE t (a BIGINT)")
            _ = try db.query("INSERT INTO t VALUES (1), (2)")
            _ = try db.query("CREATE TABLE r AS SELECT a FROM t")
            db.crashPoint.withLock { $0 = .afterSegmentWrite }
            #expect(throws: StrataError.self) { try db.query("CREATE TABLE c AS SELECT a FROM t") }
            #expect(throws: StrataError.self) { try db.query("CREATE OR REPLACE TABLE r AS SELECT a + 10 AS b FROM t") }
            #expect(db.tableNames == ["r", "t"])
            #expect(try db.query("SELECT a FROM r ORDER BY a").rows == [[.int64(1)], [.int64(2)]])
        }
        let db = try Database.open(at: dir.path)
        #expect(db.tableNames == ["r", "t"])
        #expect(try db.query("SELECT a FROM r ORDER BY a").rows == [[.int64(1)], [.int64(2)]])
    }
}

@Suite("SQL CREATE VIEW and DROP VIEW")
struct SQLViewTests {
    @Test("a view is planned where it is read, sees later rows, shows in SHOW TABLES and information_schema")
    func views() throws {
        let db = Database.inMemory()
        _ = try db.query("CREATE TABLE t (a BIGINT, g VARCHAR)")
        _ = try db.query("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'x')")
        let created = try db.query("CREATE VIEW per_g AS SELECT g, sum(a) AS s FROM t GROUP BY g")
        #expect(created.columnNames == ["Count"] && created.rows.isEmpty)
        #expect(db.viewNames == ["per_g"] && db.tableNames == ["t"])
        #expect(
            try db.query("SELECT g, s FROM per_g ORDER BY g").rows == [
                [.string("x"), .hugeint(4)], [.string("y"), .hugeint(2)],
            ])
        _ = try db.query("INSERT INTO t VALUES (10, 'y')")
        #expect(try db.query("SELECT s FROM main.per_g WHERE g = 'y'").rows == [[.hugeint(12)]])
        // Views of views, joins with tables, CREATE TABLE … AS from a view.
        _ = try db.query(
            "CREATE VIEW top AS SELECT p.g, p.s, count(*) AS n FROM per_g p JOIN t ON p.g = t.g GROUP BY ALL")
        #expect(
            try db.query("SELECT g, n FROM top ORDER BY g").rows == [
                [.string("x"), .int64(2)], [.string("y"), .int64(2)],
            ])
        #expect(SQLDefinitionTests.count(try db.query("CREATE TABLE snap AS SELECT g, n FROM top")) == 2)
        #expect(
            try db.query("SELECT table_name, table_type FROM information_schema.tables ORDER BY 1").rows == [
                [.string("per_g"), .string("VIEW")], [.string("snap"), .string("BASE TABLE")],
                [.string("t"), .string("BASE TABLE")], [.string("top"), .string("VIEW")],
            ])
        #expect(try db.query("SHOW TABLES").rows.count == 4)
    }

    @Test("views share the tables' names, refuse cycles and missing tables, and survive reopening")
    func viewErrorsAndDurability() throws {
        let dir = TestDirectory()
        do {
            let db = try Database.open(at: dir.path)
            _ = try db.query("CREATE TABLE t (a BIGINT)")
            _ = try db.query("INSERT INTO t VALUES (1), (2)")
            _ = try db.query("CREATE VIEW v AS SELECT a * 10 AS b FROM t")
            _ = try db.query("CREATE VIEW w AS SELECT b + 1 AS c FROM v")
            #expect(SQLDefinitionTests.error(db, "CREATE VIEW t AS SELECT 1")?.code == .alreadyExists)
            #expect(SQLDefinitionTests.error(db, "CREATE TABLE v (a BIGINT)")?.code == .alreadyExists)
            #expect(SQLDefinitionTests.error(db, "CREATE VIEW v AS SELECT 1")?.code == .alreadyExists)
            #expect(try db.query("CREATE VIEW IF NOT EXISTS v AS SELECT 1 AS z").rows.isEmpty)
            #expect(SQLDefinitionTests.error(db, "CREATE VIEW x AS SELECT * FROM nosuch")?.code == .binding)
            let cycle = SQLDefinitionTests.error(db, "CREATE OR REPLACE VIEW v AS SELECT c AS b FROM w")
            #expect(cycle?.message.contains("reads itself") == true)
            #expect(SQLDefinitionTests.error(db, "DROP TABLE v")?.message.contains("DROP VIEW") == true)
            #expect(SQLDefinitionTests.error(db, "DROP VIEW t")?.message.contains("DROP TABLE") == true)
            #expect(SQLDefinitionTests.error(db, "DROP VIEW nosuch")?.code == .notFound)
            #expect(try db.query("DROP VIEW IF EXISTS nosuch").columnNames == ["Success"])
            #expect(SQLDefinitionTests.error(db, "INSERT INTO v VALUES (1)")?.code == .binding)
            try db.close()
        }
        let db = try Database.open(at: dir.path)
        #expect(db.viewNames == ["v", "w"])
        #expect(try db.query("SELECT c FROM w ORDER BY c").rows == [[.int64(11)], [.int64(21)]])
        _ = try db.query("CREATE OR REPLACE VIEW v AS SELECT a AS b FROM t WHERE a > 1")
        #expect(try db.query("SELECT c FROM w").rows == [[.int64(3)]])
        // A view whose table is dropped fails where it is read, naming the view.
        _ = try db.query("DROP TABLE t")
        let broken = SQLDefinitionTests.error(db, "SELECT * FROM w")
        #expect(broken?.message.contains("view 'w'") == true)
        #expect(try db.query("DROP VIEW w").columnNames == ["Success"])
        #expect(db.viewNames == ["v"])
    }
}
