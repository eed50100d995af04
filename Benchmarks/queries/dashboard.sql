-- Dashboard queries as users write them (issue 12): the shapes a BI tool or an analyst sends that the
-- tuned suite (events.sql) does not — CASE inside aggregates, expressions and casts as group keys,
-- DISTINCT, ILIKE, string min/max, raw-row ORDER BY … LIMIT, arithmetic over aggregates, DAU, high-
-- cardinality GROUP BY. None of them was tuned for. Run on the plain spec (events-plain-spec.json: no
-- table dictionary, no sort key) and on the tuned one (Fixtures/events-spec.json):
--
--     python3 Benchmarks/peers/compare.py --queries Benchmarks/queries/dashboard.sql --spec plain
--
-- Same format as events.sql (an alias never repeats a column another item reads: ClickHouse would substitute
-- it). "-- check: shape" marks a query without a full order (SELECT * … LIMIT):
-- only its row and column counts are compared.

-- name: slow_share_per_variant
SELECT variant, avg(CASE WHEN latency_ms > 500 THEN 1 ELSE 0 END) AS slow_share
FROM events GROUP BY variant ORDER BY variant;

-- name: string_min_max
SELECT min(app_version) AS min_version, max(app_version) AS max_version, min(country) AS min_country,
       max(country) AS max_country
FROM events;

-- name: daily_active_users
SELECT CAST(ts AS DATE) AS day, count(DISTINCT user_id) AS dau
FROM events GROUP BY CAST(ts AS DATE) ORDER BY day;

-- name: daily_active_users_approx
-- approximates: daily_active_users
SELECT CAST(ts AS DATE) AS day, approx_count_distinct(user_id) AS approx_dau
FROM events GROUP BY CAST(ts AS DATE) ORDER BY day;

-- name: revenue_per_user_by_country
SELECT country, sum(revenue) / count(DISTINCT user_id) AS revenue_per_user
FROM events GROUP BY country ORDER BY country;

-- name: select_star_limit
-- check: shape
SELECT * FROM events LIMIT 100;

-- name: distinct_platform
SELECT DISTINCT platform FROM events ORDER BY platform;

-- name: ilike_search
SELECT event, count(*) AS n FROM events WHERE event ILIKE '%CART%' OR event ILIKE 'Sign%'
GROUP BY event ORDER BY event;

-- name: top_purchases_raw
SELECT ts, user_id, revenue FROM events WHERE event = 'purchase'
ORDER BY revenue DESC, ts, user_id LIMIT 20;

-- name: arpu_and_conversion
SELECT variant, sum(revenue) / count(*) AS revenue_per_event,
       100.0 * count(*) FILTER (WHERE event = 'purchase') / count(*) AS purchase_pct
FROM events WHERE experiment = 'exp_002' GROUP BY variant ORDER BY variant;

-- name: latency_buckets
SELECT latency_ms - latency_ms % 100 AS bucket, count(*) AS n
FROM events WHERE latency_ms < 1000 GROUP BY latency_ms - latency_ms % 100 ORDER BY bucket;

-- name: hour_of_day
SELECT date_part('hour', ts) AS hour_of_day, count(*) AS n, sum(revenue) AS revenue
FROM events GROUP BY date_part('hour', ts) ORDER BY hour_of_day;

-- name: paying_segment
SELECT CASE WHEN revenue > 0 THEN 'paying' ELSE 'free' END AS segment, count(*) AS n, sum(revenue) AS total_revenue
FROM events GROUP BY CASE WHEN revenue > 0 THEN 'paying' ELSE 'free' END ORDER BY segment;

-- name: new_users_by_platform
SELECT is_new_user, platform, count(*) AS n FROM events GROUP BY is_new_user, platform
ORDER BY is_new_user, platform;

-- name: purchase_revenue_case_sum
SELECT platform, sum(CASE WHEN event = 'purchase' THEN revenue ELSE 0 END) AS purchase_revenue,
       sum(CASE WHEN event = 'add_to_cart' THEN 1 ELSE 0 END) AS carts
FROM events GROUP BY platform ORDER BY platform;

-- name: experiments_per_country
SELECT country, count(DISTINCT experiment) AS experiments FROM events GROUP BY country ORDER BY country;

-- name: popular_versions_having
SELECT app_version, count(*) AS n FROM events GROUP BY app_version HAVING count(*) > 1000
ORDER BY n DESC, app_version;

-- name: weekly_events
SELECT date_trunc('week', ts) AS week, count(*) AS n FROM events GROUP BY date_trunc('week', ts) ORDER BY week;

-- name: lower_platform_filter
SELECT country, count(*) AS n FROM events WHERE lower(platform) = 'ios' AND country IN ('US', 'DE', 'FR', 'GB')
GROUP BY country ORDER BY country;

-- name: latency_range_count
SELECT count(*) AS n, avg(latency_ms) AS mean_latency FROM events
WHERE latency_ms BETWEEN 100 AND 200 AND revenue = 0;

-- name: top_users
SELECT user_id, count(*) AS events FROM events GROUP BY user_id ORDER BY events DESC, user_id LIMIT 10;

-- name: mean_paid_revenue
SELECT variant, avg(revenue) FILTER (WHERE revenue > 0) AS mean_paid FROM events
WHERE experiment = 'exp_000' GROUP BY variant ORDER BY variant;

-- name: distinct_experiment_variant
SELECT DISTINCT experiment, variant FROM events ORDER BY experiment, variant;

-- name: narrow_window_count
SELECT count(*) AS n FROM events WHERE ts >= TIMESTAMP '2026-10-05 06:00:00' AND ts < TIMESTAMP '2026-10-05 06:10:00';

-- name: daily_buyers
SELECT date_trunc('day', ts) AS day, count(DISTINCT user_id) FILTER (WHERE event = 'purchase') AS buyers
FROM events GROUP BY date_trunc('day', ts) ORDER BY day;

-- name: time_span
SELECT min(ts) AS first_event, max(ts) AS last_event, count(*) AS n FROM events;

-- name: version_length
SELECT length(app_version) AS version_length, count(*) AS n FROM events GROUP BY length(app_version)
ORDER BY version_length;

-- name: users_per_variant_ratio
SELECT experiment, count(DISTINCT user_id) * 1.0 / count(*) AS users_per_event FROM events
WHERE experiment IN ('exp_000', 'exp_001', 'exp_002') GROUP BY experiment ORDER BY experiment;

-- name: latency_mean_by_version_platform
SELECT app_version, platform, avg(latency_ms) AS mean_latency, max(latency_ms) AS max_latency FROM events
WHERE platform <> 'web' GROUP BY app_version, platform ORDER BY app_version, platform;
