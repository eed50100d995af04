SELECT variant, approx_count_distinct(user_id) AS users FROM events GROUP BY variant ORDER BY variant;
