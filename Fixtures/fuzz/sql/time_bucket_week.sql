SELECT time_bucket(INTERVAL '1 week', ts) AS week, count(*) AS n FROM events GROUP BY week ORDER BY week;
