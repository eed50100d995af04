import StrataSQL
import Testing

@Suite("Canonical SQL round trip")
struct RoundTripTests {
    static let statements = [
        "SELECT 1",
        "SELECT DISTINCT variant FROM events",
        "SELECT ALL variant FROM events",
        "SELECT * FROM events",
        "SELECT e.* FROM events AS e",
        "SELECT a AS x, b y, \"Mixed Case\" FROM t",
        "SELECT e.user_id, \"e\".\"ts\" FROM events e",
        "SELECT a FROM t WHERE a = 1 AND b <> 2 OR c != 3 AND d < 4 AND e <= 5 AND f > 6 AND g >= 7",
        "SELECT a FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x', 'y')",
        "SELECT a FROM t WHERE a BETWEEN 1 AND 10 AND b NOT BETWEEN -1 AND 1",
        "SELECT a FROM t WHERE v LIKE '5.%' AND w NOT LIKE '%x' AND y ILIKE 'A%' AND z NOT ILIKE 'b'",
        "SELECT a FROM t WHERE a IS NULL OR b IS NOT NULL",
        "SELECT NOT a, -b, +c, a || b, a + b - c * d / e % f FROM t",
        "SELECT (a + b) * c, a - (b - c), -(a + b), NOT (a OR b) FROM t",
        "SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END FROM t",
        "SELECT CASE variant WHEN 'a' THEN 1 WHEN 'b' THEN 2 END AS code FROM t",
        "SELECT CAST(ts AS DATE), CAST(x AS DOUBLE), x::BIGINT, y::INTEGER, z::VARCHAR, w::BOOLEAN FROM t",
        "SELECT CAST(s AS TIMESTAMP), TIMESTAMP '2026-10-01 12:00:00', DATE '2026-10-01'",
        "SELECT INTERVAL '5 minutes', INTERVAL '1' HOUR, INTERVAL 2 DAY, INTERVAL 3 WEEKS, INTERVAL 1 MONTH",
        "SELECT INTERVAL '10' SECOND, INTERVAL 1 YEAR, INTERVAL 1 MINUTE, INTERVAL 250 MILLISECONDS",
        "SELECT date_trunc('hour', ts) AS hour, count(*) FROM events GROUP BY 1 ORDER BY 1",
        "SELECT time_bucket(INTERVAL '5 minutes', ts), epoch_ms(ts) FROM events GROUP BY ALL",
        "SELECT count(*), count(x), count(DISTINCT user_id), sum(r), min(r), max(r), avg(r) FROM t",
        "SELECT var_samp(r), stddev_samp(r), approx_count_distinct(u), quantile_cont(l, 0.95) FROM t",
        "SELECT approx_quantile(latency_ms, 0.5) FILTER (WHERE event = 'view') FROM events",
        "SELECT count(*) FILTER (WHERE event = 'purchase') AS purchases FROM events",
        "SELECT a FROM t ORDER BY a DESC NULLS LAST, b ASC NULLS FIRST, c LIMIT 10 OFFSET 20",
        "SELECT a FROM t LIMIT 5",
        "SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1 AND sum(x) > 0",
        "SELECT x FROM (SELECT a AS x FROM t) AS s WHERE x > 0",
        "SELECT x FROM (SELECT a AS x FROM (SELECT a FROM t))",
        "WITH u AS (SELECT user_id FROM events) SELECT count(*) FROM u",
        "WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b",
        "EXPLAIN SELECT a FROM t",
        "EXPLAIN ANALYZE SELECT a, count(*) FROM t GROUP BY a",
        "SELECT 'it''s', '', \"we\"\"ird\" FROM t",
        "SELECT 0.95, 1e-3, .5, 9223372036854775807, -9223372036854775808, 99999999999999999999",
        "SELECT TRUE, FALSE, NULL",
        "SELECT a FROM t WHERE a - -1 > 0 AND b = -2.5",
        "SELECT left(s, 2), right(s, 3), extract(hour FROM ts) FROM t",
        "SELECT \"group\".\"order\" FROM \"group\"",
    ]

    @Test("parse, print, parse again: the same AST, and printing is stable", arguments: statements)
    func roundTrip(sql: String) throws {
        let first = try parse(sql)
        let text = first.description
        let second = try parse(text)
        #expect(second == first, "canonical text: \(text)")
        #expect(second.description == text)
    }

    @Test("canonical text of a mixed-case, loosely written query")
    func canonicalText() throws {
        let text = try parse(
            """
            select Variant,COUNT(*) events,count(distinct user_id)as users
            from Events e where ts>=timestamp '2026-10-01' and x::int!=3
            group by all order by 2 desc limit 3;
            """
        ).description
        #expect(
            text
                == "SELECT Variant, COUNT(*) AS events, count(DISTINCT user_id) AS users FROM Events AS e "
                + "WHERE ts >= TIMESTAMP '2026-10-01' AND CAST(x AS INTEGER) <> 3 GROUP BY ALL ORDER BY 2 DESC LIMIT 3")
    }

    @Test("equality ignores positions and name case, so GROUP BY items match SELECT items")
    func equalityIgnoresPositions() throws {
        let parsed = try query("SELECT date_trunc('hour', ts) FROM t GROUP BY DATE_TRUNC('hour',   TS)")
        guard case .expression(let selected, _) = parsed.items[0], case .expressions(let keys)? = parsed.groupBy else {
            Issue.record("unexpected shape")
            return
        }
        #expect(selected == keys[0])
        #expect(selected.range != keys[0].range)
        #expect(Set([selected, keys[0]]).count == 1)
    }
}
