import Foundation
import Strata
import StrataCore
import StrataExecution
import StrataTestSupport
import Testing

/// ORDER BY with and without LIMIT: the SQL plan's ``Sort`` and ``TopN`` operators against a stable sort
/// written here the obvious way, over typed, dictionary and boxed columns with NULLs, NaN and ties.
@Suite("ORDER BY: Sort and TopN")
struct SQLOrderByTests {
    /// The reference order of two values by one key: NULLs by `nullsFirst` whatever the direction, numbers
    /// by value (NaN above every number), strings by UTF-8 bytes, false before true.
    static func referenceOrder(_ a: Value, _ b: Value, descending: Bool, nullsFirst: Bool) -> Int {
        switch (a.isNull, b.isNull) {
        case (true, true): return 0
        case (true, false): return nullsFirst ? -1 : 1
        case (false, true): return nullsFirst ? 1 : -1
        default: break
        }
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        let order: Int
        switch (a, b) {
        case (.int64(let x), .int64(let y)), (.timestamp(let x), .timestamp(let y)): order = sign(x, y)
        case (.hugeint(let x), .hugeint(let y)): order = sign(x, y)
        case (.decimal(let x), .decimal(let y)) where x.scale == y.scale: order = sign(x.unscaled, y.unscaled)
        case (.double(let x), .double(let y)):
            order = x.isNaN || y.isNaN ? (x.isNaN && y.isNaN ? 0 : (x.isNaN ? 1 : -1)) : sign(x, y)
        case (.string(let x), .string(let y)):
            order = Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : (x.utf8.elementsEqual(y.utf8) ? 0 : 1)
        case (.bool(let x), .bool(let y)): order = x == y ? 0 : (x ? 1 : -1)
        default:
            Issue.record("no reference order for \(a) and \(b)")
            return 0
        }
        return descending ? -order : order
    }

    /// `rows` stably sorted by `keys` (positions, direction, NULLS FIRST), then OFFSET and LIMIT.
    static func reference(
        _ rows: [[Value]], keys: [(Int, descending: Bool, nullsFirst: Bool)], limit: Int? = nil, offset: Int = 0
    ) -> [[Value]] {
        let sorted = rows.indices.sorted { i, j in
            for key in keys {
                let c = referenceOrder(
                    rows[i][key.0], rows[j][key.0], descending: key.descending, nullsFirst: key.nullsFirst)
                if c != 0 { return c < 0 }
            }
            return i < j
        }.map { rows[$0] }
        let start = min(offset, sorted.count)
        let end = limit.map { start + min($0, sorted.count - start) } ?? sorted.count
        return Array(sorted[start..<end])
    }

    static func database() throws -> Database {
        var options = Database.Options()
        options.blockRowCount = 64
        let db = Database.inMemory(options: options)
        let table = try db.createTable(RandomTable.spec(name: "t"))
        try table.append(RandomTable.batch(rows: 2_000, days: 3, nullRate: 0.15, seed: 21))
        return db
    }

    static let columns = "ts, country, user, cohort, score, flag, seen, amount, count"

    /// ORDER BY clauses: (SQL, positions in `columns` with direction and NULLS FIRST).
    static let orders: [(String, [(Int, descending: Bool, nullsFirst: Bool)])] = [
        ("amount", [(7, false, false)]),
        ("amount DESC", [(7, true, false)]),
        ("score NULLS FIRST, ts DESC", [(4, false, true), (0, true, false)]),
        ("country DESC NULLS FIRST", [(1, true, true)]),
        ("user, count DESC", [(2, false, false), (8, true, false)]),
        ("flag DESC, cohort NULLS FIRST", [(5, true, false), (3, false, true)]),
        ("seen DESC NULLS LAST, country", [(6, true, false), (1, false, false)]),
        ("cohort", [(3, false, false)]),
    ]

    @Test(
        "ORDER BY over the scan gives the stable sort of the scanned rows, with every LIMIT and OFFSET",
        arguments: orders.indices)
    func overScan(order: Int) throws {
        let db = try Self.database()
        let (clause, keys) = Self.orders[order]
        for filter in ["", " WHERE country <> 'US'"] {
            let rows = try db.query("SELECT \(Self.columns) FROM t" + filter).rows
            let sql = "SELECT \(Self.columns) FROM t\(filter) ORDER BY \(clause)"
            // Workers each read a share of the three daily segments; ties between their rows go by segment.
            for parallelism in [1, 2, 3] {
                let sorted = try db.query(sql, options: QueryOptions(parallelism: parallelism)).rows
                #expect(sorted == Self.reference(rows, keys: keys), "\(sql), parallelism \(parallelism)")
            }
            for (limit, offset) in [(0, 0), (1, 0), (20, 0), (20, 7), (0, 5), (5, 3_000), (3_000, 0), (100_000, 1)] {
                for parallelism in [1, 2, 3] {
                    let limited = try db.query(
                        sql + " LIMIT \(limit) OFFSET \(offset)", options: QueryOptions(parallelism: parallelism)
                    ).rows
                    #expect(
                        limited == Self.reference(rows, keys: keys, limit: limit, offset: offset),
                        "\(sql) LIMIT \(limit) OFFSET \(offset), parallelism \(parallelism)")
                }
            }
        }
    }

    @Test("ORDER BY over an aggregate's rows and over expressions")
    func overRows() throws {
        let db = try Self.database()
        let groups = try db.query("SELECT country, count(*) AS n, max(score) AS s FROM t GROUP BY country").rows
        for (clause, keys, limit) in [
            ("n DESC, country", [(1, descending: true, nullsFirst: false), (0, false, false)], 3),
            ("s NULLS FIRST", [(2, descending: false, nullsFirst: true)], 4),
            ("country DESC", [(0, descending: true, nullsFirst: false)], 100),
        ] {
            let sql = "SELECT country, count(*) AS n, max(score) AS s FROM t GROUP BY country ORDER BY \(clause)"
            #expect(try db.query(sql).rows == Self.reference(groups, keys: keys), "\(sql)")
            #expect(
                try db.query(sql + " LIMIT \(limit)").rows == Self.reference(groups, keys: keys, limit: limit),
                "\(sql) LIMIT \(limit)")
        }
        let rows = try db.query("SELECT cohort % 3 AS m, amount * 2 AS a, upper(country) AS c FROM t").rows
        let sql = "SELECT cohort % 3 AS m, amount * 2 AS a, upper(country) AS c FROM t ORDER BY m DESC, c, a"
        let keys = [(0, descending: true, nullsFirst: false), (2, false, false), (1, false, false)]
        #expect(try db.query(sql).rows == Self.reference(rows, keys: keys))
        #expect(try db.query(sql + " LIMIT 15 OFFSET 2").rows == Self.reference(rows, keys: keys, limit: 15, offset: 2))
    }

    @Test("EXPLAIN and EXPLAIN ANALYZE name the sort and the limit")
    func explain() throws {
        let db = try Self.database()
        let sql = "SELECT ts, amount FROM t WHERE country = 'DE' ORDER BY amount DESC LIMIT 5"
        let plan = try db.query("EXPLAIN " + sql).rows.map { "\($0[0])" }
        #expect(plan.contains { $0.contains("Limit 5") }, "\(plan)")
        #expect(plan.contains { $0.contains("Sort amount DESC") }, "\(plan)")
        let analyzed = try db.query("EXPLAIN ANALYZE " + sql).rows.map { "\($0[0])" }
        #expect(analyzed.contains { $0.contains("Sort amount DESC") && $0.contains("rows=5") }, "\(analyzed)")
    }

    /// Random values of one type, with NULLs and many ties; DECIMALs sometimes too wide for 64 bits, so
    /// that some batches hold them typed and others boxed.
    static func values(_ type: SQLValueType, count: Int, using rng: inout SplitMix64) -> [Value] {
        let strings = ["", "a", "ab", "B", "Ünïcode", "z", "a,b"]
        return (0..<count).map { _ in
            if rng.next() % 6 == 0 { return .null }
            let r = rng.next()
            switch type {
            // The extremes leave no word free for NULL, so the sort compares without words.
            case .bigint: return r % 97 == 0 ? .int64(r % 2 == 0 ? .min : .max) : .int64(Int64(r % 7) - 3)
            case .timestamp: return .timestamp(Int64(r % 5) * 86_400_000)
            case .double: return r % 11 == 0 ? .double(.nan) : .double(Double(Int64(r % 9) - 4) / 2)
            case .boolean: return .bool(r % 2 == 0)
            case .decimal(let p, let s):
                let wide = r % 50 == 0 ? Int128(Int64.max) * 4 : 0
                return .decimal(DecimalValue(unscaled: Int128(Int64(r % 9) - 4) * 25 + wide, precision: p, scale: s))
            default: return .string(strings[Int(r % UInt64(strings.count))])
            }
        }
    }

    @Test("TopN and Sort equal the reference on random batches of every column form", arguments: 0..<12)
    func operators(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let types: [SQLValueType] = [
            .bigint, .double, .varchar, .boolean, .timestamp, .decimal(precision: 30, scale: 2),
        ]
        let count = Int(rng.next() % 3_000)
        let columns = types.map { Self.values($0, count: count, using: &rng) }
        let rows = (0..<count).map { i in columns.map { $0[i] } }
        let keys = (0..<1 + Int(rng.next() % 3)).map { _ in
            (Int(rng.next() % UInt64(types.count)), descending: rng.next() % 2 == 0, nullsFirst: rng.next() % 2 == 0)
        }
        let sortKeys = keys.map { SortKey(column: $0.0, descending: $0.descending, nullsFirst: $0.nullsFirst) }
        // Batches of random sizes, typed where their values allow it (a DECIMAL too wide for 64 bits boxes its batch).
        var batches: [Batch] = []
        var start = 0
        while start < count {
            let end = min(count, start + 1 + Int(rng.next() % 700))
            batches.append(Batch(rows: rows[start..<end], types: types))
            start = end
        }
        let context = QueryContext()
        let sort = Sort(keys: sortKeys, context: context)
        for batch in batches { try sort.consume(batch) }
        // As text: NaN is not equal to itself.
        func text(_ rows: [[Value]]) -> [[String]] {
            rows.map { $0.map { "\($0.dataType.map { "\($0)" } ?? "")\($0)" } }
        }
        #expect(text(try sort.finish()) == text(Self.reference(rows, keys: keys)), "keys \(keys)")
        for (limit, offset) in [(0, 0), (1, 0), (10, 0), (10, 25), (500, 3), (count + 10, 0)] {
            let top = TopN(keys: sortKeys, limit: limit, offset: offset, context: context)
            for batch in batches { try top.consume(batch) }
            #expect(
                text(try top.finish()) == text(Self.reference(rows, keys: keys, limit: limit, offset: offset)),
                "keys \(keys) LIMIT \(limit) OFFSET \(offset)")
        }
    }

    @Test("a cancelled sort throws cancelled")
    func cancelled() throws {
        let context = QueryContext()
        let sort = Sort(keys: [SortKey(column: 0, descending: false, nullsFirst: false)], context: context)
        try sort.consume(Batch(rows: (0..<100).map { [.int64($0 % 7)] }[...], types: [.bigint]))
        context.cancel()
        #expect(throws: StrataError.self) { try sort.finish() }
        let top = TopN(
            keys: [SortKey(column: 0, descending: true, nullsFirst: false)], limit: 3, offset: 0, context: context)
        #expect(throws: StrataError.self) {
            try top.consume(Batch(rows: [[.int64(1)]][...], types: [.bigint]))
        }
    }
}
