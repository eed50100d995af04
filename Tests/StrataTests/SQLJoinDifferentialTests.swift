import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Joins, set operations and subqueries held against the reference's relational operators
/// (``ReferenceRelation``), computed from the rows the test appended (never from Strata's storage or query
/// engine): random tables under random storage choices (sort keys, dictionary scopes, codecs), with and
/// without a time column, NULL and duplicate keys, empty sides, every join kind, single and multi-column
/// keys of each type, and residual conditions that are not equalities.
@Suite("SQL joins against a nested-loop reference")
struct SQLJoinDifferentialTests {
    /// A join key: the column compared on both sides.
    static let keyColumns = ["country", "cohort", "flag", "user", "score"]
    static let kinds = ["INNER", "LEFT", "RIGHT", "FULL", "CROSS"]
    static let outputs = ["country", "cohort", "user", "count"]

    /// A condition on a pair of rows (`l`'s, then `r`'s; columns qualified `l.x`, `r.x`): its SQL, and
    /// whether it is TRUE for a pair (UNKNOWN is not).
    struct Condition: Sendable {
        let sql: String
        let holds: @Sendable (ReferenceRelation.Row, ReferenceRelation.Row) -> Bool
    }

    /// `a < b` as a condition: FALSE when either is NULL.
    static func less(_ a: Value, _ b: Value) -> Bool { ValueOrder.compare(a, b).map { $0 < 0 } ?? false }

    static let countBelow = Condition(sql: "l.count < r.count") { l, r in less(l["l.count"], r["r.count"]) }
    /// Residual conditions other than equalities: comparisons of each type, and one that a NULL can
    /// satisfy (`x IS NULL` under OR), which an outer join must still pad correctly.
    static let residuals: [Condition] = [
        countBelow,
        Condition(sql: "l.score <> r.score") { l, r in
            ValueOrder.compare(l["l.score"], r["r.score"]).map { $0 != 0 } ?? false
        },
        Condition(sql: "l.cohort >= r.cohort") { l, r in
            ValueOrder.compare(l["l.cohort"], r["r.cohort"]).map { $0 >= 0 } ?? false
        },
        Condition(sql: "l.country < r.country") { l, r in less(l["l.country"], r["r.country"]) },
        Condition(sql: "(l.flag OR r.count IS NULL)") { l, r in l["l.flag"] == .bool(true) || r["r.count"].isNull },
    ]

    @Test("random joins give the nested-loop join's rows", arguments: 0..<60)
    func randomJoin(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x5EED_0000 + seed)
        let (db, references) = try Self.randomTables(&rng, maxRows: 120, emptyOneIn: 4, nullRate: 0.2)
        let kind = Self.kinds[Int(rng.next() % UInt64(Self.kinds.count))]
        var keys = Self.keyColumns.filter { _ in rng.next() % 3 == 0 }
        if keys.isEmpty, kind != "CROSS" { keys = [Self.keyColumns[Int(rng.next() % UInt64(Self.keyColumns.count))]] }
        if kind == "CROSS" { keys = [] }
        let residual = kind != "CROSS" && rng.next() % 3 == 0
        // Half the time through an aggregate, which runs one worker per share of the probe side.
        let grouped = rng.next() % 2 == 1
        try Self.checkJoin(
            db, references, kind: kind, keys: keys, residual: residual ? Self.countBelow : nil, grouped: grouped,
            context: "seed \(seed)")
    }

    @Test("joins with tables without a time column, multi-column keys and other residuals", arguments: 0..<40)
    func randomLookupJoin(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x100C_0000 + seed)
        let timeless = [["l"], ["r"], ["l", "r"]][Int(rng.next() % 3)]
        let (db, references) = try Self.randomTables(
            &rng, maxRows: 100, emptyOneIn: 5, nullRate: 0.2, timeless: Set(timeless))
        let kind = Self.kinds[Int(rng.next() % UInt64(Self.kinds.count))]
        var keys = Self.keyColumns.filter { _ in rng.next() % 2 == 0 }
        if keys.isEmpty { keys = [Self.keyColumns[Int(rng.next() % UInt64(Self.keyColumns.count))]] }
        let pick = Int(rng.next() % UInt64(Self.residuals.count + 1))
        let residual = pick < Self.residuals.count ? Self.residuals[pick] : nil
        let grouped = rng.next() % 2 == 1
        try Self.checkJoin(
            db, references, kind: kind, keys: kind == "CROSS" ? [] : keys, residual: kind == "CROSS" ? nil : residual,
            grouped: grouped, context: "seed \(seed), without time: \(timeless)")
    }

    /// Runs `l kind JOIN r ON keys… AND residual` (grouped: every output column and `count(*)`, GROUP BY
    /// ALL) with one and three workers, against ``ReferenceRelation/join(_:_:kind:on:where:)``.
    static func checkJoin(
        _ db: Database, _ references: [ReferenceTable], kind: String, keys: [String], residual: Condition?,
        grouped: Bool, context: String
    ) throws {
        var conditions = keys.map { "l.\($0) = r.\($0)" }
        if let residual { conditions.append(residual.sql) }
        let on = kind == "CROSS" ? "" : " ON " + (conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND "))
        let columns = Self.outputs.map { "l.\($0)" } + Self.outputs.map { "r.\($0)" }
        let sql =
            !grouped
            ? "SELECT \(columns.joined(separator: ", ")) FROM l \(kind) JOIN r\(on)"
            : "SELECT \(columns.joined(separator: ", ")), count(*) FROM l \(kind) JOIN r\(on) GROUP BY ALL"

        let joined = ReferenceRelation.join(
            ReferenceRelation(references[0]).qualified("l"), ReferenceRelation(references[1]).qualified("r"),
            kind: ReferenceJoinKind(sql: kind)!, on: keys.map { (left: "l.\($0)", right: "r.\($0)") },
            where: residual?.holds
        ).project(columns)
        let want = (grouped ? joined.countingDuplicates() : joined).lines
        // One worker, and several probing shares of the probe side's segments against one build table.
        for parallelism in [1, 3] {
            let result = try db.query(sql, options: QueryOptions(parallelism: parallelism))
            let got = result.rows.map(ReferenceRelation.line).sorted()
            #expect(got.count == want.count, "\(context), \(parallelism) workers: \(sql)")
            #expect(got == want, "\(context), \(parallelism) workers: \(sql)")
        }
    }

    @Test("set operations give the reference's rows", arguments: 0..<30)
    func randomSetOperation(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x5E70_0000 + seed)
        let (db, references) = try Self.randomTables(&rng, maxRows: 80, emptyOneIn: 5, nullRate: 0.3)
        let operations = ["UNION", "UNION ALL", "INTERSECT", "EXCEPT"]
        let operation = operations[Int(rng.next() % UInt64(operations.count))]
        // Few distinct values, so the sides share rows.
        try Self.checkSetOperation(db, references, operation, columns: ["country", "flag"], context: "seed \(seed)")
    }

    @Test("set operations over other columns, NULLs and tables without time", arguments: 0..<30)
    func randomSetOperationColumns(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x5E71_0000 + seed)
        let timeless = [[], ["l"], ["r"], ["l", "r"]][Int(rng.next() % 4)]
        let (db, references) = try Self.randomTables(
            &rng, maxRows: 60, emptyOneIn: 4, nullRate: 0.4, timeless: Set(timeless))
        let operations = ["UNION", "UNION ALL", "INTERSECT", "EXCEPT"]
        let operation = operations[Int(rng.next() % UInt64(operations.count))]
        var columns = ["country", "cohort", "flag", "score", "user"].filter { _ in rng.next() % 3 == 0 }
        if columns.isEmpty { columns = ["cohort"] }
        try Self.checkSetOperation(
            db, references, operation, columns: columns, context: "seed \(seed), without time: \(timeless)")
    }

    /// `SELECT columns FROM l operation SELECT columns FROM r` against ``ReferenceRelation/setOperation(_:_:_:)``.
    static func checkSetOperation(
        _ db: Database, _ references: [ReferenceTable], _ operation: String, columns: [String], context: String
    ) throws {
        let list = columns.joined(separator: ", ")
        let sql = "SELECT \(list) FROM l \(operation) SELECT \(list) FROM r"
        let (left, right) = (ReferenceRelation(references[0]), ReferenceRelation(references[1]))
        let want = ReferenceRelation.setOperation(operation, left.project(columns), right.project(columns)).lines
        let got = try db.query(sql).rows.map(ReferenceRelation.line).sorted()
        #expect(got == want, "\(context): \(sql)")
    }

    @Test("IN and NOT IN subqueries follow SQL's NULL rules", arguments: 0..<30)
    func randomInSubquery(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x1A50_0000 + seed)
        let (db, references) = try Self.randomTables(&rng, maxRows: 80, emptyOneIn: 5, nullRate: 0.2)
        let column = ["country", "cohort", "flag"][Int(rng.next() % 3)]
        let negated = rng.next() % 2 == 0
        let sql = "SELECT l.count FROM l WHERE l.\(column) \(negated ? "NOT IN" : "IN") (SELECT r.\(column) FROM r)"
        let values = ReferenceRelation(references[1]).values(column)
        let want = ReferenceRelation(references[0]).filter { row in
            (negated ? ReferenceRelation.sqlNotIn(row[column], values) : ReferenceRelation.sqlIn(row[column], values))
                == true
        }.project(["count"]).lines
        let got = try db.query(sql).rows.map(ReferenceRelation.line).sorted()
        #expect(got == want, "seed \(seed): \(sql)")
    }

    /// Residuals of a correlated subquery's `WHERE`: none, one that a NULL fails, and one that holds for a
    /// NULL outer value (joined back NULL-safely).
    static let correlatedResiduals: [Condition?] = [
        nil,
        Condition(sql: "r.count < l.count") { l, r in less(r["r.count"], l["l.count"]) },
        Condition(sql: "(r.count < l.count OR l.count IS NULL)") { l, r in
            l["l.count"].isNull || less(r["r.count"], l["l.count"])
        },
    ]

    @Test("correlated subqueries give the answers of their definition, row by outer row", arguments: 0..<80)
    func randomCorrelatedSubquery(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0xC022_0000 + seed)
        let (db, references) = try Self.randomTables(&rng, maxRows: 80, emptyOneIn: 8, nullRate: 0.2)
        func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
        let key = pick(["country", "cohort", "flag"])
        let residual = pick(Self.correlatedResiduals)
        let form = pick(["EXISTS", "NOT EXISTS", "count", "max", "lookup", "IN", "NOT IN"])
        let column = pick(["country", "cohort", "flag"])
        try Self.checkCorrelated(
            db, references, keys: [key], residual: residual, form: form, column: column, context: "seed \(seed)")
    }

    @Test("correlated subqueries on multi-column keys, other aggregates and tables without time", arguments: 0..<40)
    func randomCorrelatedSubqueryMore(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0xC023_0000 + seed)
        func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
        let timeless = pick([[], ["l"], ["r"], ["l", "r"]])
        let (db, references) = try Self.randomTables(
            &rng, maxRows: 60, emptyOneIn: 5, nullRate: 0.25, timeless: Set(timeless))
        var keys = ["country", "cohort", "flag"].filter { _ in rng.next() % 2 == 0 }
        if keys.isEmpty { keys = [pick(["country", "cohort", "flag"])] }
        let residual = pick(Self.correlatedResiduals)
        let form = pick([
            "EXISTS", "NOT EXISTS", "count", "count column", "sum", "min", "max", "lookup", "IN", "NOT IN",
        ])
        let column = pick(["country", "cohort", "flag"])
        try Self.checkCorrelated(
            db, references, keys: keys, residual: residual, form: form, column: column,
            context: "seed \(seed), without time: \(timeless)")
    }

    /// A correlated subquery of `form` over `r` for each row of `l` (`WHERE r.k = l.k … AND residual`),
    /// with one and three workers, against the reference's semi/anti joins, aggregates, scalar lookups
    /// and `IN`, evaluated outer row by outer row.
    static func checkCorrelated(
        _ db: Database, _ references: [ReferenceTable], keys: [String], residual: Condition?, form: String,
        column: String, context: String
    ) throws {
        let condition = (keys.map { "r.\($0) = l.\($0)" } + (residual.map { [$0.sql] } ?? [])).joined(
            separator: " AND ")
        let sql =
            switch form {
            case "EXISTS", "NOT EXISTS": "SELECT l.count FROM l WHERE \(form) (SELECT 1 FROM r WHERE \(condition))"
            case "count": "SELECT l.count, (SELECT count(*) FROM r WHERE \(condition)) FROM l"
            case "count column": "SELECT l.count, (SELECT count(r.\(column)) FROM r WHERE \(condition)) FROM l"
            case "sum", "min", "max": "SELECT l.count, (SELECT \(form)(r.count) FROM r WHERE \(condition)) FROM l"
            case "lookup": "SELECT l.count, (SELECT DISTINCT r.\(column) FROM r WHERE \(condition)) FROM l"
            default: "SELECT l.count FROM l WHERE l.\(column) \(form) (SELECT r.\(column) FROM r WHERE \(condition))"
            }

        let (l, r) = (ReferenceRelation(references[0]).qualified("l"), ReferenceRelation(references[1]).qualified("r"))
        let on = keys.map { (outer: "l.\($0)", inner: "r.\($0)") }
        func perRow(_ value: (ReferenceRelation.Row, ReferenceRelation) throws -> Value) rethrows -> [String] {
            try ReferenceRelation.correlated(l, r, on: on, where: residual?.holds) { o, matches in
                ReferenceRelation.line([o["l.count"], try value(o, matches)])
            }.sorted()
        }
        var want: [String]? = []  // nil: a lookup found two values for an outer row, an error
        switch form {
        case "EXISTS":
            want = ReferenceRelation.semiJoin(l, r, on: on, where: residual?.holds).project(["l.count"]).lines
        case "NOT EXISTS":
            want = ReferenceRelation.antiJoin(l, r, on: on, where: residual?.holds).project(["l.count"]).lines
        case "count": want = perRow { ReferenceAggregate.countStar.evaluate($1) }
        case "count column": want = perRow { ReferenceAggregate.count("r.\(column)").evaluate($1) }
        case "sum": want = perRow { ReferenceAggregate.sum("r.count").evaluate($1) }
        case "min": want = perRow { ReferenceAggregate.min("r.count").evaluate($1) }
        case "max": want = perRow { ReferenceAggregate.max("r.count").evaluate($1) }
        case "lookup": want = try? perRow { try $1.project(["r.\(column)"]).distinct().scalar() }
        default:
            let kept = ReferenceRelation.correlated(l, r, on: on, where: residual?.holds) { o, matches in
                let answer = ReferenceRelation.sqlIn(o["l.\(column)"], matches.values("r.\(column)"))
                return (form == "IN" ? answer : answer.map { !$0 }) == true
            }
            want = zip(l.rows, kept).filter(\.1).map { ReferenceRelation.line([$0.0[l.index(of: "l.count")!]]) }
                .sorted()
        }
        for parallelism in [1, 3] {
            guard let want else {
                let error = #expect(throws: StrataError.self, "\(context): \(sql)") {
                    try db.query(sql, options: QueryOptions(parallelism: parallelism))
                }
                #expect(error?.code == .invalidArgument, "\(context): \(sql)")
                continue
            }
            let result = try db.query(sql, options: QueryOptions(parallelism: parallelism))
            let got = result.rows.map(ReferenceRelation.line)
            #expect(got.sorted() == want, "\(context), \(parallelism) workers: \(sql)")
        }
    }

    @Test("a rolled-up table is joined through a subquery that aggregates it, never row by stored row")
    func rolledUpTables() throws {
        let db = Database.inMemory()
        let rolled = try db.createTable(
            RandomTable.spec(
                name: "rolled", rollup: RollupSpec(granularity: .hour, aggregates: RandomTable.rollupAggregates)))
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

    /// Tables `l` and `r` in a fresh database, each under a random spec (no rollup; no time column when
    /// its name is in `timeless`) with up to `maxRows` random rows (none one time in `emptyOneIn`), and the
    /// rows each was given.
    static func randomTables(
        _ rng: inout SplitMix64, maxRows: Int, emptyOneIn: UInt64, nullRate: Double, timeless: Set<String> = []
    ) throws -> (Database, [ReferenceTable]) {
        let db = Database.inMemory()
        var references: [ReferenceTable] = []
        for name in ["l", "r"] {
            var spec = RandomTable.randomSpec(using: &rng)
            spec.name = name
            spec.rollup = nil
            if timeless.contains(name) {
                // A lookup table: its rows form one chunk, and it is joined like any other.
                spec.timestamp = nil
                spec.sortTimeGranularity = nil
            }
            let table = try db.createTable(spec)
            var reference = ReferenceTable(spec: spec)
            let rows = rng.next() % emptyOneIn == 0 ? 0 : Int(rng.next() % UInt64(maxRows)) + 1
            if rows > 0 {
                var batch = RandomTable.batch(rows: rows, days: 2, nullRate: nullRate, seed: rng.next())
                if !spec.hasTime {
                    var untimed = ColumnBatch()
                    for (column, vector) in zip(batch.names, batch.vectors) where column != "ts" {
                        untimed.append(column: column, vector)
                    }
                    batch = untimed
                }
                try table.append(batch)
                reference.append(batch)
            }
            references.append(reference)
        }
        return (db, references)
    }
}
