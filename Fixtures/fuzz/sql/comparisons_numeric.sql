SELECT count(*) FILTER (WHERE revenue > 0) AS paid, count(*) FILTER (WHERE revenue >= 35.5) AS big,
       count(*) FILTER (WHERE latency_ms < 100) AS fast, count(*) FILTER (WHERE latency_ms <= 100) AS fast_or_100,
       count(*) FILTER (WHERE latency_ms = 120) AS exactly_120
FROM events;
