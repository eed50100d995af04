import StrataSQL
import Testing

/// The queries the dashboards and the demo run: they must parse, keep their structure and round-trip.
@Suite("Dashboard queries")
struct DashboardQueryTests {
    static let queries = [
        """
        SELECT variant, count(*) AS events, count(DISTINCT user_id) AS users FROM events
        WHERE experiment = 'exp_001' AND ts >= TIMESTAMP '2026-10-01' AND ts < TIMESTAMP '2026-10-08'
        GROUP BY variant ORDER BY variant
        """,
        """
        SELECT variant, count(*), sum(r), sum(r*r) FROM (SELECT user_id, variant, sum(revenue) AS r FROM events
        WHERE experiment='exp_000' GROUP BY ALL) GROUP BY 1 ORDER BY 1
        """,
        """
        SELECT date_trunc('hour', ts) AS hour, count(*) AS events FROM events
        WHERE ts >= TIMESTAMP '2026-10-01' GROUP BY 1 ORDER BY 1
        """,
        "SELECT country, quantile_cont(latency_ms, 0.95) AS p95 FROM events GROUP BY country ORDER BY p95 DESC LIMIT 10",
        """
        SELECT variant, count(*) FILTER (WHERE event = 'purchase') AS purchases,
               count(*) FILTER (WHERE event = 'purchase') / count(*) AS conversion
        FROM events GROUP BY variant
        """,
        "SELECT app_version, count(*) FROM events WHERE app_version LIKE '5.%' GROUP BY app_version;",
        """
        SELECT time_bucket(INTERVAL '5 minutes', ts) AS bucket, approx_count_distinct(user_id) AS dau,
               approx_quantile(latency_ms, 0.99) AS p99
        FROM events WHERE ts >= TIMESTAMP '2026-10-01' - INTERVAL 7 DAY GROUP BY ALL ORDER BY bucket
        """,
        """
        SELECT variant, avg(revenue), var_samp(revenue), stddev_samp(revenue) FROM events
        WHERE experiment IN ('exp_001', 'exp_002') AND revenue IS NOT NULL AND country NOT IN ('XX')
        GROUP BY variant HAVING count(*) >= 100
        """,
        """
        SELECT CASE WHEN latency_ms < 100 THEN 'fast' WHEN latency_ms < 500 THEN 'ok' ELSE 'slow' END AS speed,
               count(*) FROM events GROUP BY 1
        """,
        "SELECT epoch_ms(ts) / 1000 AS s, CAST(ts AS DATE) AS day FROM events LIMIT 5 OFFSET 10",
    ]

    @Test("parse and round-trip", arguments: queries)
    func roundTrip(sql: String) throws {
        let parsed = try parse(sql)
        #expect(try parse(parsed.description) == parsed, "canonical: \(parsed)")
    }

    @Test("the experiment summary query has the expected structure")
    func summaryStructure() throws {
        let parsed = try query(Self.queries[0])
        #expect(
            parsed.items == [
                .expression(col("variant"), alias: nil),
                .expression(call("count", star: true), alias: Identifier("events")),
                .expression(call("count", col("user_id"), distinct: true), alias: Identifier("users")),
            ])
        let expected = bin(
            .and,
            bin(
                .and, bin(.equal, col("experiment"), str("exp_001")),
                bin(.greaterOrEqual, col("ts"), lit(.typed(.timestamp, "2026-10-01")))),
            bin(.less, col("ts"), lit(.typed(.timestamp, "2026-10-08"))))
        #expect(parsed.whereClause == expected)
        #expect(parsed.groupBy == .expressions([col("variant")]))
        #expect(parsed.orderBy == [OrderItem(col("variant"))])
    }

    @Test("the per-user revenue query nests a grouped subquery without an alias")
    func nestedStructure() throws {
        let outer = try query(Self.queries[1])
        #expect(outer.groupBy == .expressions([int(1)]))
        #expect(outer.orderBy == [OrderItem(int(1))])
        #expect(outer.items[3] == .expression(call("sum", bin(.multiply, col("r"), col("r"))), alias: nil))
        guard case .subquery(let inner)? = outer.from?.source else {
            Issue.record("no subquery")
            return
        }
        #expect(outer.from?.alias == nil)
        #expect(inner.groupBy == .all)
        #expect(inner.whereClause == bin(.equal, col("experiment"), str("exp_000")))
        #expect(inner.items[2] == .expression(call("sum", col("revenue")), alias: Identifier("r")))
    }

    @Test("the canonical text of the nested query")
    func nestedCanonical() throws {
        #expect(
            try parse(Self.queries[1]).description
                == "SELECT variant, count(*), sum(r), sum(r * r) FROM (SELECT user_id, variant, sum(revenue) AS r "
                + "FROM events WHERE experiment = 'exp_000' GROUP BY ALL) GROUP BY 1 ORDER BY 1")
    }
}
