SELECT variant, count(*) AS exposures, count(DISTINCT user_id) AS users
FROM events
WHERE experiment = 'exp_000' AND event = 'exposure'
  AND ts >= TIMESTAMP '2026-10-01' AND ts < TIMESTAMP '2026-10-08'
GROUP BY variant ORDER BY variant;
