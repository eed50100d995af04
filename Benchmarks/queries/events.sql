-- The dashboard suite: questions an experiment dashboard asks of the `events` table
-- (shared/datasets/events.md). `strata bench` and Benchmarks/peers/compare.py run it; the same text runs
-- on Strata, DuckDB and ClickHouse (chdb), except for the rewrites compare.py applies for ClickHouse
-- (its REWRITES table: quantile_cont and approx_count_distinct have other names there).
--
-- Format: a query starts with "-- name: NAME", may carry "-- rollup: yes" when a rolled-up copy of the
-- table (events_minutely-spec.json: minute granularity, user_id only as a HyperLogLog sketch; count,
-- revenue sum/min/max/moments, latency min/max/moments and a quantile sketch) answers it too, and ends
-- with ";". Every query orders its rows fully, so answers compare row by row.
-- Aggregates whose alias starts with "approx_" are approximate: "-- approximates: NAME" names the query
-- with the exact answer (same rows), and each engine's estimate must be within 3% of it.
-- An alias never repeats an input column that another select item reads: ClickHouse would substitute it.

-- name: variant_counts_7d
-- rollup: yes
SELECT variant, count(*) AS events, count(*) FILTER (WHERE event = 'exposure') AS exposures,
       count(*) FILTER (WHERE event = 'purchase') AS purchases
FROM events
WHERE experiment = 'exp_000' AND ts >= TIMESTAMP '2026-10-01' AND ts < TIMESTAMP '2026-10-08'
GROUP BY variant ORDER BY variant;

-- name: hourly_purchases_revenue
-- rollup: yes
SELECT date_trunc('hour', ts) AS hour, variant, count(*) AS purchases, sum(revenue) AS revenue
FROM events
WHERE experiment = 'exp_001' AND event = 'purchase'
GROUP BY date_trunc('hour', ts), variant ORDER BY hour, variant;

-- name: top_countries_revenue
-- rollup: yes
SELECT country, sum(revenue) AS revenue, count(*) AS purchases
FROM events WHERE event = 'purchase'
GROUP BY country ORDER BY revenue DESC, country LIMIT 10;

-- name: unique_users_per_variant
SELECT variant, count(DISTINCT user_id) AS users, count(*) AS events
FROM events WHERE experiment = 'exp_000'
GROUP BY variant ORDER BY variant;

-- name: unique_users_per_variant_day
SELECT date_trunc('day', ts) AS day, variant, count(DISTINCT user_id) AS users
FROM events WHERE experiment = 'exp_002'
GROUP BY date_trunc('day', ts), variant ORDER BY day, variant;

-- name: approx_users_per_variant_day
-- rollup: yes
-- approximates: unique_users_per_variant_day
SELECT date_trunc('day', ts) AS day, variant, approx_count_distinct(user_id) AS approx_users
FROM events WHERE experiment = 'exp_002'
GROUP BY date_trunc('day', ts), variant ORDER BY day, variant;

-- name: breakdown_platform_country_in
-- rollup: yes
SELECT platform, country, count(*) AS events, sum(revenue) AS revenue
FROM events
WHERE country IN ('US', 'IN', 'BR', 'GB', 'DE') AND platform IN ('ios', 'android')
  AND event IN ('add_to_cart', 'purchase')
GROUP BY platform, country ORDER BY platform, country;

-- name: breakdown_experiment_variant_event
-- rollup: yes
SELECT experiment, variant, event, count(*) AS events
FROM events
WHERE experiment IN ('exp_000', 'exp_001', 'exp_002', 'exp_003') AND event IN ('exposure', 'add_to_cart', 'purchase')
GROUP BY experiment, variant, event ORDER BY experiment, variant, event;

-- name: totals
SELECT count(*) AS events, count(DISTINCT user_id) AS users, sum(revenue) AS total_revenue,
       sum(latency_ms) AS latency_total, max(latency_ms) AS latency_max
FROM events;

-- name: totals_rollup
-- rollup: yes
SELECT count(*) AS events, sum(revenue) AS total_revenue, max(revenue) AS max_order, max(latency_ms) AS latency_max,
       avg(latency_ms) AS latency_mean
FROM events;

-- name: p95_latency_per_variant
SELECT variant, quantile_cont(latency_ms, 0.95) AS p95, quantile_cont(latency_ms, 0.5) AS p50
FROM events WHERE experiment = 'exp_000'
GROUP BY variant ORDER BY variant;

-- name: approx_p95_latency_per_variant
-- rollup: yes
-- approximates: p95_latency_per_variant
SELECT variant, approx_quantile(latency_ms, 0.95) AS approx_p95, approx_quantile(latency_ms, 0.5) AS approx_p50
FROM events WHERE experiment = 'exp_000'
GROUP BY variant ORDER BY variant;

-- name: per_user_revenue_stats
SELECT experiment, variant, count(*) AS users, sum(r) AS revenue, sum(r * r) AS revenue_squares
FROM (SELECT experiment, variant, user_id, sum(revenue) AS r FROM events
      GROUP BY experiment, variant, user_id) AS per_user
GROUP BY experiment, variant ORDER BY experiment, variant;

-- name: conversion_per_variant
SELECT variant,
       count(DISTINCT user_id) FILTER (WHERE event = 'purchase') AS purchasers,
       count(DISTINCT user_id) FILTER (WHERE event = 'exposure') AS exposed,
       count(DISTINCT user_id) FILTER (WHERE event = 'purchase')
           / count(DISTINCT user_id) FILTER (WHERE event = 'exposure') AS conversion
FROM events WHERE experiment = 'exp_001'
GROUP BY variant ORDER BY variant;

-- name: not_equal_and_latency_range
SELECT platform, count(*) AS events, avg(latency_ms) AS mean_latency
FROM events
WHERE event <> 'page_view' AND latency_ms >= 200 AND latency_ms < 1000
GROUP BY platform ORDER BY platform;

-- name: app_version_like_prefix
-- rollup: yes
SELECT app_version, count(*) AS events, avg(latency_ms) AS mean_latency, sum(revenue) AS revenue
FROM events WHERE app_version LIKE '6.%'
GROUP BY app_version ORDER BY app_version;

-- name: order_value_per_variant
-- rollup: yes
SELECT experiment, variant, count(*) AS orders, avg(revenue) AS mean_order, stddev_samp(revenue) AS sd_order
FROM events WHERE event = 'purchase' AND experiment IN ('exp_000', 'exp_001', 'exp_002', 'exp_003', 'exp_004')
GROUP BY experiment, variant ORDER BY experiment, variant;

-- name: hour_window_variants
-- rollup: yes
SELECT variant, count(*) AS events, sum(revenue) AS revenue
FROM events
WHERE experiment = 'exp_001' AND ts >= TIMESTAMP '2026-10-15 10:00:00' AND ts < TIMESTAMP '2026-10-15 11:00:00'
GROUP BY variant ORDER BY variant;

-- name: unaligned_window_hourly_events
-- rollup: yes
SELECT date_trunc('hour', ts) AS hour, event, count(*) AS events
FROM events
WHERE ts >= TIMESTAMP '2026-10-20 13:37:00' AND ts < TIMESTAMP '2026-10-20 17:12:00'
GROUP BY date_trunc('hour', ts), event ORDER BY hour, event;
