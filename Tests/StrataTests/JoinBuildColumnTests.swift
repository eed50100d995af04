import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// A join's build side holds its strings as one dictionary of distinct values, with an id that promises
/// exactly that; a function of such a column (`substring(code, 1, 2)`) has repeated results, so grouping,
/// counting distinct values or taking extremes of it must go by the results' strings. (TPC-H Q22 at SF 1 gave
/// one group per customer instead of one per country code when NOT EXISTS kept the build side's rows.)
@Suite("Functions of a join's build-side strings")
struct JoinBuildColumnTests {
    /// facts(k, d): 3000 rows over dims 0..<60; dims(d, code): "p0-…" … "p5-…", ten codes per prefix.
    static func database() throws -> (Database, TestDirectory, facts: [(Int64, Int64)], dims: [(Int64, String)]) {
        let dir = TestDirectory()
        let db = try Database.open(at: dir.path)
        let facts = (0..<3000).map { (Int64($0), Int64($0 * 7 % 50)) }  // dims 50..<60 have no facts
        let dims = (0..<60).map { (Int64($0), "p\($0 % 6)-\($0)") }
        let factSpec = TableSpec(
            name: "facts", timestamp: nil,
            dimensions: [DimensionSpec(name: "k", type: .int64), DimensionSpec(name: "d", type: .int64)], metrics: [])
        let dimSpec = TableSpec(
            name: "dims", timestamp: nil,
            dimensions: [DimensionSpec(name: "d", type: .int64), DimensionSpec(name: "code", type: .string)],
            metrics: [])
        let f = try db.createTable(factSpec)
        try f.append(rows: facts.map { ["k": .int64($0.0), "d": .int64($0.1)] })
        try f.flush()
        // Two segments: the build side is then several batches, whose strings the join table makes one dictionary.
        let d = try db.createTable(dimSpec)
        for half in [dims[..<30], dims[30...]] {
            try d.append(rows: half.map { ["d": .int64($0.0), "code": .string($0.1)] })
            try d.flush()
        }
        return (db, dir, facts, dims)
    }

    @Test("grouping, distinct counts and extremes of substring(code) over joined and anti-joined rows")
    func functionsOfBuildStrings() throws {
        let (db, dir, facts, dims) = try Self.database()
        defer { _ = dir }
        func prefix(_ d: Int64) -> String { String(dims[Int(d)].1.prefix(2)) }
        // Joined: each fact's dim prefix (dims, the smaller side, is the build side).
        var counts: [String: Int64] = [:]
        for (_, d) in facts { counts[prefix(d), default: 0] += 1 }
        let grouped = try db.query(
            "SELECT substring(code, 1, 2) AS p, count(*) FROM facts JOIN dims ON facts.d = dims.d GROUP BY p ORDER BY p"
        ).rows
        #expect(grouped == counts.keys.sorted().map { [.string($0), .int64(counts[$0] ?? 0)] })
        let distinct = try db.query(
            "SELECT count(DISTINCT substring(code, 1, 2)), min(substring(code, 4)), max(upper(code)) "
                + "FROM facts JOIN dims ON facts.d = dims.d"
        ).rows
        let joined = facts.map { dims[Int($0.1)].1 }
        #expect(
            distinct == [
                [
                    .int64(Int64(Set(joined.map { $0.prefix(2) }).count)),
                    .string(joined.map { String($0.dropFirst(3)) }.min() ?? ""),
                    .string(joined.map { $0.uppercased() }.max() ?? ""),
                ]
            ])
        // Anti-joined: the dims no fact has (50..<60), kept from the side the anti join built.
        let unused = dims.filter { d in !facts.contains { $0.1 == d.0 } }
        var unusedCounts: [String: Int64] = [:]
        for d in unused { unusedCounts[String(d.1.prefix(2)), default: 0] += 1 }
        let anti = try db.query(
            "SELECT substring(code, 1, 2) AS p, count(*) FROM dims WHERE NOT EXISTS "
                + "(SELECT 1 FROM facts WHERE facts.d = dims.d) GROUP BY p ORDER BY p"
        ).rows
        #expect(anti == unusedCounts.keys.sorted().map { [.string($0), .int64(unusedCounts[$0] ?? 0)] })
    }
}
