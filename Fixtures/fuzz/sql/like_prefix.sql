SELECT experiment, count(*) AS n FROM events WHERE experiment LIKE 'exp_00%' GROUP BY experiment ORDER BY experiment;
