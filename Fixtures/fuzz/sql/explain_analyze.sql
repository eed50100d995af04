EXPLAIN ANALYZE SELECT variant, count(*) FILTER (WHERE event = 'purchase') AS buys, avg(latency_ms) FROM events WHERE ts >= TIMESTAMP '2026-10-01' GROUP BY ALL ORDER BY 1;
