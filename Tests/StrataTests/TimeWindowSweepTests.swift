import Foundation
import Strata
import StrataCore
import StrataStorage
import StrataTestSupport
import Testing

/// Every one-hour window of a small table, counted natively and in SQL, on every table spec the
/// README documents and after every write path, against the count of the appended rows. Before
/// the fix, a sort key with `sortTimeGranularity: "day"` lost a quarter of the windows: catalog
/// time ranges came from the first and last rows in sort order.
@Suite("Hour-window sweep")
struct TimeWindowSweepTests {
    static let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
    static let hour: Int64 = 3_600_000

    static let specs: [(String, TableSpec)] = {
        func spec(_ configure: (inout TableSpec) -> Void) -> TableSpec {
            var s = RandomTable.spec()
            configure(&s)
            return s
        }
        return [
            ("plain", spec { _ in }),
            (
                "sortKey, sortTimeGranularity none",
                spec {
                    $0.sortKey = ["country", "flag"]; $0.sortTimeGranularity = QueryGranularity.none
                }
            ),
            (
                "sortKey, sortTimeGranularity hour",
                spec {
                    $0.sortKey = ["country", "flag"]; $0.sortTimeGranularity = .hour
                }
            ),
            (
                "sortKey, sortTimeGranularity day",
                spec {
                    $0.sortKey = ["country", "flag"]; $0.sortTimeGranularity = .day
                }
            ),
            (
                "table dictionary, sortKey, day",
                spec {
                    $0 = RandomTable.spec(userDictionary: .table)
                    $0.sortKey = ["user", "country"]
                    $0.sortTimeGranularity = .day
                }
            ),
            (
                "rollup minute, sortKey, day",
                spec {
                    $0 = RandomTable.spec(
                        rollup: RollupSpec(granularity: .minute, aggregates: RandomTable.rollupAggregates))
                    $0.sortKey = ["country"]
                    $0.sortTimeGranularity = .day
                }
            ),
        ]
    }()

    /// The windows whose counts differ, natively or in SQL, as text.
    static func badWindows(_ db: Database, _ reference: ReferenceTable, days: Int) throws -> [String] {
        var bad: [String] = []
        for h in 0..<(Int64(days) * 24) {
            let window = (start + h * hour)..<(start + (h + 1) * hour)
            let expected = reference.rows.count { row in
                if case .timestamp(let t) = row[0] { window.contains(t) } else { false }
            }
            let native = try db.execute(
                Query(table: "t", intervals: [window], aggregations: [Aggregation("n", .count)]))
            let sql = try db.query(
                """
                SELECT count(*) FROM t WHERE ts >= TIMESTAMP '\(Timestamp.format(milliseconds: window.lowerBound))' \
                AND ts < TIMESTAMP '\(Timestamp.format(milliseconds: window.upperBound))'
                """)
            if native.rows != [[.int64(Int64(expected))]] || sql.rows != [[.int64(Int64(expected))]] {
                bad.append("hour \(h): expected \(expected), native \(native.rows), SQL \(sql.rows)")
            }
        }
        // Equality on existing timestamps.
        for k in stride(from: 0, to: reference.rows.count, by: max(1, reference.rows.count / 25)) {
            guard case .timestamp(let t) = reference.rows[k][0] else { continue }
            let expected = reference.rows.count { $0[0] == .timestamp(t) }
            let sql = try db.query("SELECT count(*) FROM t WHERE ts = TIMESTAMP '\(Timestamp.format(milliseconds: t))'")
            if sql.rows != [[.int64(Int64(expected))]] {
                bad.append("ts = \(t): expected \(expected), SQL \(sql.rows)")
            }
        }
        return bad
    }

    @Test("no hour window loses or gains a row, on any documented spec, after any write path", arguments: 0..<6)
    func sweep(specIndex: Int) throws {
        let (name, spec) = Self.specs[specIndex]
        let directory = TestDirectory()
        var options = Database.Options()
        options.blockRowCount = 128
        options.directWriteRows = 1000
        options.synchronous = false
        options.flushInterval = nil
        var db = try Database.open(at: directory.path, options: options)
        var table = try db.createTable(spec)
        var reference = ReferenceTable(spec: spec)
        // A direct segment write (≥ directWriteRows), then a head part.
        for (rows, seed) in [(3000, 1), (400, 2)] as [(Int, UInt64)] {
            let batch = RandomTable.batch(rows: rows, days: 3, seed: seed)
            try table.append(batch)
            reference.append(batch)
        }
        var bad = try Self.badWindows(db, reference, days: 3)
        #expect(bad.isEmpty, "\(name), direct write + head: \(bad.count) bad windows, first \(bad.first ?? "")")
        try table.flush()
        bad = try Self.badWindows(db, reference, days: 3)
        #expect(bad.isEmpty, "\(name), flushed: \(bad.count) bad windows, first \(bad.first ?? "")")
        _ = try table.compact()
        bad = try Self.badWindows(db, reference, days: 3)
        #expect(bad.isEmpty, "\(name), compacted: \(bad.count) bad windows, first \(bad.first ?? "")")
        try db.close()
        db = try Database.open(at: directory.path, options: options)
        table = try db.table(named: "t")
        bad = try Self.badWindows(db, reference, days: 3)
        #expect(bad.isEmpty, "\(name), reopened: \(bad.count) bad windows, first \(bad.first ?? "")")
        #expect(table.segments.allSatisfy { !$0.isHead })
    }

    @Test("a format-1 catalog with time ranges from sorted rows is corrected from the segment footers on open")
    func formatOneCatalogMigrates() throws {
        let directory = TestDirectory()
        var options = Database.Options()
        options.blockRowCount = 128
        options.directWriteRows = 100
        options.synchronous = false
        let (_, spec) = Self.specs[3]
        var reference = ReferenceTable(spec: spec)
        do {
            let db = try Database.open(at: directory.path, options: options)
            let batch = RandomTable.batch(rows: 2000, days: 3, seed: 5)
            try db.createTable(spec).append(batch)
            reference.append(batch)
            try db.close()
        }
        // What format 1 could hold: each segment's range narrowed to its first hour (rows sorted by
        // day, then key, put arbitrary times first and last).
        let path = directory.path + "/CATALOG"
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let newline = try #require(bytes.firstIndex(of: 10))
        var catalog = try JSONSerialization.jsonObject(with: Data(bytes[(newline + 1)...])) as! [String: Any]
        var tables = catalog["tables"] as! [[String: Any]]
        var segments = tables[0]["segments"] as! [[String: Any]]
        for i in segments.indices {
            let chunkStart = segments[i]["chunkStart"] as! Int64
            segments[i]["minTime"] = chunkStart
            segments[i]["maxTime"] = chunkStart + Self.hour - 1
        }
        tables[0]["segments"] = segments
        catalog["tables"] = tables
        let body = [UInt8](try JSONSerialization.data(withJSONObject: catalog, options: [.sortedKeys]))
        let header = "strata-catalog 1 \(String(CRC32C.checksum(body), radix: 16))\n"
        try Data(Array(header.utf8) + body).write(to: URL(fileURLWithPath: path))

        let db = try Database.open(at: directory.path, options: options)
        let bad = try Self.badWindows(db, reference, days: 3)
        #expect(bad.isEmpty, "\(bad.count) bad windows after migrating, first \(bad.first ?? "")")
        let rewritten = try String(contentsOfFile: path, encoding: .utf8)
        #expect(rewritten.hasPrefix("strata-catalog 2 "))
    }

    @Test("a catalog of an unknown format is refused with a clear error")
    func unknownFormat() throws {
        let directory = TestDirectory()
        let db = try Database.open(at: directory.path)
        try db.createTable(RandomTable.spec())
        try db.close()
        // A newer version writes `CATALOG` and its copies `CATALOG.<version>` in its format.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasPrefix("CATALOG")
        }
        #expect(names.count > 1)
        for name in names {
            let path = directory.path + "/" + name
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text = text.replacingOccurrences(of: "strata-catalog 2 ", with: "strata-catalog 9 ")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect {
            try Database.open(at: directory.path)
        } throws: { error in
            (error as? StrataError)?.code == .unsupported && "\(error)".contains("catalog format 9")
        }
    }

    @Test("experiment analysis over one hour of a sorted table finds that hour's exposures")
    func experimentHourWindow() throws {
        var options = Database.Options()
        options.blockRowCount = 128
        options.directWriteRows = 100
        let db = Database.inMemory(options: options)
        let spec = TableSpec(
            name: "events",
            dimensions: [
                DimensionSpec(name: "user_id", type: .string), DimensionSpec(name: "event", type: .string),
                DimensionSpec(name: "experiment", type: .string), DimensionSpec(name: "variant", type: .string),
            ],
            metrics: [MetricSpec(name: "revenue", type: .double)], segmentGranularity: .day,
            sortKey: ["experiment", "variant", "event"], sortTimeGranularity: .day)
        let table = try db.createTable(spec)
        var rng = SplitMix64(seed: 11)
        var ts: [Int64?] = []
        var users: [String?] = []
        var events: [String?] = []
        var variants: [String?] = []
        for i in 0..<3000 {
            ts.append(Self.start + Int64(rng.next() % UInt64(2 * 86_400_000)))
            users.append("u\(i % 700)")
            events.append(rng.next() % 3 == 0 ? "exposure" : "purchase")
            // A unit keeps its variant, so no unit is excluded for seeing two.
            variants.append((i % 700) % 2 == 0 ? "control" : "treatment")
        }
        // A small variant that sorts last, seen only early each day: the last row in sort order is early.
        for day in 0..<2 as Range<Int64> {
            for k in 0..<5 as Range<Int64> {
                ts.append(Self.start + day * 86_400_000 + k * 60_000)
                users.append("z\(day)-\(k)")
                events.append("exposure")
                variants.append("zz_holdout")
            }
        }
        try table.append(
            ColumnBatch([
                "ts": .timestamp(ts), "user_id": .string(users), "event": .string(events),
                "experiment": .string(Array(repeating: "exp", count: ts.count)), "variant": .string(variants),
                "revenue": .double(Array(repeating: 1, count: ts.count)),
            ]))
        for h in [0, 9, 23, 37] as [Int64] {
            let window = (Self.start + h * Self.hour)..<(Self.start + (h + 1) * Self.hour)
            var analysis = ExperimentAnalysis(experiment: "exp")
            analysis.timeRange = window
            let expected = zip(ts, events).filter { t, e in e == "exposure" && window.contains(t ?? 0) }.count
            let report = try db.analyzeExperiment(analysis, table: "events")
            #expect(report.exposureRows == expected, "hour \(h)")
            #expect(expected > 0)
        }
    }
}
