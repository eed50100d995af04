SELECT variant, count(*) AS n, sum(revenue) AS sum_y, sum(revenue * revenue) AS sum_y2
FROM (SELECT user_id, variant, sum(revenue) AS revenue FROM events WHERE experiment = 'exp_000'
      GROUP BY user_id, variant) AS per_user
GROUP BY variant ORDER BY variant;
