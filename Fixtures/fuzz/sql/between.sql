SELECT count(*) AS n, min(latency_ms) AS lo, max(latency_ms) AS hi FROM events WHERE latency_ms BETWEEN 100 AND 200;
