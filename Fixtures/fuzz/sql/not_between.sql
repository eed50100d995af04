SELECT count(*) AS n FROM events WHERE latency_ms NOT BETWEEN 50 AND 500;
