WITH purchases AS (SELECT user_id, revenue FROM events WHERE event = 'purchase')
SELECT count(*) AS orders, count(DISTINCT user_id) AS buyers, sum(revenue) AS total FROM purchases;
