SELECT variant, sum(revenue) / count(*) AS revenue_per_event, sum(revenue) FILTER (WHERE event = 'purchase') AS purchases_revenue
FROM events GROUP BY variant ORDER BY variant;
