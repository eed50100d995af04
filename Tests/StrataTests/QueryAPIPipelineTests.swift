import Strata
import StrataCore
import StrataTestSupport
import Testing

/// The query API runs on the vectorized pipeline: random queries — filters, intervals, keys, aggregates,
/// gap filling, post-aggregations, HAVING, ORDER BY, LIMIT and OFFSET — against the reference evaluator,
/// which computes them row at a time from the appended rows. The steps after the aggregation are applied
/// to the reference's answer here, as their documentation says.
@Suite("Query API on the pipeline")
struct QueryAPIPipelineTests {
    static let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay
    static let hour: Int64 = 3_600_000

    /// A table in three appends (several segments and blocks), and its reference.
    static func table(seed: UInt64) throws -> (Database, ReferenceTable) {
        var options = Database.Options()
        options.blockRowCount = 128
        let db = Database.inMemory(options: options)
        let table = try db.createTable(RandomTable.spec(userDictionary: seed % 2 == 0 ? .segment : .table))
        let batches = [
            RandomTable.batch(rows: 700, days: 3, seed: seed),
            RandomTable.batch(rows: 200, days: 2, seed: seed &+ 1),
        ]
        for batch in batches { try table.append(batch) }
        return (db, ReferenceTable(spec: table.spec, batches: batches))
    }

    @Test("random queries with the steps after aggregation give the reference's answers")
    func differential() throws {
        for seed in UInt64(0)..<32 {
            let (db, reference) = try Self.table(seed: seed &* 7919)
            var rng = SplitMix64(seed: seed ^ 0x5EED)
            var query = RandomQuery.make(seed: seed, table: reference)
            var timeKey: GroupKey?
            if rng.next() % 3 == 0 {
                // Gap filling: a day, hour or 6-hour key over one or two intervals of whole buckets or not.
                // 7 hours do not divide the 30 years to DuckDB's `time_bucket` origin: buckets from the epoch.
                let key = [
                    GroupKey.timeBucket(.day), .timeBucket(.hour), .fixedBucket(milliseconds: 6 * Self.hour),
                    .fixedBucket(milliseconds: 7 * Self.hour),
                ][Int(rng.next() % 4)]
                query.groupBy.removeAll { if case .column = $0 { false } else { true } }
                query.groupBy.insert(key, at: Int(rng.next() % UInt64(query.groupBy.count + 1)))
                let a = Self.start + Int64(rng.next() % 40) * Self.hour + Int64(rng.next() % 2) * 1_234
                query.intervals = [a..<(a + Int64(1 + rng.next() % 30) * Self.hour)]
                if rng.next() % 2 == 0 {
                    let b = a + 50 * Self.hour
                    query.intervals.append(b..<(b + 7 * Self.hour))
                }
                query.gapFill = GapFill(values: rng.next() % 2 == 0 ? ["rows": .int64(-1)] : [:])
                query.having = nil
                timeKey = key
            }
            var expected = try ReferenceEvaluator.evaluate(query, on: reference)
            if let timeKey { expected = Self.filled(expected, query: query, key: timeKey) }
            // Post-aggregations over the exact count (and over an earlier post-aggregation).
            if rng.next() % 2 == 0 {
                query.postAggregations = [
                    PostAggregation("half", .divide(.column("rows"), .constant(2))),
                    PostAggregation("ratio", .divide(.constant(1), .subtract(.column("half"), .constant(1)))),
                ]
                expected = Self.postAggregated(expected, query: query)
            }
            var ordered = false
            if rng.next() % 2 == 0, !query.groupBy.isEmpty {
                // Every key orders: a total order, so LIMIT and OFFSET pick the same rows.
                query.orderBy = query.groupBy.map {
                    OrderKey($0.name, descending: rng.next() % 2 == 0, nullsFirst: rng.next() % 2 == 0)
                }
                if rng.next() % 2 == 0 { query.limit = Int(rng.next() % 20) }
                if rng.next() % 3 == 0 { query.offset = Int(rng.next() % 10) }
                expected = Self.ordered(expected, query: query)
                ordered = true
            }
            let answer = try db.execute(query)
            let difference = expected.mismatch(answer, ordered: ordered)
            #expect(difference == nil, "seed \(seed): \(query)")
            #expect(answer.stats.groups >= 0 && answer.stats.segmentsTotal > 0)
        }
    }

    @Test("random scan queries give the matching rows, and their limit and offset a page of them")
    func scans() throws {
        for seed in UInt64(0)..<16 {
            let (db, reference) = try Self.table(seed: seed &+ 100)
            var rng = SplitMix64(seed: seed)
            let filter = RandomQuery.make(seed: seed, table: reference).filter
            var scan = ScanQuery(table: "t", columns: ["ts", "country", "amount", "flag"], filter: filter)
            if rng.next() % 2 == 0 {
                let a = Self.start + Int64(rng.next() % 60) * Self.hour
                scan.intervals = [a..<(a + 5 * Self.hour), (a + 10 * Self.hour)..<(a + 12 * Self.hour)]
            }
            let all = try db.execute(scan)
            let names = scan.columns
            let expected = reference.rows.filter { row in
                guard case .timestamp(let t) = row[0] else { return false }
                if !scan.intervals.isEmpty, !scan.intervals.contains(where: { $0.contains(t) }) { return false }
                let value = { (name: String) in reference.index(of: name).map { row[$0] } ?? .null }
                return filter.map { ReferenceFilter.evaluate($0, value) == true } ?? true
            }.map { row in names.map { reference.index(of: $0).map { row[$0] } ?? .null } }
            let answer = ReferenceAnswer(columnNames: names, rows: expected.map { $0.map { .exact($0) } })
            #expect(answer.mismatch(all) == nil, "seed \(seed)")
            #expect(all.columns.map(\.type) == [.timestamp, .string, .double, .bool])
            #expect(all.stats.rowsMatched == expected.count)
            let page = try db.execute(
                ScanQuery(
                    table: "t", columns: scan.columns, intervals: scan.intervals, filter: filter, limit: 7, offset: 3))
            #expect(page.rows == Array(all.rows.dropFirst(3).prefix(7)), "seed \(seed)")
        }
    }

    @Test("gap filling, post-aggregations, HAVING, ORDER BY and LIMIT over a known table")
    func steps() throws {
        let (db, _) = try Self.table(seed: 3)
        var query = Query(
            table: "t", intervals: [Self.start..<(Self.start + 6 * Self.hour)], groupBy: [.timeBucket(.hour)],
            aggregations: [Aggregation("rows", .count), Aggregation("s", .sum, column: "count")],
            postAggregations: [PostAggregation("per", .divide(.column("s"), .column("rows")))],
            gapFill: GapFill(), orderBy: [OrderKey("hour_bucket", descending: true)], limit: 4, offset: 1)
        let result = try db.execute(query)
        #expect(result.columnNames == ["hour_bucket", "rows", "s", "per"])
        #expect(result.columns.map(\.type) == [.timestamp, .int64, .int64, .double])
        let buckets = result.rows.map { $0[0] }
        #expect(buckets == (1...4).map { .timestamp(Self.start + Int64(5 - $0) * Self.hour) })
        query.having = .compare("per", .greaterThan, .double(1e18))
        #expect(try db.execute(query).rows.isEmpty)
        query.having = .compare("nope", .greaterThan, .int64(0))
        let error = #expect(throws: StrataError.self) { try db.execute(query) }
        #expect(error?.code == .binding)
        // Fixed buckets count from the epoch, whatever the width (SQL's time_bucket counts from 2000-01-03).
        let width = 7 * Self.hour
        let epochBuckets = try db.execute(
            Query(table: "t", groupBy: [.fixedBucket(milliseconds: width)], aggregations: [Aggregation("n", .count)]))
        #expect(epochBuckets.rows.count > 5)
        #expect(epochBuckets.rows.allSatisfy { if case .timestamp(let t) = $0[0] { t % width == 0 } else { false } })
    }

    @Test("a query leaves nothing reserved in its context: every operator's rows are released")
    func accounting() throws {
        let (db, reference) = try Self.table(seed: 11)
        let snapshot = try db.table(named: "t").snapshot()
        for seed in UInt64(0)..<8 {
            var query = RandomQuery.make(seed: seed, table: reference)
            query.groupBy = [.timeBucket(.hour)] + query.groupBy.filter { if case .column = $0 { true } else { false } }
            query.intervals = [Self.start..<(Self.start + 30 * Self.hour)]
            query.gapFill = GapFill()
            query.postAggregations = [PostAggregation("twice", .multiply(.column("rows"), .constant(2)))]
            query.orderBy = [OrderKey("hour_bucket")]
            query.limit = 10
            let context = QueryContext()
            _ = try snapshot.execute(query, context: context)
            #expect(context.reservedBytes == 0, "seed \(seed)")
            let scanContext = QueryContext()
            _ = try snapshot.execute(ScanQuery(table: "t", filter: query.filter, limit: 50), context: scanContext)
            #expect(scanContext.reservedBytes == 0, "seed \(seed)")
        }
    }

    /// The reference answer with its missing (other keys × bucket) rows, built from the definition.
    static func filled(_ answer: ReferenceAnswer, query: Query, key: GroupKey) -> ReferenceAnswer {
        guard let p = query.groupBy.firstIndex(of: key) else { return answer }
        let keyCount = query.groupBy.count
        var buckets = Set<Int64>()
        for interval in query.intervals {
            var t: Int64
            let width: Int64
            switch key {
            case .timeBucket(.day): (t, width) = (ReferenceCalendar.truncate(interval.lowerBound, to: TimeUnit.day), 86_400_000)
            case .timeBucket: (t, width) = (ReferenceCalendar.truncate(interval.lowerBound, to: TimeUnit.hour), hour)
            case .fixedBucket(let w): (t, width) = (ReferenceCalendar.floorDiv(interval.lowerBound, w) * w, w)
            case .column: return answer
            }
            while t < interval.upperBound {
                buckets.insert(t)
                t += width
            }
        }
        var others: [[Value]] = []
        var present = Set<[Value]>()
        for row in answer.exactRows {
            present.insert(Array(row[0..<keyCount]))
            var other = Array(row[0..<keyCount])
            other.remove(at: p)
            if !others.contains(other) { others.append(other) }
        }
        if others.isEmpty { others = [Array(repeating: .null, count: keyCount - 1)] }
        let fills: [ReferenceAnswer.Cell] = query.aggregations.map { a in
            if let v = query.gapFill?.values[a.name] { return .exact(v) }
            switch a.function {
            case .count, .countDistinct, .approxCountDistinct: return .exact(.int64(0))
            default: return .exact(.null)
            }
        }
        var out = answer
        for other in others {
            for bucket in buckets.sorted() {
                var k = other
                k.insert(.timestamp(bucket), at: p)
                if !present.contains(k) { out.rows.append(k.map { .exact($0) } + fills) }
            }
        }
        return out
    }

    /// The reference answer with each post-aggregation's value appended, from exact cells.
    static func postAggregated(_ answer: ReferenceAnswer, query: Query) -> ReferenceAnswer {
        var out = answer
        for post in query.postAggregations { out.columnNames.append(post.name) }
        out.rows = answer.rows.map { row in
            var row = row
            var names = answer.columnNames.map { $0.lowercased() }
            for post in query.postAggregations {
                let current = row
                let value = post.expression.evaluate { name in
                    names.firstIndex(of: name.lowercased()).map { current[$0].value }
                }
                row.append(.exact(value))
                names.append(post.name.lowercased())
            }
            return row
        }
        return out
    }

    /// The reference answer sorted by the query's keys (NULLs first or last in either direction), then paged.
    static func ordered(_ answer: ReferenceAnswer, query: Query) -> ReferenceAnswer {
        let names = answer.columnNames.map { $0.lowercased() }
        let keys = query.orderBy.compactMap { key in names.firstIndex(of: key.column.lowercased()).map { (key, $0) } }
        var out = answer
        out.rows = answer.rows.sorted { a, b in
            for (key, p) in keys {
                let (x, y) = (a[p].value, b[p].value)
                var c = ValueOrder.sortOrder(x, y, nullsFirst: key.nullsFirst)
                if key.descending, !x.isNull, !y.isNull { c = -c }
                if c != 0 { return c < 0 }
            }
            return false
        }
        let rows = out.rows.dropFirst(max(0, query.offset))
        out.rows = Array(query.limit.map { rows.prefix(max(0, $0)) } ?? rows)
        return out
    }
}
