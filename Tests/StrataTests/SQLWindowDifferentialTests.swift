import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Window functions held against ``ReferenceWindow``, computed from the rows the test appended (never from
/// Strata's storage or query engine): random small tables (NULLs, ties, duplicate partition keys, empty
/// tables) and random calls of every function over random partitions, sort keys (directions, NULLS
/// FIRST/LAST) and ROWS/RANGE frames, with one worker and several.
@Suite("SQL window functions against a row-at-a-time reference")
struct SQLWindowDifferentialTests {
    /// Columns with ties and NULLs to partition and sort by.
    static let keyColumns = ["country", "cohort", "flag", "score"]
    static let numericColumns = ["cohort", "score", "amount", "count"]
    static let anyColumns = ["country", "cohort", "score", "amount", "count", "flag", "ts"]

    /// One random window call: its SQL and the reference's definition of it.
    struct Call {
        var sql: String
        var function: ReferenceWindow.Function
        var partitionBy: [String]
        var orderBy: [ReferenceWindow.OrderKey]
        var frame: ReferenceWindow.Frame?
        var ignoreNulls = false
    }

    @Test("random window calls give the reference's values", arguments: 0..<300)
    func randomWindow(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x3171_D000 + seed)
        let (db, reference) = try Self.randomTable(&rng)
        let relation = ReferenceRelation(reference)
        // ts breaks ties (it is unique in a table of this size); skip the rare table where it is not.
        let times = relation.values("ts")
        guard Set(times).count == times.count else { return }
        var calls: [Call] = []
        for _ in 0..<3 { calls.append(Self.randomCall(&rng)) }
        let sql =
            "SELECT ts, " + calls.enumerated().map { "\($1.sql) AS w\($0)" }.joined(separator: ", ") + " FROM t"
        var want: [[Value]] = times.map { [$0] }
        for call in calls {
            let values = ReferenceWindow.evaluate(
                relation, call.function, partitionBy: call.partitionBy, orderBy: call.orderBy, frame: call.frame,
                ignoreNulls: call.ignoreNulls)
            for (i, v) in values.enumerated() { want[i].append(v) }
        }
        want.sort { ValueOrder.sortOrder($0[0], $1[0], nullsFirst: false) < 0 }
        for parallelism in [1, 3] {
            let result = try db.query(sql + " ORDER BY ts", options: QueryOptions(parallelism: parallelism))
            #expect(result.rows.count == want.count, "seed \(seed): \(sql)")
            for (got, expected) in zip(result.rows, want) where !Self.same(got, expected) {
                Issue.record("seed \(seed), \(parallelism) workers: \(sql)\n got \(got)\nwant \(expected)")
                break
            }
        }
    }

    @Test("QUALIFY keeps the rows whose window value passes, after WHERE", arguments: 0..<20)
    func randomQualify(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x0A11_F000 + seed)
        let (db, reference) = try Self.randomTable(&rng)
        let relation = ReferenceRelation(reference)
        let times = relation.values("ts")
        guard Set(times).count == times.count else { return }
        let k = Int64(rng.next() % 3) + 1
        let partition = Self.keyColumns[Int(rng.next() % UInt64(Self.keyColumns.count))]
        let numbers = ReferenceWindow.evaluate(
            relation, .rowNumber, partitionBy: [partition],
            orderBy: [ReferenceWindow.OrderKey("amount", descending: true), ReferenceWindow.OrderKey("ts")])
        let want = relation.rows.indices.filter { i in
            if case .int64(let n) = numbers[i] { n <= k } else { false }
        }.map { ReferenceRelation.line([times[$0]]) }.sorted()
        let sql =
            "SELECT ts FROM t QUALIFY row_number() OVER (PARTITION BY \(partition) ORDER BY amount DESC, ts) <= \(k)"
        let got = try db.query(sql).rows.map(ReferenceRelation.line).sorted()
        #expect(got == want, "seed \(seed): \(sql)")
    }

    @Test("RANGE frames with INTERVAL offsets over timestamps (NULL keys included)", arguments: 0..<60)
    func randomIntervalRange(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x1E7E_0000 + seed)
        func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
        let (db, reference) = try Self.randomTable(&rng)
        let relation = ReferenceRelation(reference)
        let times = relation.values("ts")
        guard Set(times).count == times.count else { return }
        let key = ReferenceWindow.OrderKey(
            pick(["ts", "seen"]), descending: rng.next() % 2 == 0, nullsFirst: rng.next() % 2 == 0)
        let partitionBy = Self.keyColumns.filter { _ in rng.next() % 4 == 0 }
        func bound() -> (ReferenceWindow.Bound, String) {
            let hours = Int64(rng.next() % 30)
            let ms = Double(hours * 3_600_000)
            switch rng.next() % 4 {
            case 0: return (.preceding(ms), "INTERVAL '\(hours) hours' PRECEDING")
            case 1: return (.following(ms), "INTERVAL \(hours) HOUR FOLLOWING")
            case 2: return (.currentRow, "CURRENT ROW")
            default: return (.preceding(ms), "INTERVAL '\(hours * 60) minutes' PRECEDING")
            }
        }
        let (start, startSQL) = rng.next() % 4 == 0 ? (.unboundedPreceding, "UNBOUNDED PRECEDING") : bound()
        let (end, endSQL) = rng.next() % 4 == 0 ? (.unboundedFollowing, "UNBOUNDED FOLLOWING") : bound()
        let column = pick(Self.numericColumns + ["country"])
        let (function, text): (ReferenceWindow.Function, String) =
            switch rng.next() % 5 {
            case 0: (.count(nil), "count(*)")
            case 1: (.count(column), "count(\(column))")
            case 2: (.min(column), "min(\(column))")
            case 3: (.max(column), "max(\(column))")
            default: (.sum("cohort"), "sum(cohort)")
            }
        var over = partitionBy.isEmpty ? "" : "PARTITION BY \(partitionBy.joined(separator: ", ")) "
        over += "ORDER BY \(key.column)\(key.descending ? " DESC" : "")\(key.nullsFirst ? " NULLS FIRST" : "")"
        let sql = "SELECT ts, \(text) OVER (\(over) RANGE BETWEEN \(startSQL) AND \(endSQL)) FROM t ORDER BY ts"
        let values = ReferenceWindow.evaluate(
            relation, function, partitionBy: partitionBy, orderBy: [key],
            frame: ReferenceWindow.Frame(rows: false, start: start, end: end))
        var want = zip(times, values).map { [$0, $1] }
        want.sort { ValueOrder.sortOrder($0[0], $1[0], nullsFirst: false) < 0 }
        let got = try db.query(sql).rows
        #expect(got.count == want.count, "seed \(seed): \(sql)")
        for (g, w) in zip(got, want) where !Self.same(g, w) {
            Issue.record("seed \(seed): \(sql)\n got \(g)\nwant \(w)")
            break
        }
    }

    @Test("windows over a grouped query's keys and aggregates", arguments: 0..<60)
    func randomGrouped(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x6209_0000 + seed)
        func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
        let (db, reference) = try Self.randomTable(&rng)
        let key = pick(["country", "cohort", "flag"])
        // The groups, computed here: key, count(*), sum(cohort) (exact: integers).
        let rows = ReferenceRelation(reference).namedRows
        var groups: [(key: Value, n: Int64, s: Int128?)] = []
        for row in rows {
            let k = row[key]
            var i = groups.firstIndex { ReferenceRelation.same($0.key, k) }
            if i == nil {
                groups.append((k, 0, nil))
                i = groups.count - 1
            }
            groups[i!].n += 1
            if case .int64(let c) = row["cohort"] { groups[i!].s = (groups[i!].s ?? 0) + Int128(c) }
        }
        let grouped = ReferenceRelation(
            columns: ["k", "n", "s"], rows: groups.map { [$0.key, .int64($0.n), $0.s.map { .hugeint($0) } ?? .null] })
        let sqlOf = ["k": key, "n": "count(*)", "s": "sum(cohort)"]
        // Ties in n and s are broken by k, which is unique among groups.
        let first = ReferenceWindow.OrderKey(
            pick(["n", "s"]), descending: rng.next() % 2 == 0, nullsFirst: rng.next() % 2 == 0)
        let tieBreak = ReferenceWindow.OrderKey("k", descending: rng.next() % 2 == 0, nullsFirst: rng.next() % 2 == 0)
        let argument = pick(["n", "s"])
        let (function, text, total): (ReferenceWindow.Function, String, Bool) =
            switch rng.next() % 7 {
            case 0: (.rank, "rank()", false)
            case 1: (.denseRank, "dense_rank()", false)
            case 2: (.rowNumber, "row_number()", true)
            case 3: (.sum(argument), "sum(\(sqlOf[argument]!))", false)
            case 4: (.lag(argument, offset: 1, default: .null), "lag(\(sqlOf[argument]!))", true)
            case 5: (.cumeDist, "cume_dist()", false)
            default: (.max(argument), "max(\(sqlOf[argument]!))", false)
            }
        let orderBy = total ? [first, tieBreak] : [first]
        let order = orderBy.map { o in
            sqlOf[o.column]! + (o.descending ? " DESC" : "") + (o.nullsFirst ? " NULLS FIRST" : " NULLS LAST")
        }.joined(separator: ", ")
        let sql = "SELECT \(key), \(text) OVER (ORDER BY \(order)) FROM t GROUP BY \(key)"
        let values = ReferenceWindow.evaluate(grouped, function, partitionBy: [], orderBy: orderBy)
        let want = zip(groups, values).map { ReferenceRelation.line([$0.key, $1]) }.sorted()
        // Integers print alike whatever their width (BIGINT, HUGEINT).
        let got = try db.query(sql).rows.map(ReferenceRelation.line).sorted()
        #expect(got == want, "seed \(seed): \(sql)")
    }

    /// A random call: a function, a partition, a sort (ending in `ts` when the function or a ROWS frame
    /// depends on the order of ties) and a frame.
    static func randomCall(_ rng: inout SplitMix64) -> Call {
        func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
        let partitionBy = keyColumns.filter { _ in rng.next() % 4 == 0 }
        var orderBy: [ReferenceWindow.OrderKey] = []
        for column in anyColumns.filter({ _ in rng.next() % 5 == 0 }).prefix(2) where column != "ts" {
            orderBy.append(
                ReferenceWindow.OrderKey(column, descending: rng.next() % 2 == 0, nullsFirst: rng.next() % 3 == 0))
        }
        let kind = pick([
            "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
            "last_value", "nth_value", "count", "count_star", "sum", "avg", "min", "max",
        ])
        let numeric = pick(numericColumns)
        let anything = pick(anyColumns.filter { $0 != "ts" })
        let function: ReferenceWindow.Function
        var argumentSQL = ""
        switch kind {
        case "row_number": function = .rowNumber
        case "rank": function = .rank
        case "dense_rank": function = .denseRank
        case "percent_rank": function = .percentRank
        case "cume_dist": function = .cumeDist
        case "ntile":
            let n = Int64(rng.next() % 7) + 1
            function = .ntile(n)
            argumentSQL = "\(n)"
        case "lag", "lead":
            let offset = Int64(rng.next() % 6) - 2
            let withDefault = numeric == "cohort" || numeric == "count"
            let fallback: Value = withDefault ? .int64(-1) : .null
            function =
                kind == "lag"
                ? .lag(numeric, offset: offset, default: fallback) : .lead(numeric, offset: offset, default: fallback)
            argumentSQL = "\(numeric), \(offset)" + (withDefault ? ", -1" : "")
        case "first_value": function = .firstValue(anything); argumentSQL = anything
        case "last_value": function = .lastValue(anything); argumentSQL = anything
        case "nth_value":
            let n = Int64(rng.next() % 3) + 1
            function = .nthValue(anything, n)
            argumentSQL = "\(anything), \(n)"
        case "count": function = .count(anything); argumentSQL = anything
        case "count_star": function = .count(nil); argumentSQL = "*"
        case "sum": function = .sum(numeric); argumentSQL = numeric
        case "avg": function = .avg(numeric); argumentSQL = numeric
        case "min": function = .min(anything); argumentSQL = anything
        default: function = .max(anything); argumentSQL = anything
        }
        // IGNORE NULLS for a third of the offset and value functions.
        let ignoreNulls =
            ["lag", "lead", "first_value", "last_value", "nth_value"].contains(kind) && rng.next() % 3 == 0
        if ignoreNulls { argumentSQL += " IGNORE NULLS" }
        let ranking = ["row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead"]
            .contains(kind)
        let tieSensitive = ["row_number", "ntile", "lag", "lead", "first_value", "last_value", "nth_value"]
            .contains(kind)
        var frame: ReferenceWindow.Frame?
        var frameSQL = ""
        let numericKey = orderBy.count == 1 && ["cohort", "score", "amount"].contains(orderBy[0].column)
        func bound(_ start: Bool, range: Bool) -> (ReferenceWindow.Bound, String) {
            let k = Int64(rng.next() % 4)
            // cohort holds multiples of 1000000007: offsets in the same steps.
            let step: Int64 = range && orderBy.first?.column == "cohort" ? 1_000_000_007 : 1
            switch rng.next() % 5 {
            case 0:
                return start
                    ? (.unboundedPreceding, "UNBOUNDED PRECEDING") : (.unboundedFollowing, "UNBOUNDED FOLLOWING")
            case 1: return (.preceding(Double(k * step)), "\(k * step) PRECEDING")
            case 2: return (.currentRow, "CURRENT ROW")
            case 3: return (.following(Double(k * step)), "\(k * step) FOLLOWING")
            default: return start ? (.currentRow, "CURRENT ROW") : (.unboundedFollowing, "UNBOUNDED FOLLOWING")
            }
        }
        var needsTotalOrder = tieSensitive
        if !ranking, rng.next() % 3 != 0 {
            let unit = ["ROWS", "RANGE", "GROUPS"][Int(rng.next() % 3)]
            let range = unit == "RANGE"
            let (start, startSQL) = bound(true, range: range)
            let (end, endSQL) = bound(false, range: range)
            let offsets = [start, end].contains { bound in
                switch bound {
                case .preceding, .following: true
                default: false
                }
            }
            if !range || !offsets || (numericKey && !tieSensitive) {
                // EXCLUDE for a third of the frames.
                let exclusions: [(ReferenceWindow.Exclusion, String)] = [
                    (.none, ""), (.none, " EXCLUDE NO OTHERS"), (.currentRow, " EXCLUDE CURRENT ROW"),
                    (.group, " EXCLUDE GROUP"), (.ties, " EXCLUDE TIES"),
                ]
                let (exclusion, exclusionSQL) = rng.next() % 3 == 0 ? pick(exclusions) : (.none, "")
                frame = ReferenceWindow.Frame(
                    rows: unit == "ROWS", groups: unit == "GROUPS", start: start, end: end, exclusion: exclusion)
                frameSQL = " \(unit) BETWEEN \(startSQL) AND \(endSQL)\(exclusionSQL)"
                // ROWS frames cut between peers; RANGE and GROUPS frames take or leave whole groups of peers.
                needsTotalOrder = needsTotalOrder || unit == "ROWS"
                if range && offsets { needsTotalOrder = false }
            }
        }
        // A total order where ties would make the answer depend on the engine's choice.
        if needsTotalOrder { orderBy.append(ReferenceWindow.OrderKey("ts")) }
        var over: [String] = []
        if !partitionBy.isEmpty { over.append("PARTITION BY " + partitionBy.joined(separator: ", ")) }
        if !orderBy.isEmpty {
            over.append(
                "ORDER BY "
                    + orderBy.map { key in
                        key.column + (key.descending ? " DESC" : "") + (key.nullsFirst ? " NULLS FIRST" : " NULLS LAST")
                    }.joined(separator: ", "))
        }
        let name = kind == "count_star" ? "count" : kind
        let sql = "\(name)(\(argumentSQL)) OVER (\(over.joined(separator: " "))\(frameSQL))"
        return Call(
            sql: sql, function: function, partitionBy: partitionBy, orderBy: orderBy, frame: frame,
            ignoreNulls: ignoreNulls)
    }

    /// Whether two rows agree: doubles within a relative 1e-9 (sums in another order), integers of any width
    /// by value.
    static func same(_ a: [Value], _ b: [Value]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            switch (x, y) {
            case (.null, .null): return true
            case (.double(let p), .double(let q)): return p == q || abs(p - q) <= 1e-9 * max(abs(p), abs(q))
            case (.int64(let p), .hugeint(let q)), (.hugeint(let q), .int64(let p)): return Int128(p) == q
            default: return x == y
            }
        }
    }

    /// A table `t` of up to 40 random rows (none, one time in eight) with NULLs and ties, and the rows appended.
    static func randomTable(_ rng: inout SplitMix64) throws -> (Database, ReferenceTable) {
        let db = Database.inMemory()
        var spec = RandomTable.randomSpec(using: &rng)
        spec.name = "t"
        spec.rollup = nil
        let table = try db.createTable(spec)
        var reference = ReferenceTable(spec: spec)
        let rows = rng.next() % 8 == 0 ? 0 : Int(rng.next() % 40) + 1
        if rows > 0 {
            let batch = RandomTable.batch(rows: rows, days: 2, nullRate: 0.25, seed: rng.next())
            try table.append(batch)
            reference.append(batch)
        }
        return (db, reference)
    }
}
