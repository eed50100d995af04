SELECT experiment, count(*) AS n FROM events
WHERE experiment IN ('exp_000', 'exp_001', 'exp_002') GROUP BY experiment ORDER BY experiment;
