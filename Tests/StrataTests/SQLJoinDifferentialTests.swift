import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Joins held against a nested-loop join written here from the rows the test appended (never from Strata's
/// storage): random tables under random storage choices (sort keys, dictionary scopes, codecs), NULL and
/// duplicate keys, empty sides, every join kind, keys of each type, and a residual condition.
@Suite("SQL joins against a nested-loop reference")
struct SQLJoinDifferentialTests {
    /// A join key: the column compared on both sides.
    static let keyColumns = ["country", "cohort", "flag", "user", "score"]
    static let kinds = ["INNER", "LEFT", "RIGHT", "FULL", "CROSS"]
    static let outputs = ["country", "cohort", "user", "count"]

    @Test("random joins give the nested-loop join's rows", arguments: 0..<60)
    func randomJoin(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x5EED_0000 + seed)
        let (db, references) = try Self.randomTables(&rng, maxRows: 120, emptyOneIn: 4, nullRate: 0.2)
        let kind = Self.kinds[Int(rng.next() % UInt64(Self.kinds.count))]
        var keys = Self.keyColumns.filter { _ in rng.next() % 3 == 0 }
        if keys.isEmpty, kind != "CROSS" { keys = [Self.keyColumns[Int(rng.next() % UInt64(Self.keyColumns.count))]] }
        if kind == "CROSS" { keys = [] }
        let residual = kind != "CROSS" && rng.next() % 3 == 0
        var conditions = keys.map { "l.\($0) = r.\($0)" }
        if residual { conditions.append("l.count < r.count") }
        let on = kind == "CROSS" ? "" : " ON " + (conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND "))
        let columns = Self.outputs.map { "l.\($0)" } + Self.outputs.map { "r.\($0)" }
        // Half the time through an aggregate, which runs one worker per share of the probe side.
        let grouped = rng.next() % 2 == 1
        let sql =
            !grouped
            ? "SELECT \(columns.joined(separator: ", ")) FROM l \(kind) JOIN r\(on)"
            : "SELECT \(columns.joined(separator: ", ")), count(*) FROM l \(kind) JOIN r\(on) GROUP BY ALL"

        let expected = Self.nestedLoop(
            references[0], references[1], kind: kind, keys: keys, residual: residual)
        var wanted = expected.map { $0.map(\.description).joined(separator: "|") }
        if grouped {
            var counts: [String: Int] = [:]
            for row in wanted { counts[row, default: 0] += 1 }
            wanted = counts.map { "\($0.key)|\($0.value)" }
        }
        let want = wanted.sorted()
        // One worker, and several probing shares of the probe side's segments against one build table.
        for parallelism in [1, 3] {
            let result = try db.query(sql, options: QueryOptions(parallelism: parallelism))
            let got = result.rows.map { $0.map(\.description).joined(separator: "|") }.sorted()
            #expect(got.count == want.count, "seed \(seed), \(parallelism) workers: \(sql)")
            #expect(got == want, "seed \(seed), \(parallelism) workers: \(sql)")
        }
    }

    @Test("set operations give the reference's rows", arguments: 0..<30)
    func randomSetOperation(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x5E70_0000 + seed)
        let (db, references) = try Self.randomTables(&rng, maxRows: 80, emptyOneIn: 5, nullRate: 0.3)
        // Few distinct values, so the sides share rows.
        let sides = references.map { reference in
            reference.rows.map { [$0[reference.index(of: "country")!], $0[reference.index(of: "flag")!]] }
        }
        let operations = ["UNION", "UNION ALL", "INTERSECT", "EXCEPT"]
        let operation = operations[Int(rng.next() % UInt64(operations.count))]
        let sql = "SELECT country, flag FROM l \(operation) SELECT country, flag FROM r"
        func key(_ row: [Value]) -> String { row.map(\.description).joined(separator: "|") }
        let (left, right) = (sides[0].map(key), sides[1].map(key))
        let want: [String] =
            switch operation {
            case "UNION ALL": left + right
            case "UNION": Array(Set(left + right))
            case "INTERSECT": Array(Set(left).intersection(right))
            default: Array(Set(left).subtracting(right))
            }
        let got = try db.query(sql).rows.map(key)
        #expect(got.sorted() == want.sorted(), "seed \(seed): \(sql)")
    }

    @Test("IN and NOT IN subqueries follow SQL's NULL rules", arguments: 0..<30)
    func randomInSubquery(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x1A50_0000 + seed)
        let (db, references) = try Self.randomTables(&rng, maxRows: 80, emptyOneIn: 5, nullRate: 0.2)
        let column = ["country", "cohort", "flag"][Int(rng.next() % 3)]
        let negated = rng.next() % 2 == 0
        let sql = "SELECT l.count FROM l WHERE l.\(column) \(negated ? "NOT IN" : "IN") (SELECT r.\(column) FROM r)"
        let (left, right) = (references[0], references[1])
        let values = right.rows.map { $0[right.index(of: column)!] }
        let hasNull = values.contains(where: \.isNull)
        var want: [String] = []
        for row in left.rows {
            let x = row[left.index(of: column)!]
            // x IN (S): TRUE on a match; FALSE when S is empty; NULL when x is NULL or S has a NULL; else FALSE.
            let answer: Bool? =
                values.isEmpty ? false
                : x.isNull ? nil : values.contains(where: { !$0.isNull && $0 == x }) ? true : hasNull ? nil : false
            let kept = negated ? answer.map { !$0 } : answer
            if kept == true { want.append(row[left.index(of: "count")!].description) }
        }
        let got = try db.query(sql).rows.map { $0[0].description }
        #expect(got.sorted() == want.sorted(), "seed \(seed): \(sql)")
    }

    @Test("correlated subqueries give the answers of their definition, row by outer row", arguments: 0..<80)
    func randomCorrelatedSubquery(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0xC022_0000 + seed)
        let (db, references) = try Self.randomTables(&rng, maxRows: 80, emptyOneIn: 8, nullRate: 0.2)
        let (left, right) = (references[0], references[1])
        func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
        let key = pick(["country", "cohort", "flag"])
        // None, one that a NULL fails, and one that holds for a NULL outer value (joined back NULL-safely).
        let residual = pick(["", " AND r.count < l.count", " AND (r.count < l.count OR l.count IS NULL)"])
        let form = pick(["EXISTS", "NOT EXISTS", "count", "max", "lookup", "IN", "NOT IN"])
        let column = pick(["country", "cohort", "flag"])
        let condition = "r.\(key) = l.\(key)\(residual)"
        let sql =
            switch form {
            case "EXISTS", "NOT EXISTS": "SELECT l.count FROM l WHERE \(form) (SELECT 1 FROM r WHERE \(condition))"
            case "count": "SELECT l.count, (SELECT count(*) FROM r WHERE \(condition)) FROM l"
            case "max": "SELECT l.count, (SELECT max(r.count) FROM r WHERE \(condition)) FROM l"
            case "lookup": "SELECT l.count, (SELECT DISTINCT r.\(column) FROM r WHERE \(condition)) FROM l"
            default: "SELECT l.count FROM l WHERE l.\(column) \(form) (SELECT r.\(column) FROM r WHERE \(condition))"
            }

        func value(_ table: ReferenceTable, _ row: [Value], _ name: String) -> Value { row[table.index(of: name)!] }
        var want: [String] = []
        var twoRows = false  // a lookup found two values for an outer row: an error
        for l in left.rows {
            let outerCount = value(left, l, "count")
            let matches = right.rows.filter { r in
                let (a, b) = (value(left, l, key), value(right, r, key))
                guard !a.isNull, !b.isNull, a == b else { return false }
                if residual.isEmpty { return true }
                if residual.contains("IS NULL"), outerCount.isNull { return true }
                guard case .int64(let x) = value(right, r, "count"), case .int64(let y) = outerCount else { return false }
                return x < y
            }
            switch form {
            case "EXISTS", "NOT EXISTS":
                if matches.isEmpty == (form == "NOT EXISTS") { want.append(outerCount.description) }
            case "count":
                want.append("\(outerCount)|\(Value.int64(Int64(matches.count)))")
            case "max":
                let counts = matches.compactMap { r -> Int64? in
                    if case .int64(let c) = value(right, r, "count") { return c }
                    return nil
                }
                want.append("\(outerCount)|\(counts.max().map(Value.int64) ?? .null)")
            case "lookup":
                let values = Set(matches.map { value(right, $0, column).description })
                twoRows = twoRows || values.count > 1
                want.append("\(outerCount)|\(values.first ?? "NULL")")
            default:
                // x IN (S): TRUE on a match; FALSE when S is empty; NULL when x is NULL or S has a NULL; else FALSE.
                let x = value(left, l, column)
                let values = matches.map { value(right, $0, column) }
                let answer: Bool? =
                    values.isEmpty ? false
                    : x.isNull ? nil : values.contains(where: { !$0.isNull && $0 == x }) ? true
                    : values.contains(where: \.isNull) ? nil : false
                if (form == "IN" ? answer : answer.map { !$0 }) == true { want.append(outerCount.description) }
            }
        }
        for parallelism in [1, 3] {
            if twoRows {
                let error = #expect(throws: StrataError.self, "seed \(seed): \(sql)") {
                    try db.query(sql, options: QueryOptions(parallelism: parallelism))
                }
                #expect(error?.code == .invalidArgument, "seed \(seed): \(sql)")
                continue
            }
            let result = try db.query(sql, options: QueryOptions(parallelism: parallelism))
            let got = result.rows.map { $0.map(\.description).joined(separator: "|") }
            #expect(got.sorted() == want.sorted(), "seed \(seed), \(parallelism) workers: \(sql)")
        }
    }

    @Test("a rolled-up table is joined through a subquery that aggregates it, never row by stored row")
    func rolledUpTables() throws {
        let db = Database.inMemory()
        let rolled = try db.createTable(
            RandomTable.spec(name: "rolled", rollup: RollupSpec(granularity: .hour, aggregates: RandomTable.rollupAggregates)))
        let raw = try db.createTable(RandomTable.spec(name: "raw"))
        let batch = RandomTable.batch(rows: 300, days: 2, nullRate: 0.1, seed: 7)
        try rolled.append(batch)
        try raw.append(batch)
        for sql in [
            "SELECT count(*) FROM rolled r JOIN raw w ON r.country = w.country",
            "SELECT count(*) FROM rolled WHERE country IN (SELECT country FROM raw)",
        ] {
            let error = #expect(throws: StrataError.self, "\(sql)") { try db.query(sql) }
            #expect(error?.code == .unsupported)
            #expect(error?.message.contains("rolled up") == true)
        }
        // Aggregated first, the rollup's counts are the raw table's.
        let joined = try db.query(
            "SELECT sum(r.n) FROM (SELECT country, count(*) AS n FROM rolled GROUP BY country) r "
                + "JOIN (SELECT DISTINCT country FROM raw) w ON r.country = w.country")
        let direct = try db.query("SELECT count(*) FROM raw WHERE country IS NOT NULL")
        #expect(joined.rows[0][0].description == direct.rows[0][0].description)
    }

    /// Tables `l` and `r` in a fresh database, each under a random spec (no rollup) with up to `maxRows` random
    /// rows (none one time in `emptyOneIn`), and the rows each was given.
    static func randomTables(
        _ rng: inout SplitMix64, maxRows: Int, emptyOneIn: UInt64, nullRate: Double
    ) throws -> (Database, [ReferenceTable]) {
        let db = Database.inMemory()
        var references: [ReferenceTable] = []
        for name in ["l", "r"] {
            var spec = RandomTable.randomSpec(using: &rng)
            spec.name = name
            spec.rollup = nil
            let table = try db.createTable(spec)
            var reference = ReferenceTable(spec: spec)
            let rows = rng.next() % emptyOneIn == 0 ? 0 : Int(rng.next() % UInt64(maxRows)) + 1
            if rows > 0 {
                let batch = RandomTable.batch(rows: rows, days: 2, nullRate: nullRate, seed: rng.next())
                try table.append(batch)
                reference.append(batch)
            }
            references.append(reference)
        }
        return (db, references)
    }

    /// The join the slow, obvious way: every pair of rows, SQL's `=` (never TRUE for NULL) on the keys.
    static func nestedLoop(
        _ left: ReferenceTable, _ right: ReferenceTable, kind: String, keys: [String], residual: Bool
    ) -> [[Value]] {
        func project(_ table: ReferenceTable, _ row: [Value]?) -> [Value] {
            outputs.map { name in row.map { $0[table.index(of: name)!] } ?? .null }
        }
        func matches(_ l: [Value], _ r: [Value]) -> Bool {
            for key in keys {
                let a = l[left.index(of: key)!]
                let b = r[right.index(of: key)!]
                if a.isNull || b.isNull || a != b { return false }
            }
            if residual {
                let a = l[left.index(of: "count")!]
                let b = r[right.index(of: "count")!]
                guard case .int64(let x) = a, case .int64(let y) = b, x < y else { return false }
            }
            return true
        }
        var out: [[Value]] = []
        var rightMatched = [Bool](repeating: false, count: right.rows.count)
        for l in left.rows {
            var any = false
            for (j, r) in right.rows.enumerated() where kind == "CROSS" || matches(l, r) {
                any = true
                rightMatched[j] = true
                out.append(project(left, l) + project(right, r))
            }
            if !any, kind == "LEFT" || kind == "FULL" { out.append(project(left, l) + project(right, nil)) }
        }
        if kind == "RIGHT" || kind == "FULL" {
            for (j, r) in right.rows.enumerated() where !rightMatched[j] {
                out.append(project(left, nil) + project(right, r))
            }
        }
        return out
    }
}
