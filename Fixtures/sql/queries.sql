-- Golden SQL queries: each runs on DuckDB (Benchmarks/peers/sql_golden.py writes golden.json) and on
-- Strata (SQLGoldenTests), and the answers must match cell by cell. Every query orders its rows fully.
-- A query starts with a line "-- name: NAME" and ends with ";".

-- name: count_all
SELECT count(*) AS n FROM events;

-- name: exposures_per_variant_first_week
SELECT variant, count(*) AS exposures, count(DISTINCT user_id) AS users
FROM events
WHERE experiment = 'exp_000' AND event = 'exposure'
  AND ts >= TIMESTAMP '2026-10-01' AND ts < TIMESTAMP '2026-10-08'
GROUP BY variant ORDER BY variant;

-- name: events_by_type
SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY n DESC, event;

-- name: in_list
SELECT experiment, count(*) AS n FROM events
WHERE experiment IN ('exp_000', 'exp_001', 'exp_002') GROUP BY experiment ORDER BY experiment;

-- name: not_in_list
SELECT platform, count(*) AS n FROM events WHERE event NOT IN ('page_view', 'click') GROUP BY platform ORDER BY platform;

-- name: between
SELECT count(*) AS n, min(latency_ms) AS lo, max(latency_ms) AS hi FROM events WHERE latency_ms BETWEEN 100 AND 200;

-- name: not_between
SELECT count(*) AS n FROM events WHERE latency_ms NOT BETWEEN 50 AND 500;

-- name: like_prefix
SELECT experiment, count(*) AS n FROM events WHERE experiment LIKE 'exp_00%' GROUP BY experiment ORDER BY experiment;

-- name: not_like
SELECT count(*) AS n FROM events WHERE app_version NOT LIKE '5.%';

-- name: ilike_general
SELECT count(*) AS n FROM events WHERE platform ILIKE 'IO%';

-- name: is_null_and_not_null
SELECT count(*) AS all_rows, count(nullif(country, 'US')) AS not_us, count(*) FILTER (WHERE country IS NULL) AS null_country,
       count(*) FILTER (WHERE country IS NOT NULL) AS with_country
FROM events;

-- name: and_or_not
SELECT count(*) AS n FROM events
WHERE (platform = 'ios' OR platform = 'web') AND NOT (event = 'page_view') AND country <> 'US' AND variant != 'control';

-- name: comparisons_numeric
SELECT count(*) FILTER (WHERE revenue > 0) AS paid, count(*) FILTER (WHERE revenue >= 35.5) AS big,
       count(*) FILTER (WHERE latency_ms < 100) AS fast, count(*) FILTER (WHERE latency_ms <= 100) AS fast_or_100,
       count(*) FILTER (WHERE latency_ms = 120) AS exactly_120
FROM events;

-- name: bool_column
SELECT is_new_user, count(*) AS n, count(DISTINCT user_id) AS users FROM events GROUP BY is_new_user ORDER BY is_new_user;

-- name: bool_predicate
SELECT count(*) AS n FROM events WHERE is_new_user AND platform = 'android';

-- name: daily_timeseries
SELECT date_trunc('day', ts) AS day, count(*) AS n, sum(revenue) AS revenue FROM events
GROUP BY day ORDER BY day;

-- name: hourly_purchases_limit
SELECT date_trunc('hour', ts) AS hour, count(*) AS purchases FROM events WHERE event = 'purchase'
GROUP BY 1 ORDER BY purchases DESC, hour LIMIT 10;

-- name: time_bucket_6h
SELECT time_bucket(INTERVAL '6 hours', ts) AS bucket, count(*) AS n FROM events
WHERE ts < TIMESTAMP '2026-10-04' GROUP BY bucket ORDER BY bucket;

-- name: time_bucket_week
SELECT time_bucket(INTERVAL '1 week', ts) AS week, count(*) AS n FROM events GROUP BY week ORDER BY week;

-- name: time_bucket_7_minutes
SELECT time_bucket(INTERVAL 7 MINUTE, ts) AS bucket, count(*) AS n FROM events
WHERE ts < TIMESTAMP '2026-10-01 12:00:00' GROUP BY bucket ORDER BY bucket;

-- name: week_and_month_trunc
SELECT date_trunc('week', ts) AS week, date_trunc('month', ts) AS month, count(*) AS n FROM events
GROUP BY ALL ORDER BY week, month;

-- name: revenue_per_platform
SELECT platform, sum(revenue) AS revenue, min(revenue) FILTER (WHERE event = 'purchase') AS min_order,
       max(revenue) AS max_order, avg(revenue) FILTER (WHERE event = 'purchase') AS avg_order
FROM events GROUP BY platform ORDER BY platform;

-- name: latency_spread
SELECT platform, avg(latency_ms) AS mean, var_samp(latency_ms) AS var, stddev_samp(latency_ms) AS sd,
       sum(latency_ms) AS total
FROM events GROUP BY platform ORDER BY platform;

-- name: conversion_rate
SELECT variant,
       count(DISTINCT user_id) FILTER (WHERE event = 'purchase') / count(DISTINCT user_id) AS conversion
FROM events WHERE experiment = 'exp_001' GROUP BY variant ORDER BY variant;

-- name: revenue_per_event
SELECT variant, sum(revenue) / count(*) AS revenue_per_event, sum(revenue) FILTER (WHERE event = 'purchase') AS purchases_revenue
FROM events GROUP BY variant ORDER BY variant;

-- name: having
SELECT country, count(*) AS n FROM events GROUP BY country HAVING count(*) > 50 ORDER BY n DESC, country;

-- name: having_expression
SELECT app_version, avg(latency_ms) AS mean FROM events GROUP BY app_version
HAVING avg(latency_ms) > 150 AND count(*) >= 20 ORDER BY app_version;

-- name: order_nulls_limit_offset
SELECT country, max(revenue) FILTER (WHERE event = 'purchase') AS best FROM events GROUP BY country
ORDER BY best DESC NULLS LAST, country LIMIT 8 OFFSET 2;

-- name: order_nulls_first
SELECT country, min(revenue) FILTER (WHERE event = 'purchase') AS cheapest FROM events GROUP BY country
ORDER BY cheapest NULLS FIRST, country LIMIT 6;

-- name: group_by_all
SELECT experiment, variant, count(*) AS n FROM events WHERE experiment LIKE 'exp_01%' GROUP BY ALL ORDER BY experiment, variant;

-- name: group_by_ordinals
SELECT platform, is_new_user, count(*) AS n FROM events GROUP BY 1, 2 ORDER BY 1, 2;

-- name: distinct
SELECT DISTINCT platform FROM events ORDER BY platform;

-- name: distinct_pairs
SELECT DISTINCT platform, is_new_user FROM events WHERE event = 'purchase' ORDER BY platform DESC, is_new_user;

-- name: distinct_expressions
SELECT DISTINCT date_trunc('day', ts) AS day, revenue > 0 AS paying FROM events ORDER BY day, paying;

-- name: distinct_with_nulls
SELECT DISTINCT CASE WHEN latency_ms > 300 THEN NULL ELSE platform END AS p FROM events ORDER BY p NULLS FIRST;

-- name: distinct_limit_offset
SELECT DISTINCT country FROM events ORDER BY country LIMIT 5 OFFSET 2;

-- name: star_limit
SELECT * FROM events ORDER BY ts, user_id LIMIT 5;

-- name: arithmetic
SELECT user_id, latency_ms * 2 + 1 AS a, latency_ms / 3 AS b, latency_ms % 7 AS c, -latency_ms AS d,
       revenue * 100 AS cents, (latency_ms + 0.5) / 2 AS e
FROM events WHERE event = 'purchase' ORDER BY ts, user_id LIMIT 12;

-- name: case_when_groups
SELECT CASE WHEN latency_ms < 100 THEN 'fast' WHEN latency_ms < 1000 THEN 'ok' ELSE 'slow' END AS speed,
       count(*) AS n, avg(latency_ms) AS mean
FROM events GROUP BY speed ORDER BY speed;

-- name: case_simple_form
SELECT CASE platform WHEN 'ios' THEN 1 WHEN 'android' THEN 2 ELSE 3 END AS code, count(*) AS n
FROM events GROUP BY 1 ORDER BY 1;

-- name: cast_to_date
SELECT CAST(ts AS DATE) AS day, count(*) AS n FROM events WHERE ts < TIMESTAMP '2026-10-06' GROUP BY 1 ORDER BY 1;

-- name: casts
SELECT CAST(latency_ms AS DOUBLE) / 4 AS q, CAST(revenue AS BIGINT) AS whole, CAST(latency_ms AS VARCHAR) AS text,
       CAST(ts AS VARCHAR) AS ts_text, CAST('42' AS BIGINT) + 1 AS parsed, CAST(is_new_user AS VARCHAR) AS flag
FROM events WHERE event = 'purchase' ORDER BY ts, user_id LIMIT 10;

-- name: concat
SELECT experiment || '/' || variant AS arm, count(*) AS n FROM events WHERE experiment IN ('exp_000', 'exp_003')
GROUP BY arm ORDER BY arm;

-- name: interval_arithmetic
SELECT user_id, ts + INTERVAL 1 DAY AS next_day, ts - INTERVAL '90 minutes' AS earlier, ts + INTERVAL 1 MONTH AS next_month
FROM events WHERE ts >= TIMESTAMP '2026-10-10' - INTERVAL '2 days' ORDER BY ts, user_id LIMIT 6;

-- name: date_literal
SELECT count(*) AS n FROM events WHERE ts < DATE '2026-10-05' AND ts >= DATE '2026-10-02';

-- name: subquery_per_user_then_variant
SELECT variant, count(*) AS n, sum(revenue) AS sum_y, sum(revenue * revenue) AS sum_y2
FROM (SELECT user_id, variant, sum(revenue) AS revenue FROM events WHERE experiment = 'exp_000'
      GROUP BY user_id, variant) AS per_user
GROUP BY variant ORDER BY variant;

-- name: subquery_outer_filter
SELECT platform, avg(events) AS mean_events, max(events) AS max_events
FROM (SELECT user_id, platform, count(*) AS events FROM events GROUP BY user_id, platform) t
WHERE events > 1 GROUP BY platform ORDER BY platform;

-- name: subquery_select_star
SELECT * FROM (SELECT event, count(*) AS n FROM events GROUP BY event) WHERE n > 100 ORDER BY n DESC, event;

-- name: with_cte
WITH purchases AS (SELECT user_id, revenue FROM events WHERE event = 'purchase')
SELECT count(*) AS orders, count(DISTINCT user_id) AS buyers, sum(revenue) AS total FROM purchases;

-- name: min_max_types
SELECT min(ts) AS first, max(ts) AS last, min(user_id) AS lo_user, max(country) AS hi_country, min(is_new_user) AS any_old
FROM events;

-- name: extract_hour
SELECT extract(hour FROM ts) AS hour, count(*) AS n FROM events GROUP BY hour ORDER BY n DESC, hour LIMIT 5;

-- name: constants
SELECT 1 + 2 * 3 AS a, 7 / 2 AS b, 7 % 3 AS c, 'a' || 'b' AS d, 2.5 * 2 AS e, -(3 - 5) AS f,
       CAST(TIMESTAMP '2026-10-01 12:34:56.789' AS DATE) AS g, date_trunc('hour', TIMESTAMP '2026-10-01 12:34:56') AS h;

-- name: coalesce_nullif
SELECT coalesce(nullif(platform, 'web'), 'browser') AS p, count(*) AS n FROM events GROUP BY p ORDER BY p;

-- name: order_by_hidden_expression
SELECT user_id, latency_ms FROM events WHERE event = 'purchase' ORDER BY revenue DESC, user_id LIMIT 5;

-- name: where_general_predicate
SELECT count(*) AS n, sum(revenue) AS r FROM events WHERE latency_ms * 2 > 300 AND revenue + 1 > 1;

-- name: filter_time_predicate
SELECT variant, count(*) FILTER (WHERE ts >= TIMESTAMP '2026-10-15') AS late, count(*) FILTER (WHERE ts < TIMESTAMP '2026-10-15') AS early
FROM events GROUP BY variant ORDER BY variant;

-- name: aggregate_of_expression
SELECT platform, sum(latency_ms * 2) AS double_latency, avg(revenue * 100) AS avg_cents, count(DISTINCT country || platform) AS combos
FROM events GROUP BY platform ORDER BY platform;

-- name: approx_count_distinct
SELECT variant, approx_count_distinct(user_id) AS users FROM events GROUP BY variant ORDER BY variant;

-- name: quantile_cont
SELECT platform, quantile_cont(latency_ms, 0.95) AS p95 FROM events GROUP BY platform ORDER BY platform;

-- name: approx_quantile
SELECT approx_quantile(latency_ms, 0.5) AS p50 FROM events;

-- name: timestamp_interval_edges
SELECT TIMESTAMP '2026-10-01' + INTERVAL '100000000 minutes' AS a, TIMESTAMP '9999-12-31' + INTERVAL '1 month -40 days' AS b,
       TIMESTAMP '9999-12-31 23:59:59.999' - INTERVAL '1 millisecond' AS c, date_trunc('week', TIMESTAMP '0001-01-03') AS d,
       time_bucket(INTERVAL '2147483647 months', TIMESTAMP '2026-10-01') AS e,
       time_bucket(INTERVAL '9223372036854 seconds', TIMESTAMP '2026-10-01') AS f, epoch_ms(1790812800000) AS g,
       epoch_ms(epoch_ms(TIMESTAMP '9999-12-31 23:59:59.999')) AS h;

-- name: limit_offset_bigint
SELECT country, count(*) AS n FROM events GROUP BY country ORDER BY country LIMIT 9223372036854775807 OFFSET 1;

-- name: offset_past_everything
SELECT user_id, ts FROM events ORDER BY ts, user_id LIMIT 1 OFFSET 9223372036854775807;

-- name: round_precisions
SELECT round(CAST(12.5 AS DOUBLE), 400) AS a, round(CAST(12.5 AS DOUBLE), 308) AS b, round(CAST(1234.5678 AS DOUBLE), -2) AS c,
       round(CAST(1234.5678 AS DOUBLE), -400) AS d, round(CAST(1.005 AS DOUBLE), 2) AS e, round(CAST(2.675 AS DOUBLE), 2) AS f,
       round(CAST(1250 AS BIGINT), -2) AS g, round(CAST(-1250 AS BIGINT), -2) AS h, round(CAST(1234 AS BIGINT), -400) AS i,
       round(CAST(9223372036854775807 AS BIGINT), -18) AS j, round(CAST(1234 AS BIGINT), 3) AS k;

-- name: round_columns
SELECT platform, round(sum(revenue), -1) AS r10, round(avg(latency_ms), 1) AS lat, round(sum(latency_ms), -3) AS lat1000
FROM events GROUP BY platform ORDER BY platform;

-- name: case_mapping_unicode
SELECT upper('straße') AS a, lower('STRAẞE') AS b, upper('ﬁne') AS c, lower('İstanbul') AS d, lower('ΣΊΣΥΦΟΣ') AS e,
       upper('σίσυφος') AS f, upper('ᾳ ǆ ŉ ı') AS g, length(upper('ß')) AS h, upper('héllo wörld ñ') AS i;

-- name: approx_quantile_integer
SELECT platform, approx_quantile(latency_ms, 0.5) AS p50, approx_quantile(latency_ms, 0.9) AS p90
FROM events GROUP BY platform ORDER BY platform;

-- name: unicode_length_ilike
SELECT length('🇺🇸') AS a, length('héllo') AS b, 'İ' ILIKE 'i' AS c, 'ΣΑΣ' ILIKE 'σας' AS d, 'STRAẞE' ILIKE 'straße' AS e,
       'ﬁ' ILIKE 'FI' AS f, count(*) FILTER (WHERE country ILIKE 'us') AS g FROM events;

-- DECIMAL literals and arithmetic: DuckDB types 0.06 as DECIMAL(3,2) and computes exactly.

-- name: decimal_literals
SELECT 0.06 + 0.01 AS a, 0.06 - 0.01 AS b, 1.5 * 2.25 AS c, 1.5 + 1 AS d, 1.5 / 2 AS e, .5 AS f, 100. AS g,
       -0.06 AS h, 7.5 % 2 AS i, 0.1 + 0.2 = 0.3 AS j, 0.07 BETWEEN 0.06 - 0.01 AND 0.06 + 0.01 AS k;

-- name: decimal_casts_and_rounding
SELECT CAST(2.5 AS BIGINT) AS a, CAST(-2.5 AS BIGINT) AS b, CAST(2.5::DOUBLE AS BIGINT) AS c,
       CAST('1.005' AS DECIMAL(4,2)) AS d, CAST(1.005 AS DECIMAL(4,2)) AS e, CAST(-1.005 AS NUMERIC(4,2)) AS f,
       CAST(3 AS DECIMAL) AS g, CAST(1.50 AS VARCHAR) AS h, CAST(1.5 AS DOUBLE) AS i, round(1.55, 1) AS j,
       round(155.5, -1) AS k, floor(-1.55) AS l, ceil(1.55) AS m, abs(-1.5) AS n, CAST(2.5 AS HUGEINT) AS o;

-- name: decimal_common_types
SELECT coalesce(NULL, 1.5, 2) AS a, CASE WHEN latency_ms > 100 THEN 1.25 ELSE 0 END AS b, greatest(1.5, 2.25) AS c
FROM events ORDER BY ts, user_id LIMIT 3;

-- name: decimal_with_bigint_and_double_columns
SELECT sum(latency_ms * 1.5) AS a, sum(revenue * 1.5) AS b, count(*) FILTER (WHERE revenue > 35.5) AS c,
       count(*) FILTER (WHERE latency_ms BETWEEN 99.5 AND 200.25) AS d
FROM events;

-- HUGEINT: integer sums are 128-bit and exact.

-- name: hugeint_sums
SELECT sum(latency_ms) AS s, sum(latency_ms * 9000000000000) + 1 AS big, sum(9223372036854775807) AS huge,
       sum(latency_ms) / 2 AS half, CAST(sum(latency_ms) AS DOUBLE) AS d, 170141183460469231731687303715884105727 AS max_huge
FROM events;

-- name: hugeint_sum_grouped
SELECT variant, sum(latency_ms) AS s, sum(latency_ms) + 1 AS s1 FROM events
GROUP BY variant HAVING sum(latency_ms) > 1000 ORDER BY variant;

-- name: hugeint_arithmetic
SELECT CAST(1 AS HUGEINT) + 1 AS a, 9223372036854775807 + CAST(1 AS HUGEINT) AS b, -9223372036854775809 AS c,
       CAST('12345678901234567890' AS HUGEINT) * 10 AS d;

-- TPC-H on a 500-row lineitem sample (DECIMAL(15,2) columns).

-- name: lineitem_decimal_aggregates
SELECT count(*) AS n, sum(l_quantity) AS qty, min(l_extendedprice) AS lo, max(l_extendedprice) AS hi,
       avg(l_discount) AS avg_disc, sum(l_tax) AS tax
FROM lineitem;

-- name: lineitem_decimal_filters
SELECT count(*) FILTER (WHERE l_discount = 0.05) AS a, count(*) FILTER (WHERE l_quantity > 30.5) AS b,
       count(*) FILTER (WHERE l_discount IN (0.01, 0.02)) AS c, count(*) FILTER (WHERE l_tax < 0.03::DOUBLE) AS d,
       count(*) FILTER (WHERE l_quantity BETWEEN 10 AND 20) AS e
FROM lineitem;

-- name: lineitem_group_by_decimal
SELECT l_discount, count(*) AS n, sum(l_quantity) AS qty FROM lineitem GROUP BY l_discount ORDER BY l_discount;

-- name: lineitem_decimal_expressions
SELECT l_orderkey, l_linenumber, l_extendedprice * (1 - l_discount) AS disc_price,
       l_extendedprice * (1 - l_discount) * (1 + l_tax) AS charge, l_quantity / 7 AS q7,
       CAST(l_extendedprice AS BIGINT) AS whole, round(l_extendedprice, 0) AS rounded,
       coalesce(l_tax, 0) AS tax
FROM lineitem ORDER BY l_orderkey, l_linenumber LIMIT 10;

-- name: tpch_q1
SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
       sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
       sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, avg(l_quantity) AS avg_qty,
       avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order
FROM lineitem
WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus;

-- name: tpch_q6
SELECT sum(l_extendedprice * l_discount) AS revenue
FROM lineitem
WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1994-01-01' + INTERVAL '1' YEAR
  AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01 AND l_quantity < 24;

-- name: decimal_and_hugeint_types
SELECT typeof(0.06 + 0.01) AS a, typeof(1.5 * 2.25) AS b, typeof(l_extendedprice * (1 - l_discount)) AS c,
       typeof(sum(l_quantity)) AS d, typeof(sum(l_orderkey)) AS e, typeof(avg(l_tax)) AS f, typeof(min(l_tax)) AS g,
       typeof(round(l_tax, 1)) AS h, typeof(CAST(1 AS DECIMAL)) AS i, typeof(9223372036854775808) AS j
FROM lineitem GROUP BY l_extendedprice, l_discount, l_tax ORDER BY l_extendedprice, l_discount, l_tax LIMIT 1;

-- name: decimal_edge_arithmetic
SELECT -7.5 % 2 AS a, 7.25 % -2 AS b, round(-2.5) AS c, round(-2.45, 1) AS d, floor(2.5) AS e, ceil(-2.5) AS f,
       CAST(-0.005 AS DECIMAL(4,2)) AS g, 1.10 = 1.1 AS h, 2.50 > 2.499 AS i, -0.5 * -0.5 AS j,
       CAST(123.456 AS DECIMAL(5,1)) AS k, CAST(0.5 AS BIGINT) AS l, CAST(-0.5 AS BIGINT) AS m,
       (0.1 + 0.2) * 10 AS n, 10.0 / 4 AS o, CAST('  3.14159 ' AS DECIMAL(5,2)) AS p;

-- name: decimal_case_and_having
SELECT l_returnflag, CASE WHEN l_discount >= 0.05 THEN l_discount ELSE 0.005 END AS bucket, count(*) AS n,
       sum(l_extendedprice) AS revenue
FROM lineitem GROUP BY ALL HAVING sum(l_extendedprice) > 100000.5 ORDER BY l_returnflag, bucket;

-- name: decimal_distinct_order
SELECT DISTINCT l_tax FROM lineitem WHERE l_tax > 0.02 ORDER BY l_tax DESC LIMIT 4;

-- name: decimal_native_filters
SELECT l_shipmode, count(*) AS n, sum(l_quantity) AS qty, min(l_discount) AS lo, max(l_discount) AS hi
FROM lineitem
WHERE l_discount BETWEEN 0.02 AND 0.045 AND l_quantity >= 10 AND l_tax <> 0.055 AND l_returnflag IN ('A', 'R')
GROUP BY l_shipmode ORDER BY l_shipmode;

-- name: decimal_expression_filters
SELECT count(*) AS n, sum(l_extendedprice * l_discount) AS disc
FROM lineitem WHERE l_extendedprice * (1 - l_discount) > 30000 AND l_quantity * 2 < 60.5;

-- name: decimal_spread
SELECT l_linestatus, var_samp(l_extendedprice) AS v, stddev_samp(l_discount) AS sd, avg(l_tax) AS tax
FROM lineitem GROUP BY l_linestatus ORDER BY l_linestatus;

-- name: decimal_quantiles
SELECT l_linestatus, quantile_cont(l_quantity, 0.5) AS median_qty, median(l_extendedprice) AS median_price,
       quantile_cont(l_extendedprice, 0.3) AS p30, quantile_cont(l_discount, 0.9) AS p90
FROM lineitem GROUP BY l_linestatus ORDER BY l_linestatus;

-- name: decimal_mixed_integer_casts
SELECT (CAST(7422.09 AS BIGINT) * -382) * (-696660.934232) AS a, CAST(5502122.6 AS BIGINT) * 754826.355 AS b,
       round(-720349, -1) AS c, round(215, -1) AS d, round(-215, -2) AS e,
       CAST(1 AS DECIMAL(26,7)) % CAST(1 AS DECIMAL(33,1)) AS f, CAST(1 AS DECIMAL(26,7)) + CAST(1 AS DECIMAL(33,1)) AS g;

-- Queries DuckDB refuses (names start with error_): Strata must refuse them too.

-- name: error_timestamp_plus_interval_out_of_range
SELECT TIMESTAMP '2026-10-01' + INTERVAL '1000000000 days' AS t;

-- name: error_hugeint_addition_overflow
SELECT 170141183460469231731687303715884105727 + 1 AS x;

-- name: error_decimal_cast_overflow
SELECT CAST(123.45 AS DECIMAL(4,2)) AS d;

-- name: error_bigint_multiplication_overflow
SELECT max(latency_ms) * 9223372036854775807 AS x FROM events;

-- name: error_interval_out_of_range
SELECT TIMESTAMP '2026-10-01' + INTERVAL (9223372036854775807) MINUTE AS t;

-- Joins (hash join: equal keys build a table on one side, the other streams through it).

-- name: join_cte_totals
WITH v AS (SELECT variant, count(*) AS n FROM events GROUP BY variant)
SELECT e.variant, v.n, count(*) AS events, sum(e.revenue) AS revenue
FROM events e JOIN v ON e.variant = v.variant
GROUP BY e.variant, v.n ORDER BY e.variant;

-- name: join_comma_where
SELECT e.country, t.n, count(*) AS purchases
FROM events e, (SELECT country, count(*) AS n FROM events GROUP BY country) t
WHERE e.country = t.country AND e.event = 'purchase' AND t.n > 50
GROUP BY e.country, t.n ORDER BY e.country;

-- name: left_join_unmatched
SELECT a.country, b.country AS matched, coalesce(b.n, 0) AS n
FROM (SELECT DISTINCT country FROM events) a
LEFT JOIN (SELECT country, count(*) AS n FROM events WHERE platform = 'ios' AND country < 'J' GROUP BY country) b
  ON a.country = b.country
ORDER BY a.country;

-- name: left_join_on_right_filter
SELECT a.variant, count(b.user_id) AS big_spenders, count(*) AS rows
FROM (SELECT DISTINCT variant FROM events) a
LEFT JOIN events b ON a.variant = b.variant AND b.revenue > 50
GROUP BY a.variant ORDER BY a.variant;

-- name: right_join
SELECT b.event, a.n
FROM (SELECT event, count(*) AS n FROM events WHERE platform = 'web' AND event < 'p' GROUP BY event) a
RIGHT JOIN (SELECT DISTINCT event FROM events) b ON a.event = b.event
ORDER BY b.event;

-- name: full_join
SELECT coalesce(a.country, b.country) AS country, a.n AS android, b.n AS web
FROM (SELECT country, count(*) AS n FROM events WHERE platform = 'android' AND country < 'M' GROUP BY country) a
FULL OUTER JOIN (SELECT country, count(*) AS n FROM events WHERE platform = 'web' AND country > 'D' GROUP BY country) b
  ON a.country = b.country
ORDER BY 1;

-- name: cross_join_cap
SELECT e.variant, count(*) FILTER (WHERE e.revenue > c.cap) AS above_cap, round(max(c.cap), 2) AS cap
FROM events e CROSS JOIN (SELECT quantile_cont(revenue, 0.99) AS cap FROM events WHERE revenue > 0) c
GROUP BY e.variant ORDER BY e.variant;

-- name: join_using_star
SELECT * FROM (SELECT variant, count(*) AS n FROM events GROUP BY variant) a
JOIN (SELECT variant, count(DISTINCT user_id) AS users FROM events GROUP BY variant) b USING (variant)
ORDER BY variant;

-- name: join_residual_inequality
SELECT a.platform, count(*) AS pairs
FROM (SELECT platform, country, count(*) AS n FROM events GROUP BY platform, country) a
JOIN (SELECT platform, country, count(*) AS n FROM events GROUP BY platform, country) b
  ON a.platform = b.platform AND a.n < b.n
GROUP BY a.platform ORDER BY a.platform;

-- name: join_expression_keys
SELECT a.c, a.n, b.n AS m
FROM (SELECT lower(country) AS c, count(*) AS n FROM events GROUP BY 1) a
JOIN (SELECT upper(country) AS c, count(*) AS n FROM events WHERE is_new_user GROUP BY 1) b ON a.c = lower(b.c)
ORDER BY a.c;

-- name: join_null_keys_never_match
SELECT count(*) AS pairs, count(a.k) AS keyed
FROM (SELECT CASE WHEN country = 'US' THEN NULL ELSE country END AS k FROM events) a
JOIN (SELECT DISTINCT CASE WHEN country = 'US' THEN NULL ELSE country END AS k FROM events) b ON a.k = b.k;

-- name: join_two_tables_integer_keys
SELECT l.l_returnflag, count(*) AS pairs, sum(l.l_quantity) AS quantity
FROM events e JOIN lineitem l ON e.latency_ms = l.l_orderkey
GROUP BY l.l_returnflag ORDER BY l.l_returnflag;

-- name: join_integer_decimal_keys
SELECT count(*) AS pairs FROM lineitem a JOIN lineitem b ON a.l_quantity = b.l_linenumber;

-- name: join_three_way
SELECT e.variant, p.platforms, c.countries, count(*) AS events
FROM events e
JOIN (SELECT variant, count(DISTINCT platform) AS platforms FROM events GROUP BY variant) p ON e.variant = p.variant
JOIN (SELECT variant, count(DISTINCT country) AS countries FROM events GROUP BY variant) c ON p.variant = c.variant
WHERE e.event = 'exposure'
GROUP BY e.variant, p.platforms, c.countries ORDER BY e.variant;

-- name: join_raw_rows_top
SELECT e.user_id, e.revenue, t.total
FROM events e JOIN (SELECT user_id, sum(revenue) AS total FROM events GROUP BY user_id) t ON e.user_id = t.user_id
WHERE e.revenue > 0
ORDER BY e.revenue DESC, e.user_id LIMIT 5;

-- name: join_empty_side
SELECT count(*) AS inner_pairs FROM events e JOIN (SELECT country FROM events WHERE country = 'nowhere') x
  ON e.country = x.country;

-- name: left_join_empty_side
SELECT count(*) AS rows, count(x.country) AS matched FROM events e
LEFT JOIN (SELECT country FROM events WHERE country = 'nowhere') x ON e.country = x.country;

-- Catalog introspection, as BI tools send it.

-- name: show_tables
SHOW TABLES;

-- name: describe_events
DESCRIBE events;

-- name: pragma_table_info_lineitem
PRAGMA table_info('lineitem');

-- name: information_schema_tables
SELECT table_catalog, table_schema, table_name, table_type, is_insertable_into
FROM information_schema.tables ORDER BY table_name;

-- name: information_schema_columns
SELECT table_name, column_name, ordinal_position, data_type, is_nullable, numeric_precision, numeric_scale
FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position;

-- name: information_schema_schemata
-- (DuckDB also lists system.pg_catalog, which Strata does not have.)
SELECT catalog_name, schema_name FROM information_schema.schemata WHERE schema_name <> 'pg_catalog' ORDER BY 1, 2;

-- name: catalog_functions
SELECT current_schema() AS s, current_database() AS d;

-- name: qualified_table_names
SELECT count(*) AS n FROM main.events e JOIN memory.main.lineitem l ON e.latency_ms = l.l_orderkey;

-- Set operations (rows by position; without ALL, no duplicates; INTERSECT binds tighter).

-- name: union_distinct
SELECT variant FROM events WHERE country = 'US' UNION SELECT variant FROM events WHERE country = 'DE' ORDER BY 1;

-- name: union_all_types_unified
SELECT country, latency_ms AS x FROM events WHERE platform = 'ios' AND country < 'C'
UNION ALL SELECT country, 2.5 FROM events WHERE platform = 'web' AND country < 'C'
ORDER BY country, x;

-- name: union_all_count
SELECT count(*) AS n, count(DISTINCT user_id) AS users
FROM (SELECT user_id FROM events WHERE event = 'purchase' UNION ALL SELECT user_id FROM events WHERE event = 'exposure') t;

-- name: intersect_countries
SELECT country FROM events WHERE platform = 'ios' INTERSECT SELECT country FROM events WHERE platform = 'web'
ORDER BY country;

-- name: except_countries
SELECT country FROM events EXCEPT SELECT country FROM events WHERE platform = 'web' ORDER BY 1;

-- name: except_with_nulls
SELECT CASE WHEN country < 'F' THEN NULL ELSE country END AS c FROM events
EXCEPT SELECT country FROM events WHERE country > 'M' ORDER BY 1 NULLS FIRST;

-- name: set_operation_precedence
SELECT variant FROM events WHERE country = 'US'
UNION SELECT platform FROM events
INTERSECT SELECT platform FROM events WHERE country = 'DE'
ORDER BY 1;

-- name: union_health_checks
SELECT 'events' AS check_name, count(*) AS n FROM events
UNION ALL SELECT 'purchases', count(*) FROM events WHERE event = 'purchase'
UNION ALL SELECT 'lineitems', count(*) FROM lineitem
ORDER BY check_name;

-- name: union_parenthesized_limit
(SELECT user_id, revenue FROM events WHERE revenue > 0 ORDER BY revenue DESC, user_id LIMIT 2)
UNION ALL (SELECT user_id, revenue FROM events WHERE revenue > 0 ORDER BY revenue, user_id LIMIT 2)
ORDER BY revenue, user_id;

-- Subqueries in expressions (uncorrelated): joined under the query's rows.

-- name: in_subquery_series_limit
SELECT country, count(*) AS events FROM events
WHERE country IN (SELECT country FROM events WHERE platform = 'web' GROUP BY country ORDER BY count(*) DESC, country LIMIT 3)
GROUP BY country ORDER BY country;

-- name: not_in_subquery
SELECT count(*) AS n FROM events WHERE country NOT IN (SELECT country FROM events WHERE platform = 'ios');

-- name: not_in_subquery_with_null
SELECT count(*) AS n FROM events
WHERE country NOT IN (SELECT CASE WHEN country = 'US' THEN NULL ELSE country END FROM events WHERE platform = 'ios');

-- name: in_subquery_null_operand_and_empty
SELECT (CASE WHEN country < 'D' THEN NULL ELSE country END) IN (SELECT country FROM events WHERE platform = 'web') AS hit,
       country IN (SELECT country FROM events WHERE country = 'nowhere') AS never,
       count(*) AS n
FROM events GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2;

-- name: scalar_subquery_share
SELECT variant, round(count(*) / (SELECT count(*) FROM events), 6) AS share FROM events GROUP BY variant ORDER BY variant;

-- name: scalar_subquery_filter
SELECT count(*) AS above_average FROM events WHERE revenue > (SELECT avg(revenue) FROM events WHERE revenue > 0);

-- name: scalar_subquery_empty_is_null
SELECT (SELECT revenue FROM events WHERE country = 'nowhere') AS nothing, count(*) AS n FROM events;

-- name: exists_subquery
SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM lineitem WHERE l_quantity > 40)) AS some,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM lineitem WHERE l_quantity > 1000)) AS none
FROM events;

-- name: in_subquery_integer_keys
SELECT count(*) AS n FROM lineitem WHERE l_orderkey IN (SELECT latency_ms FROM events);

-- name: having_in_subquery
SELECT variant, count(*) AS n FROM events GROUP BY variant
HAVING variant IN (SELECT variant FROM events WHERE country = 'US' AND variant <> 'control') ORDER BY 1;

-- name: having_scalar_subquery
SELECT variant, count(*) AS n FROM events GROUP BY variant HAVING count(*) > (SELECT count(*) / 4 FROM events) ORDER BY 1;

-- name: is_true_false
SELECT (revenue > 10) IS TRUE AS t, (revenue > 10) IS NOT TRUE AS nt, (revenue > 10) IS FALSE AS f,
       (revenue > 10) IS NOT FALSE AS nf, count(*) AS n
FROM (SELECT CASE WHEN country < 'D' THEN NULL ELSE revenue END AS revenue FROM events) t
GROUP BY ALL ORDER BY 1 NULLS FIRST, 2, 3, 4;

-- name: is_distinct_from
SELECT count(*) FILTER (WHERE a IS DISTINCT FROM b) AS distinct_rows,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS same_rows
FROM (SELECT CASE WHEN country < 'F' THEN NULL ELSE country END AS a,
             CASE WHEN platform = 'ios' THEN NULL ELSE country END AS b FROM events) t;

-- name: substring_positions
SELECT substring(country, 1, 2) AS a, substring(country, -1) AS b, substr(country, 0, 2) AS c,
       substring(country, 2, -1) AS d, substring(country FROM 2 FOR 1) AS e, substring(country, 9, 3) AS f,
       substring(country, -9, 10) AS g, count(*) AS n
FROM events GROUP BY ALL ORDER BY ALL;

-- name: substring_row_positions
SELECT substring(user_id, latency_ms % 7 - 3, latency_ms % 5 - 1) AS s, count(*) AS n
FROM events GROUP BY ALL ORDER BY ALL LIMIT 40;

-- name: derived_table_column_aliases
SELECT c_variant, c_n FROM (SELECT variant, count(*) FROM events GROUP BY variant) AS t (c_variant, c_n) ORDER BY 1;

-- name: table_column_aliases_rename_prefix
SELECT l.k, l.n, l_returnflag FROM lineitem AS l (t, k, n) WHERE k < 40 ORDER BY k, n;

-- name: or_branches_share_join_key
SELECT count(*) AS n, sum(l_quantity) AS q
FROM lineitem l, (SELECT DISTINCT latency_ms, country FROM events) e
WHERE (l.l_orderkey = e.latency_ms AND e.country = 'US' AND l.l_quantity < 20)
   OR (l.l_orderkey = e.latency_ms AND e.country = 'DE' AND l.l_returnflag = 'R')
   OR (e.latency_ms = l.l_orderkey AND l.l_shipmode = 'AIR');

-- name: decimal_vector_arithmetic_chain
SELECT l_returnflag, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS charge,
       sum(l_quantity - l_discount + 2.5) AS mixed, min(l_extendedprice * l_discount - l_tax) AS lowest
FROM lineitem GROUP BY l_returnflag ORDER BY 1;

-- name: decimal_vector_arithmetic_past_64_bits
SELECT sum(CAST(l_extendedprice AS DECIMAL(38,2)) * CAST(l_extendedprice AS DECIMAL(38,2)) * l_extendedprice) AS wide,
       max(CAST(l_extendedprice AS DECIMAL(38,2)) * 100000000000 - l_tax) AS shifted
FROM lineitem;

-- name: error_decimal_product_past_64_bits
SELECT max(l_extendedprice * l_extendedprice * l_extendedprice * l_extendedprice) AS wider FROM lineitem;

-- name: growthbook_fact_metrics_exp_000
-- GrowthBook's fact-metric query shape; its per-variant sums equal experiment_analysis('events', 'exp_000',
-- 'converted=binomial(event = ''purchase'') window=0d..3d', 'revenue=sum(revenue) cap=0.99',
-- 'page_views=count(event = ''page_view'') window=1h..7d cap=0.9') (ExperimentGrowthBookSQLTests).
WITH __experimentExposures AS (
  SELECT user_id, variant, ts FROM events
  WHERE experiment = 'exp_000' AND event = 'exposure' AND user_id IS NOT NULL AND variant IS NOT NULL
), __experimentUnits AS (
  SELECT user_id,
    CASE WHEN count(DISTINCT variant) > 1 THEN '__multiple__' ELSE max(variant) END AS variation,
    min(ts) AS first_exposure_timestamp
  FROM __experimentExposures GROUP BY user_id
), __distinctUsers AS (
  SELECT user_id, variation, first_exposure_timestamp FROM __experimentUnits WHERE variation <> '__multiple__'
), __factTable AS (
  SELECT user_id, ts,
    CASE WHEN event = 'purchase' THEN CAST(1 AS DOUBLE) END AS m0_value,
    revenue AS m1_value,
    CASE WHEN event = 'page_view' THEN CAST(1 AS DOUBLE) END AS m2_value
  FROM events
), __userMetricJoin AS (
  SELECT d.variation, d.user_id,
    CASE WHEN m.ts < d.first_exposure_timestamp + INTERVAL 3 DAY THEN m.m0_value END AS m0_value,
    m.m1_value,
    CASE WHEN m.ts >= d.first_exposure_timestamp + INTERVAL 1 HOUR
      AND m.ts < d.first_exposure_timestamp + INTERVAL 7 DAY THEN m.m2_value END AS m2_value
  FROM __distinctUsers d LEFT JOIN __factTable m
    ON m.user_id = d.user_id AND m.ts >= d.first_exposure_timestamp
), __userMetricAgg AS (
  SELECT variation, user_id, max(coalesce(m0_value, 0)) AS m0_value, sum(coalesce(m1_value, 0)) AS m1_value,
    sum(coalesce(m2_value, 0)) AS m2_value
  FROM __userMetricJoin GROUP BY variation, user_id
), __capValue AS (
  SELECT quantile_cont(m1_value, 0.99) AS m1_value_cap, quantile_cont(m2_value, 0.9) AS m2_value_cap
  FROM __userMetricAgg
)
SELECT m.variation AS variant, count(*) AS units,
  sum(m.m0_value) AS converted_sum, sum(power(m.m0_value, 2)) AS converted_sum_squares,
  sum(least(m.m1_value, c.m1_value_cap)) AS revenue_sum,
  sum(power(least(m.m1_value, c.m1_value_cap), 2)) AS revenue_sum_squares,
  sum(least(m.m2_value, c.m2_value_cap)) AS page_views_sum,
  sum(power(least(m.m2_value, c.m2_value_cap), 2)) AS page_views_sum_squares
FROM __userMetricAgg m CROSS JOIN __capValue c
GROUP BY m.variation
ORDER BY m.variation;

-- name: growthbook_window_in_join_exp_002
-- One metric with its attribution window in the LEFT JOIN's ON: experiment_analysis('events', 'exp_002',
-- 'clicks=count(event = ''click'') window=0d..2d cap=0.95') (ExperimentGrowthBookSQLTests).
WITH __experimentUnits AS (
  SELECT user_id, max(variant) AS variation, min(ts) AS first_exposure_timestamp
  FROM events
  WHERE experiment = 'exp_002' AND event = 'exposure' AND user_id IS NOT NULL AND variant IS NOT NULL
  GROUP BY user_id
  HAVING count(DISTINCT variant) = 1
), __metric AS (
  SELECT user_id, ts, CAST(1 AS DOUBLE) AS value FROM events WHERE event = 'click'
), __userMetricAgg AS (
  SELECT u.variation, u.user_id, coalesce(sum(m.value), 0) AS value
  FROM __experimentUnits u LEFT JOIN __metric m
    ON m.user_id = u.user_id
    AND m.ts >= u.first_exposure_timestamp
    AND m.ts < u.first_exposure_timestamp + INTERVAL 2 DAY
  GROUP BY u.variation, u.user_id
), __capValue AS (
  SELECT quantile_cont(value, 0.95) AS cap FROM __userMetricAgg
)
SELECT a.variation AS variant, count(*) AS units,
  sum(least(a.value, c.cap)) AS clicks_sum, sum(power(least(a.value, c.cap), 2)) AS clicks_sum_squares
FROM __userMetricAgg a CROSS JOIN __capValue c
GROUP BY a.variation
ORDER BY a.variation;

-- name: correlated_exists_residual
SELECT event, count(*) AS n FROM events e1
WHERE EXISTS (SELECT 1 FROM events e2 WHERE e2.user_id = e1.user_id AND e2.event = 'purchase' AND e2.ts > e1.ts)
GROUP BY event ORDER BY event;

-- name: correlated_not_exists_residual
SELECT country, count(*) AS n FROM events e1
WHERE NOT EXISTS (SELECT * FROM events e2 WHERE e2.user_id = e1.user_id AND e2.experiment = e1.experiment
                  AND e2.variant <> e1.variant)
GROUP BY country ORDER BY country;

-- name: correlated_exists_null_keys
SELECT c, count(*) AS n, count(*) FILTER (WHERE found) AS found
FROM (SELECT c, ts,
             EXISTS (SELECT 1 FROM (SELECT NULLIF(country, 'US') AS c2, NULLIF(event, 'click') AS ev2, ts AS ts2
                                    FROM events WHERE platform = 'ios') x
                     WHERE x.c2 = t.c AND (x.ev2 = t.ev OR t.ev IS NULL) AND x.ts2 < t.ts) AS found
      FROM (SELECT NULLIF(country, 'US') AS c, NULLIF(event, 'click') AS ev, ts FROM events) t) r
GROUP BY c ORDER BY c NULLS FIRST;

-- name: correlated_exists_null_safe_residual
SELECT count(*) AS n FROM (SELECT NULLIF(event, 'click') AS ev, user_id, ts FROM events) t
WHERE EXISTS (SELECT 1 FROM (SELECT NULLIF(event, 'click') AS ev2, user_id AS u2, ts AS ts2 FROM events) x
              WHERE x.u2 = t.user_id AND (x.ev2 = t.ev OR (x.ev2 IS NULL AND t.ev IS NULL)) AND x.ts2 > t.ts);

-- name: correlated_scalar_avg_where
SELECT country, count(*) AS n FROM events e1
WHERE latency_ms > (SELECT 1.5 * avg(latency_ms) FROM events e2 WHERE e2.country = e1.country AND e2.event = e1.event)
GROUP BY country ORDER BY country;

-- name: correlated_scalar_min_equal
SELECT l_shipmode, l_linenumber, l_orderkey, l_quantity FROM lineitem l1
WHERE l_quantity = (SELECT min(l_quantity) FROM lineitem l2
                    WHERE l2.l_shipmode = l1.l_shipmode AND l2.l_linenumber = l1.l_linenumber)
ORDER BY 1, 2, 3;

-- name: correlated_scalar_sum_two_keys
SELECT user_id, event, count(*) AS n FROM events e1
WHERE latency_ms * 20 > (SELECT sum(latency_ms) FROM events e2
                         WHERE e2.user_id = e1.user_id AND e2.event = e1.event AND e2.ts < e1.ts)
GROUP BY ALL ORDER BY 1, 2;

-- name: correlated_count_select_list
SELECT user_id, min(ts) AS first_ts,
       (SELECT count(*) FROM events e2 WHERE e2.user_id = e1.user_id AND e2.event = 'purchase') AS purchases,
       (SELECT count(*) + 1 FROM events e2 WHERE e2.user_id = e1.user_id AND e2.event = 'signup') AS signups_plus_one,
       (SELECT sum(revenue) FROM events e2 WHERE e2.user_id = e1.user_id AND e2.event = 'purchase') AS revenue
FROM events e1 WHERE country IN ('DE', 'FR', 'BR', 'US', 'IN') GROUP BY user_id ORDER BY user_id;

-- name: correlated_count_null_key
SELECT c, n, (SELECT count(*) FROM (SELECT NULLIF(country, 'US') AS c2 FROM events) x WHERE x.c2 = t.c) AS same
FROM (SELECT NULLIF(country, 'US') AS c, count(*) AS n FROM events GROUP BY 1) t ORDER BY c NULLS FIRST;

-- name: correlated_in
SELECT event, count(*) AS n FROM events e1
WHERE platform IN (SELECT platform FROM events e2 WHERE e2.experiment = e1.experiment AND e2.event = 'purchase')
GROUP BY event ORDER BY event;

-- name: correlated_not_in_nulls
SELECT v, count(*) AS n, count(*) FILTER (WHERE r IS NULL) AS unknown FROM (
  SELECT NULLIF(variant, 'control') AS v,
         NULLIF(variant, 'control') NOT IN (SELECT NULLIF(variant, 'treatment') FROM events e2
                                            WHERE e2.country = e1.country AND e2.event = 'signup') AS r
  FROM events e1) t
GROUP BY v ORDER BY v NULLS FIRST;

-- name: correlated_having
SELECT country, count(*) AS n FROM events e1 GROUP BY country
HAVING count(*) > (SELECT count(*) / 2 FROM events e2 WHERE e2.country = e1.country AND e2.event = 'page_view')
ORDER BY country;

-- name: correlated_unqualified_outer
SELECT l_orderkey, l_linenumber FROM lineitem
WHERE EXISTS (SELECT 1 FROM events WHERE latency_ms = l_orderkey AND event <> l_shipmode)
ORDER BY 1, 2;

-- name: correlated_value_lookup
SELECT u, (SELECT DISTINCT x.platform FROM events x WHERE x.user_id = t.u) AS platform,
       (SELECT x.event FROM events x WHERE x.user_id = t.u AND x.ts = t.first) AS first_event
FROM (SELECT user_id AS u, min(ts) AS first FROM events GROUP BY 1) t ORDER BY 1;

-- name: correlated_value_null_keys_residual
SELECT c, (SELECT DISTINCT x.v FROM (SELECT NULLIF(country, 'US') AS c2, length(country) AS v FROM events) x
           WHERE x.c2 = t.c AND t.c > 'E') AS v
FROM (SELECT DISTINCT NULLIF(country, 'US') AS c FROM events) t ORDER BY 1 NULLS FIRST;

-- name: error_correlated_value_many_rows
SELECT l_orderkey, (SELECT e.event FROM events e WHERE e.latency_ms = l.l_orderkey) AS event FROM lineitem l;

-- name: correlated_in_aggregate_argument
SELECT country, sum((SELECT count(*) FROM events e2 WHERE e2.user_id = e1.user_id AND e2.event = 'purchase')) AS s
FROM events e1 GROUP BY country ORDER BY s DESC, country;

-- name: correlated_group_key
SELECT (SELECT count(*) FROM events e2 WHERE e2.country = e1.country AND e2.event = 'signup') AS signups,
       count(*) AS n
FROM events e1 GROUP BY 1 ORDER BY 1;

-- name: correlated_exists_limit
SELECT count(*) AS n FROM lineitem l1
WHERE EXISTS (SELECT 1 FROM lineitem l2 WHERE l2.l_shipmode = l1.l_shipmode AND l2.l_quantity > l1.l_quantity + 45 LIMIT 1);

-- name: correlated_scalar_joined_subquery
SELECT l_shipmode, l_orderkey, l_quantity FROM lineitem l
WHERE l_quantity >= (SELECT max(l2.l_quantity) FROM lineitem l2, events e
                     WHERE e.latency_ms = l2.l_orderkey AND l2.l_shipmode = l.l_shipmode AND e.platform = 'ios')
ORDER BY 1, 2;

-- name: correlated_not_exists_joins_both_sides
SELECT l_shipmode, count(*) AS n FROM lineitem l, events ev
WHERE ev.latency_ms = l.l_orderkey
  AND NOT EXISTS (SELECT * FROM lineitem l2 JOIN events e ON e.latency_ms = l2.l_orderkey
                  WHERE l2.l_shipmode = l.l_shipmode AND e.user_id <> ev.user_id AND l2.l_quantity > l.l_quantity)
GROUP BY 1 ORDER BY 1;

-- name: decimal_vector_comparisons
SELECT count(*) FILTER (WHERE l_discount >= 0.05) AS a, count(*) FILTER (WHERE l_quantity < 24) AS b,
       count(*) FILTER (WHERE l_tax = 0.020) AS c, count(*) FILTER (WHERE l_extendedprice > l_quantity * 1000) AS d,
       count(*) FILTER (WHERE l_discount <> l_tax) AS e, count(*) FILTER (WHERE l_quantity <= 24.5) AS f,
       count(*) FILTER (WHERE 0.06 BETWEEN l_discount - 0.01 AND l_discount + 0.01) AS g,
       count(*) FILTER (WHERE CASE WHEN l_linenumber = 2 THEN NULL ELSE l_tax END > 0.03) AS h
FROM lineitem;

-- name: where_in_subquery_with_nulls_on_both_sides
SELECT count(*) AS n, count(DISTINCT a) AS values_kept
FROM (SELECT CASE WHEN latency_ms % 7 = 0 THEN NULL ELSE latency_ms % 50 END AS a FROM events) t
WHERE a IN (SELECT CASE WHEN l_linenumber = 1 THEN NULL ELSE l_orderkey % 60 END FROM lineitem) AND a > 3;

-- name: left_join_where_filters_padded_side
SELECT count(*) AS matched, sum(l.l_quantity) AS q
FROM events e LEFT JOIN lineitem l ON l.l_orderkey = e.latency_ms
WHERE l.l_returnflag = 'R' OR l.l_returnflag = 'A';

-- name: left_join_where_padded_is_null_stays_left
SELECT count(*) AS unmatched, count(DISTINCT e.latency_ms) AS keys
FROM events e LEFT JOIN lineitem l ON l.l_orderkey = e.latency_ms
WHERE l.l_orderkey IS NULL;

-- name: left_join_where_padded_not_null_and_coalesce
SELECT (SELECT count(*) FROM events e LEFT JOIN lineitem l ON l.l_orderkey = e.latency_ms WHERE l.l_linenumber IS NOT NULL) AS a,
       (SELECT count(*) FROM events e LEFT JOIN lineitem l ON l.l_orderkey = e.latency_ms WHERE coalesce(l.l_linenumber, 0) = 0) AS b,
       (SELECT count(*) FROM events e LEFT JOIN lineitem l ON l.l_orderkey = e.latency_ms WHERE l.l_linenumber > 2) AS c;

-- name: semi_join_placed_before_fact_join
SELECT e.country, count(*) AS n
FROM lineitem l, events e, (SELECT DISTINCT country FROM events WHERE platform = 'ios') c
WHERE e.latency_ms = l.l_orderkey AND e.country = c.country AND e.country IN (SELECT country FROM events WHERE revenue > 50)
GROUP BY 1 ORDER BY 1;

-- name: correlated_aggregate_key_restricted_by_outer_filter
SELECT l.l_orderkey, l.l_linenumber, l.l_quantity
FROM lineitem l
WHERE l.l_returnflag = 'R' AND l.l_orderkey < 3000
  AND l.l_quantity > (SELECT avg(l2.l_quantity) FROM lineitem l2 WHERE l2.l_returnflag = l.l_returnflag)
ORDER BY 1, 2;

-- name: correlated_count_key_restricted_select_list
SELECT e.country, (SELECT count(*) FROM events x WHERE x.country = e.country AND x.event = 'click') AS clicks
FROM (SELECT DISTINCT country FROM events) e
WHERE e.country IN ('DE', 'FR', 'ZZ') OR e.country < 'B'
ORDER BY 1;

-- name: correlated_exists_key_restricted_across_join
SELECT count(*) AS n, count(DISTINCT e.user_id) AS users
FROM events e JOIN lineitem l ON l.l_orderkey = e.latency_ms
WHERE e.platform <> 'web' AND l.l_shipmode <> 'AIR'
  AND EXISTS (SELECT 1 FROM events x WHERE x.user_id = e.user_id AND x.event IN ('click', 'search'));

-- name: natural_join_common_columns
SELECT * FROM (SELECT country, platform, count(*) AS n FROM events GROUP BY 1, 2) a
NATURAL JOIN (SELECT country, platform, sum(revenue) AS revenue FROM events WHERE event = 'purchase' GROUP BY 1, 2) b
ORDER BY ALL;

-- name: natural_left_join
SELECT a.variant, b.k, count(*) AS n
FROM (SELECT DISTINCT variant FROM events) a
NATURAL LEFT JOIN (SELECT DISTINCT variant, 1 AS k FROM events WHERE variant <> 'control') b
GROUP BY ALL ORDER BY ALL;

-- name: error_natural_join_without_common_column
SELECT count(*) FROM (SELECT DISTINCT variant FROM events) a NATURAL JOIN (SELECT DISTINCT l_linestatus FROM lineitem) c;

-- Window functions.

-- name: win_row_number_per_variant
SELECT variant, ts, event, row_number() OVER (PARTITION BY variant ORDER BY ts) AS rn
FROM events WHERE experiment = 'exp_000' ORDER BY variant, ts;

-- name: win_rank_dense_rank_ties
SELECT latency_ms, ts, rank() OVER (ORDER BY latency_ms DESC) AS r, dense_rank() OVER (ORDER BY latency_ms DESC) AS dr
FROM events WHERE experiment = 'exp_001' ORDER BY latency_ms DESC, ts;

-- name: win_percent_rank_cume_dist
SELECT platform, latency_ms, ts, percent_rank() OVER (PARTITION BY platform ORDER BY latency_ms) AS pr,
       cume_dist() OVER (PARTITION BY platform ORDER BY latency_ms) AS cd
FROM events WHERE experiment = 'exp_002' ORDER BY platform, latency_ms, ts;

-- name: win_ntile
SELECT variant, ts, ntile(4) OVER (ORDER BY ts) AS q4, ntile(3) OVER (PARTITION BY variant ORDER BY ts) AS q3,
       ntile(50) OVER (PARTITION BY variant ORDER BY ts) AS q50
FROM events WHERE experiment = 'exp_003' ORDER BY ts;

-- name: win_lag_lead
SELECT variant, ts, latency_ms, lag(latency_ms) OVER (PARTITION BY variant ORDER BY ts) AS prev,
       lag(latency_ms, 2) OVER (PARTITION BY variant ORDER BY ts) AS prev2,
       lead(latency_ms, 1, 0) OVER (PARTITION BY variant ORDER BY ts) AS next_or_0,
       lead(event, 3, 'none') OVER (PARTITION BY variant ORDER BY ts) AS next3_event,
       lag(latency_ms, -1) OVER (PARTITION BY variant ORDER BY ts) AS lag_back
FROM events WHERE experiment = 'exp_004' ORDER BY variant, ts;

-- name: win_lag_timestamp
SELECT user_id, ts, lag(ts) OVER (PARTITION BY user_id ORDER BY ts) AS previous_ts
FROM events WHERE user_id < 'u2' ORDER BY user_id, ts;

-- name: win_first_last_value_default_frame
SELECT variant, ts, latency_ms, first_value(latency_ms) OVER (PARTITION BY variant ORDER BY ts) AS fv,
       last_value(latency_ms) OVER (PARTITION BY variant ORDER BY ts) AS lv_current
FROM events WHERE experiment = 'exp_005' ORDER BY variant, ts;

-- name: win_last_value_whole_partition
SELECT variant, ts, last_value(event) OVER (PARTITION BY variant ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_event,
       first_value(event) OVER (PARTITION BY variant ORDER BY ts DESC) AS latest_event
FROM events WHERE experiment = 'exp_006' ORDER BY variant, ts;

-- name: win_nth_value
SELECT variant, ts, nth_value(latency_ms, 2) OVER (PARTITION BY variant ORDER BY ts) AS second,
       nth_value(latency_ms, 3) OVER (PARTITION BY variant ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 3 FOLLOWING) AS third_in_frame
FROM events WHERE experiment = 'exp_007' ORDER BY variant, ts;

-- name: win_running_totals
SELECT ts, latency_ms, sum(latency_ms) OVER (ORDER BY ts) AS running_sum, count(*) OVER (ORDER BY ts) AS running_count,
       avg(latency_ms) OVER (ORDER BY ts) AS running_avg, sum(revenue) OVER (ORDER BY ts) AS running_revenue
FROM events WHERE experiment = 'exp_008' ORDER BY ts;

-- name: win_moving_rows_frames
SELECT ts, sum(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS centred,
       avg(latency_ms) OVER (ORDER BY ts ROWS 3 PRECEDING) AS trailing_avg,
       min(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS lo,
       max(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS hi
FROM events WHERE experiment = 'exp_009' ORDER BY ts;

-- name: win_rows_following_frames
SELECT ts, sum(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS next3,
       count(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS next3_count,
       sum(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS prev3,
       sum(latency_ms) OVER (ORDER BY ts ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS rest,
       max(latency_ms) OVER (ORDER BY ts ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS itself
FROM events WHERE experiment = 'exp_010' ORDER BY ts;

-- name: win_range_default_peers
SELECT latency_ms, ts, sum(latency_ms) OVER (ORDER BY latency_ms) AS s, count(*) OVER (ORDER BY latency_ms) AS c,
       last_value(ts) OVER (ORDER BY latency_ms) AS last_peer_ts_max
FROM events WHERE experiment = 'exp_011' QUALIFY count(*) OVER (PARTITION BY latency_ms) = 1 ORDER BY latency_ms, ts;

-- name: win_range_numeric_offsets
SELECT latency_ms, ts, count(*) OVER (ORDER BY latency_ms RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS near,
       sum(latency_ms) OVER (ORDER BY latency_ms RANGE BETWEEN CURRENT ROW AND 25 FOLLOWING) AS ahead,
       count(*) OVER (ORDER BY latency_ms DESC RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) AS desc_near
FROM events WHERE experiment = 'exp_012' ORDER BY latency_ms, ts;

-- name: win_range_double_offset
SELECT revenue, ts, count(*) OVER (ORDER BY revenue RANGE BETWEEN 2.5 PRECEDING AND 2.5 FOLLOWING) AS near,
       max(latency_ms) OVER (ORDER BY revenue RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS below_max
FROM events WHERE experiment = 'exp_013' AND revenue > 0 ORDER BY revenue, ts;

-- name: win_range_interval_hour
SELECT ts, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW) AS last_hour,
       sum(revenue) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '30 minutes' PRECEDING AND INTERVAL '30 minutes' FOLLOWING) AS around
FROM events WHERE experiment = 'exp_014' ORDER BY ts;

-- name: win_range_interval_days_partitioned
SELECT variant, ts, count(*) OVER (PARTITION BY variant ORDER BY ts RANGE BETWEEN CURRENT ROW AND INTERVAL '1 day' FOLLOWING) AS next_day,
       count(*) OVER (PARTITION BY variant ORDER BY ts DESC RANGE BETWEEN INTERVAL 2 DAY PRECEDING AND CURRENT ROW) AS desc_days
FROM events WHERE experiment = 'exp_015' ORDER BY variant, ts;

-- name: win_range_interval_month
SELECT date_trunc('day', ts) AS day, count(*) AS n,
       sum(count(*)) OVER (ORDER BY date_trunc('day', ts) RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW) AS month_to_date,
       sum(count(*)) OVER (ORDER BY date_trunc('day', ts) RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW) AS week
FROM events GROUP BY 1 ORDER BY 1;

-- name: win_whole_partition_without_order
SELECT variant, platform, ts, count(*) OVER (PARTITION BY variant) AS per_variant,
       sum(revenue) OVER (PARTITION BY platform) AS platform_revenue, avg(latency_ms) OVER () AS overall_avg,
       min(ts) OVER (PARTITION BY variant, platform) AS first_seen
FROM events WHERE experiment = 'exp_016' ORDER BY ts;

-- name: win_partition_by_null_keys
SELECT nullif(country, 'US') AS c, ts, count(*) OVER (PARTITION BY nullif(country, 'US')) AS n,
       row_number() OVER (PARTITION BY nullif(country, 'US') ORDER BY ts) AS rn
FROM events WHERE experiment = 'exp_017' ORDER BY c NULLS FIRST, ts;

-- name: win_order_by_null_keys
SELECT nullif(platform, 'ios') AS p, ts, rank() OVER (ORDER BY nullif(platform, 'ios')) AS r_default,
       rank() OVER (ORDER BY nullif(platform, 'ios') NULLS FIRST) AS r_nulls_first,
       rank() OVER (ORDER BY nullif(platform, 'ios') DESC) AS r_desc,
       dense_rank() OVER (ORDER BY nullif(platform, 'ios') DESC NULLS FIRST) AS dr_desc_first
FROM events WHERE experiment = 'exp_018' ORDER BY ts;

-- name: win_running_sum_over_null_order_keys
SELECT CASE WHEN latency_ms > 150 THEN latency_ms END AS slow, ts,
       sum(latency_ms) OVER (ORDER BY CASE WHEN latency_ms > 150 THEN latency_ms END) AS s,
       count(*) OVER (ORDER BY CASE WHEN latency_ms > 150 THEN latency_ms END NULLS FIRST RANGE BETWEEN 20 PRECEDING AND 20 FOLLOWING) AS near,
       row_number() OVER (ORDER BY CASE WHEN latency_ms > 150 THEN latency_ms END DESC NULLS FIRST, ts) AS rn
FROM events WHERE experiment = 'exp_019' ORDER BY ts;

-- name: win_qualify_top_per_group
SELECT variant, ts, latency_ms FROM events WHERE experiment = 'exp_020'
QUALIFY row_number() OVER (PARTITION BY variant ORDER BY latency_ms DESC, ts) <= 2
ORDER BY variant, latency_ms DESC, ts;

-- name: win_qualify_alias
SELECT platform, ts, rank() OVER (PARTITION BY platform ORDER BY revenue DESC) AS r, revenue
FROM events WHERE experiment = 'exp_021' QUALIFY r = 1 ORDER BY platform, ts;

-- name: win_named_window
SELECT variant, ts, row_number() OVER w AS rn, lag(latency_ms) OVER w AS prev, sum(latency_ms) OVER w AS running
FROM events WHERE experiment = 'exp_022'
WINDOW w AS (PARTITION BY variant ORDER BY ts) ORDER BY variant, ts;

-- name: win_named_window_refined
SELECT variant, ts, sum(latency_ms) OVER (w ORDER BY ts ROWS 1 PRECEDING) AS pair, count(*) OVER w AS n,
       first_value(ts) OVER (w ORDER BY ts) AS first_ts
FROM events WHERE experiment = 'exp_023'
WINDOW w AS (PARTITION BY variant) ORDER BY variant, ts;

-- name: win_over_grouped_share
SELECT platform, count(*) AS n, sum(count(*)) OVER () AS total, count(*) / sum(count(*)) OVER () AS share
FROM events GROUP BY platform ORDER BY platform;

-- name: win_rank_over_aggregate
SELECT country, sum(revenue) AS revenue, rank() OVER (ORDER BY sum(revenue) DESC) AS r,
       dense_rank() OVER (ORDER BY count(*) DESC) AS by_count
FROM events GROUP BY country ORDER BY r, country;

-- name: win_grouped_partition_having
SELECT variant, platform, count(*) AS n,
       row_number() OVER (PARTITION BY variant ORDER BY count(*) DESC) AS rn,
       avg(count(*)) OVER (PARTITION BY platform) AS avg_n
FROM events GROUP BY variant, platform HAVING count(*) > 50 ORDER BY variant, platform;

-- name: win_grouped_running_by_day
SELECT date_trunc('day', ts) AS day, sum(revenue) AS revenue,
       sum(sum(revenue)) OVER (ORDER BY date_trunc('day', ts)) AS cumulative,
       avg(sum(revenue)) OVER (ORDER BY date_trunc('day', ts) ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving3,
       lag(count(*)) OVER (ORDER BY date_trunc('day', ts)) AS prev_count
FROM events GROUP BY 1 ORDER BY 1;

-- name: win_min_max_strings
SELECT ts, event, min(event) OVER (ORDER BY ts ROWS 3 PRECEDING) AS lo, max(event) OVER (ORDER BY ts ROWS 3 PRECEDING) AS hi
FROM events WHERE experiment = 'exp_024' ORDER BY ts;

-- name: win_count_nulls_and_filter
SELECT variant, ts, count(nullif(platform, 'ios')) OVER (PARTITION BY variant ORDER BY ts) AS non_ios,
       sum(revenue) FILTER (WHERE event = 'purchase') OVER (PARTITION BY variant ORDER BY ts) AS purchases,
       count(*) FILTER (WHERE latency_ms > 100) OVER (PARTITION BY variant) AS slow
FROM events WHERE experiment = 'exp_025' ORDER BY variant, ts;

-- name: win_decimal_sum_avg
SELECT l_returnflag, l_orderkey, l_linenumber, sum(l_extendedprice) OVER (PARTITION BY l_returnflag ORDER BY l_orderkey, l_linenumber) AS running,
       avg(l_quantity) OVER (PARTITION BY l_returnflag ORDER BY l_orderkey, l_linenumber ROWS 2 PRECEDING) AS avg3
FROM lineitem WHERE l_orderkey < 600 ORDER BY l_returnflag, l_orderkey, l_linenumber;

-- name: win_decimal_range_offset
SELECT l_quantity, l_orderkey, l_linenumber, count(*) OVER (ORDER BY l_quantity RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS near,
       min(l_discount) OVER (ORDER BY l_quantity RANGE BETWEEN 2.5 PRECEDING AND CURRENT ROW) AS min_discount
FROM lineitem WHERE l_orderkey < 1000 ORDER BY l_quantity, l_orderkey, l_linenumber;

-- name: win_in_order_by_and_limit
SELECT ts, event FROM events WHERE experiment = 'exp_026'
ORDER BY row_number() OVER (ORDER BY ts DESC) LIMIT 5;

-- name: win_distinct_over_windows
SELECT DISTINCT variant, count(*) OVER (PARTITION BY variant) AS n FROM events ORDER BY variant;

-- name: win_expressions_of_windows
SELECT variant, ts, latency_ms - lag(latency_ms) OVER w AS delta,
       100 * row_number() OVER w / count(*) OVER (PARTITION BY variant) AS pct_through
FROM events WHERE experiment = 'exp_027' WINDOW w AS (PARTITION BY variant ORDER BY ts) ORDER BY variant, ts;

-- name: win_variance_and_median
SELECT variant, ts, stddev_samp(latency_ms) OVER (PARTITION BY variant ORDER BY ts ROWS 4 PRECEDING) AS sd,
       median(latency_ms) OVER (PARTITION BY variant ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS med
FROM events WHERE experiment = 'exp_000' ORDER BY variant, ts;

-- name: win_count_distinct
SELECT variant, ts, count(DISTINCT platform) OVER (PARTITION BY variant ORDER BY ts) AS platforms_so_far
FROM events WHERE experiment = 'exp_001' ORDER BY variant, ts;

-- name: win_without_from
SELECT row_number() OVER () AS rn, count(*) OVER () AS n;

-- name: win_empty_input
SELECT ts, row_number() OVER (ORDER BY ts) AS rn, sum(latency_ms) OVER () AS s FROM events WHERE latency_ms < 0 ORDER BY ts;

-- name: win_over_join
SELECT e.ts, l.l_linenumber, sum(l.l_quantity) OVER (PARTITION BY e.ts ORDER BY l.l_linenumber) AS running_quantity,
       rank() OVER (ORDER BY e.latency_ms) AS r
FROM events e JOIN lineitem l ON l.l_orderkey = e.latency_ms ORDER BY e.ts, l.l_linenumber;

-- name: win_over_subquery_and_outer_filter
SELECT * FROM (
  SELECT variant, ts, revenue, row_number() OVER (PARTITION BY variant ORDER BY revenue DESC, ts) AS rn FROM events
) t WHERE rn <= 3 ORDER BY variant, rn;

-- name: win_mixed_partitions
SELECT experiment, variant, count(*) AS n,
       rank() OVER (PARTITION BY experiment ORDER BY count(*) DESC, variant) AS r,
       sum(count(*)) OVER (PARTITION BY variant ORDER BY experiment ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
       percent_rank() OVER (ORDER BY count(*)) AS pr, cume_dist() OVER (PARTITION BY variant ORDER BY count(*)) AS cd
FROM events WHERE experiment < 'exp_006' GROUP BY 1, 2 ORDER BY 1, 2;

-- name: win_range_unbounded_following
SELECT latency_ms, ts, count(*) OVER (ORDER BY latency_ms RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS at_or_above,
       sum(latency_ms) OVER (ORDER BY latency_ms RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS above
FROM events WHERE experiment = 'exp_002' ORDER BY latency_ms, ts;

-- name: win_outer_filter_stays_above_window
SELECT * FROM (SELECT ts, platform, row_number() OVER (ORDER BY ts) AS rn FROM events) WHERE platform = 'ios' ORDER BY ts LIMIT 20;

-- name: win_cte_filtered_on_partition_and_value
WITH w AS (SELECT ts, variant, sum(latency_ms) OVER (PARTITION BY variant ORDER BY ts) AS s FROM events)
SELECT * FROM w WHERE variant = 'control' AND s > 1000 ORDER BY ts LIMIT 20;

-- name: win_top_n_in_subquery_for_in
SELECT ts, event FROM events WHERE ts IN (SELECT ts FROM (SELECT ts, row_number() OVER (ORDER BY ts DESC) AS rn FROM events) WHERE rn <= 3) ORDER BY ts;

-- name: win_ignore_nulls
SELECT variant, ts, lag(CASE WHEN latency_ms > 120 THEN latency_ms END IGNORE NULLS) OVER (PARTITION BY variant ORDER BY ts) AS prev_slow,
       lead(CASE WHEN latency_ms > 120 THEN latency_ms END, 2, -1 IGNORE NULLS) OVER (PARTITION BY variant ORDER BY ts) AS next2_slow,
       last_value(CASE WHEN latency_ms > 120 THEN latency_ms END IGNORE NULLS) OVER (PARTITION BY variant ORDER BY ts) AS fill_forward,
       first_value(CASE WHEN latency_ms > 120 THEN latency_ms END IGNORE NULLS) OVER (PARTITION BY variant ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING) AS first_slow,
       nth_value(CASE WHEN latency_ms > 120 THEN latency_ms END, 2 IGNORE NULLS) OVER (PARTITION BY variant ORDER BY ts) AS second_slow,
       first_value(CASE WHEN latency_ms > 120 THEN latency_ms END RESPECT NULLS) OVER (PARTITION BY variant ORDER BY ts) AS first_any
FROM events WHERE experiment = 'exp_005' ORDER BY variant, ts;

-- name: win_groups_frames
SELECT latency_ms, ts, count(*) OVER (ORDER BY latency_ms GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS around,
       sum(latency_ms) OVER (ORDER BY latency_ms DESC GROUPS 2 PRECEDING) AS last3_groups,
       count(*) OVER (ORDER BY latency_ms GROUPS BETWEEN 2 FOLLOWING AND 1 FOLLOWING) AS empty_frame,
       max(ts) OVER (ORDER BY CASE WHEN latency_ms > 150 THEN latency_ms END NULLS FIRST GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before,
       count(*) OVER (PARTITION BY variant GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) AS whole_partition
FROM events WHERE experiment = 'exp_007' ORDER BY latency_ms, ts;

-- name: win_frame_exclusions
SELECT latency_ms, ts, sum(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW) AS neighbours,
       count(*) OVER (ORDER BY latency_ms RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING EXCLUDE GROUP) AS near_others,
       count(*) OVER (ORDER BY latency_ms GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING EXCLUDE TIES) AS ties_out,
       first_value(ts) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) AS other_first,
       max(latency_ms) OVER (ORDER BY latency_ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE NO OTHERS) AS running_max
FROM events WHERE experiment = 'exp_009' ORDER BY latency_ms, ts;

-- name: error_ignore_nulls_on_window_aggregate
SELECT sum(latency_ms IGNORE NULLS) OVER () FROM events;

-- name: error_window_in_where
SELECT count(*) FROM events WHERE row_number() OVER (ORDER BY ts) > 3;

-- name: error_window_in_group_by
SELECT count(*) FROM events GROUP BY row_number() OVER (ORDER BY ts);

-- name: error_window_in_having
SELECT platform FROM events GROUP BY platform HAVING rank() OVER (ORDER BY platform) = 1;

-- name: error_nested_window
SELECT sum(row_number() OVER (ORDER BY ts)) OVER () FROM events;

-- name: error_unknown_named_window
SELECT row_number() OVER missing FROM events;

-- Aggregates of issue 14 item 2 (DuckDB semantics: result types, NULL for empty groups, NULL pairs skipped).

-- name: agg_var_stddev_pop
SELECT var_pop(latency_ms) AS vp, stddev_pop(latency_ms) AS sp, variance(latency_ms) AS v, stddev(latency_ms) AS s
FROM events;

-- name: agg_var_pop_by_platform
SELECT platform, var_pop(revenue) AS vp, stddev_pop(latency_ms) AS sp, var_samp(revenue) AS vs
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_var_pop_single_and_null_groups
SELECT platform, var_pop(CASE WHEN platform = 'web' THEN NULL ELSE latency_ms END) AS vp,
       stddev_pop(latency_ms) FILTER (WHERE user_id = 'u26800305') AS one_row
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_var_pop_decimal
SELECT l_returnflag, var_pop(l_extendedprice) AS vp, stddev_pop(l_quantity) AS sp
FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: agg_covar_corr
SELECT covar_pop(revenue, latency_ms) AS cp, covar_samp(revenue, latency_ms) AS cs, corr(revenue, latency_ms) AS r
FROM events;

-- name: agg_covar_by_platform
SELECT platform, covar_pop(latency_ms, revenue) AS cp, covar_samp(latency_ms, revenue) AS cs,
       corr(latency_ms, revenue) AS r
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_corr_decimal
SELECT l_returnflag, corr(l_extendedprice, l_quantity) AS r, covar_pop(l_extendedprice, l_discount) AS cp
FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: agg_regr
SELECT regr_slope(l_extendedprice, l_quantity) AS slope, regr_intercept(l_extendedprice, l_quantity) AS intercept,
       regr_r2(l_extendedprice, l_quantity) AS r2, regr_count(l_extendedprice, l_quantity) AS n
FROM lineitem;

-- name: agg_regr_by_group
SELECT l_shipmode, regr_slope(l_extendedprice, l_quantity) AS slope,
       regr_intercept(l_extendedprice, l_quantity) AS intercept, regr_r2(l_extendedprice, l_quantity) AS r2,
       regr_count(l_extendedprice, l_quantity) AS n
FROM lineitem GROUP BY l_shipmode ORDER BY l_shipmode;

-- name: agg_regr_null_pairs
SELECT platform,
       regr_count(CASE WHEN revenue > 0 THEN revenue END, latency_ms) AS n,
       regr_slope(CASE WHEN revenue > 0 THEN revenue END, latency_ms) AS slope,
       covar_samp(CASE WHEN revenue > 0 THEN revenue END, latency_ms) AS cs,
       corr(latency_ms, CASE WHEN revenue > 0 THEN revenue END) AS r
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_regr_null_only_group
SELECT platform, regr_count(CASE WHEN platform = 'ios' THEN NULL ELSE latency_ms END, revenue) AS n,
       regr_slope(CASE WHEN platform = 'ios' THEN NULL ELSE latency_ms END, revenue) AS slope,
       covar_pop(CASE WHEN platform = 'ios' THEN NULL ELSE latency_ms END, revenue) AS cp,
       corr(CASE WHEN platform = 'ios' THEN NULL ELSE latency_ms END, revenue) AS r
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_regr_constant_y
SELECT regr_r2(1, latency_ms) AS r2, regr_slope(1, latency_ms) AS slope, regr_intercept(1, latency_ms) AS intercept
FROM events;

-- name: agg_regr_constant_x
SELECT regr_r2(latency_ms, 2) AS r2, regr_intercept(latency_ms, 2) AS intercept, regr_count(latency_ms, 2) AS n
FROM events;

-- name: agg_covar_filter
SELECT event, covar_samp(latency_ms, revenue) FILTER (WHERE platform = 'android') AS cs,
       regr_count(latency_ms, revenue) FILTER (WHERE revenue > 0) AS n
FROM events GROUP BY event ORDER BY event;

-- name: agg_covar_expressions
SELECT corr(latency_ms * 2 + 1, latency_ms) AS r, regr_slope(latency_ms * 3, latency_ms) AS slope,
       regr_intercept(latency_ms * 3 + 7, latency_ms) AS intercept
FROM events;

-- name: agg_arg_max_min
SELECT arg_max(user_id, ts) AS last_user, arg_min(user_id, ts) AS first_user, max_by(event, ts) AS e,
       min_by(latency_ms, ts) AS l
FROM events;

-- name: agg_arg_max_by_group
SELECT experiment, arg_max(user_id, ts) AS u, arg_min(event, ts) AS e FROM events
GROUP BY experiment ORDER BY experiment;

-- name: agg_arg_max_double_key
SELECT platform, arg_max(ts, revenue) AS ts_of_top, arg_min(platform, latency_ms + epoch_ms(ts) / 1e15) AS p
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_arg_max_null_values
SELECT platform, arg_max(CASE WHEN latency_ms > 100 THEN user_id END, ts) AS u,
       arg_min(latency_ms, CASE WHEN revenue > 0 THEN ts END) AS l
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_arg_max_decimal
SELECT l_returnflag, arg_max(l_orderkey, l_extendedprice) AS k, arg_min(l_extendedprice, l_orderkey * 10 + l_linenumber) AS p
FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: agg_arg_max_filter
SELECT event, arg_max(user_id, ts) FILTER (WHERE platform = 'web') AS u FROM events GROUP BY event ORDER BY event;

-- name: agg_any_value
SELECT experiment, any_value(experiment) AS e, any_value(CASE WHEN experiment = 'exp_003' THEN NULL ELSE 1 END) AS one
FROM events GROUP BY experiment ORDER BY experiment;

-- name: agg_first_last_single_rows
SELECT ts, first(user_id) AS f, last(event) AS l, first(CASE WHEN latency_ms > 100 THEN latency_ms END) AS fn
FROM events WHERE experiment = 'exp_001' GROUP BY ts ORDER BY ts LIMIT 30;

-- name: agg_first_constant_groups
SELECT platform, first(platform) AS f, last(upper(platform)) AS l FROM events GROUP BY platform ORDER BY platform;

-- name: agg_bool_and_or
SELECT platform, bool_and(is_new_user) AS all_new, bool_or(is_new_user) AS any_new,
       bool_and(latency_ms > 5) AS all_slow, bool_or(revenue > 100) AS big
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_bool_null_groups
SELECT platform, bool_and(CASE WHEN platform = 'web' THEN NULL ELSE is_new_user END) AS a,
       bool_or(is_new_user) FILTER (WHERE revenue > 1000000) AS o
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_count_if
SELECT count_if(is_new_user) AS new_users, count_if(revenue > 0) AS paying, count_if(latency_ms > 1000000) AS none
FROM events;

-- name: agg_count_if_by_group
SELECT event, count_if(is_new_user) AS n, count_if(CASE WHEN event = 'click' THEN NULL ELSE revenue > 0 END) AS p,
       count_if(platform = 'ios') FILTER (WHERE latency_ms > 200) AS ios_slow
FROM events GROUP BY event ORDER BY event;

-- name: agg_sum_avg_distinct
SELECT sum(DISTINCT latency_ms) AS s, avg(DISTINCT latency_ms) AS a, count(DISTINCT latency_ms) AS n,
       sum(DISTINCT revenue) AS sr
FROM events;

-- name: agg_sum_avg_distinct_by_group
SELECT platform, sum(DISTINCT latency_ms) AS s, avg(DISTINCT revenue) AS a, sum(latency_ms) AS all_s
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_sum_distinct_decimal
SELECT l_returnflag, sum(DISTINCT l_quantity) AS q, avg(DISTINCT l_discount) AS d
FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: agg_sum_distinct_null_group
SELECT platform, sum(DISTINCT CASE WHEN platform = 'web' THEN NULL ELSE latency_ms END) AS s,
       avg(DISTINCT latency_ms) FILTER (WHERE revenue > 0) AS a
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_median_quantile_disc
SELECT median(latency_ms) AS m, quantile_disc(latency_ms, 0.5) AS d50, quantile_disc(latency_ms, 0.9) AS d90,
       quantile_disc(revenue, 0.99) AS r99
FROM events;

-- name: agg_quantile_disc_by_group
SELECT platform, quantile_disc(latency_ms, 0.25) AS q1, quantile_disc(latency_ms, 0.0) AS lo,
       quantile_disc(latency_ms, 1.0) AS hi, median(revenue) AS m
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_quantile_disc_decimal_and_strings
SELECT l_returnflag, quantile_disc(l_extendedprice, 0.5) AS p, median(l_quantity) AS mq,
       quantile_disc(l_shipmode, 0.5) AS mode_text
FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: agg_quantile_disc_null_group
SELECT platform, quantile_disc(CASE WHEN platform = 'android' THEN NULL ELSE latency_ms END, 0.5) AS q,
       median(latency_ms) FILTER (WHERE revenue > 0) AS m
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_mode
SELECT mode(platform) AS p, mode(event) AS e FROM events;

-- name: agg_mode_by_group
-- (Ties in mode go to the value met first, so they depend on the table's row order, which Strata's sort key
-- changes: these groups have no ties.)
SELECT experiment, mode(country) AS c, mode(platform) FILTER (WHERE revenue = 0) AS p, count(*) AS n
FROM events GROUP BY experiment ORDER BY experiment;

-- name: agg_mode_null_group
SELECT platform, mode(CASE WHEN platform = 'ios' THEN NULL ELSE event END) AS e,
       mode(revenue) AS r
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_new_functions_empty_input
SELECT var_pop(latency_ms) AS vp, corr(revenue, latency_ms) AS r, regr_count(revenue, latency_ms) AS n,
       arg_max(user_id, ts) AS u, any_value(user_id) AS a, first(user_id) AS f, bool_and(is_new_user) AS b,
       count_if(is_new_user) AS c, mode(event) AS m, quantile_disc(latency_ms, 0.5) AS q,
       sum(DISTINCT latency_ms) AS s
FROM events WHERE latency_ms < 0;

-- name: agg_new_functions_having
SELECT platform, count_if(is_new_user) AS n FROM events GROUP BY platform
HAVING bool_or(revenue > 0) AND corr(latency_ms, revenue) IS NOT NULL ORDER BY platform;

-- name: agg_new_functions_windows
SELECT ts, var_pop(latency_ms) OVER w AS vp, covar_pop(latency_ms, revenue) OVER w AS cp,
       arg_max(user_id, latency_ms + epoch_ms(ts) / 1e15) OVER w AS u, bool_or(revenue > 0) OVER w AS paid,
       count_if(is_new_user) OVER w AS n, regr_count(latency_ms, revenue) OVER w AS rc
FROM events WHERE experiment = 'exp_002'
WINDOW w AS (ORDER BY ts ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) ORDER BY ts;

-- name: agg_quantile_disc_window
SELECT ts, quantile_disc(latency_ms, 0.5) OVER (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS q,
       first(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS f,
       last(latency_ms) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS l
FROM events WHERE experiment = 'exp_004' ORDER BY ts;

-- name: agg_two_aggregates_share_arguments
SELECT country, regr_slope(latency_ms, revenue) AS s1, regr_slope(revenue, latency_ms) AS s2,
       covar_pop(latency_ms, latency_ms) AS vp_as_covar, var_pop(latency_ms) AS vp
FROM events GROUP BY country ORDER BY country LIMIT 15;

-- name: error_corr_of_strings
SELECT corr(user_id, latency_ms) FROM events;

-- name: error_count_if_of_integer
SELECT count_if(latency_ms) FROM events;

-- name: error_bool_and_of_string
SELECT bool_and(platform) FROM events;

-- name: agg_percentile_within_group
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY revenue) AS r90,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) AS d50,
       percentile_disc(0.75) WITHIN GROUP (ORDER BY latency_ms ASC) AS d75
FROM events;

-- name: agg_percentile_within_group_by_group
SELECT platform, percentile_cont(0.25) WITHIN GROUP (ORDER BY latency_ms) AS p25,
       percentile_disc(0.25) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE revenue > 0) AS d25,
       mode() WITHIN GROUP (ORDER BY event) AS m
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_percentile_within_group_decimal
SELECT l_returnflag, percentile_cont(0.5) WITHIN GROUP (ORDER BY l_extendedprice) AS p,
       percentile_disc(0.1) WITHIN GROUP (ORDER BY l_quantity) AS d
FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: agg_percentile_within_group_null_group
SELECT platform,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN platform = 'ios' THEN NULL ELSE latency_ms END) AS p,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY CASE WHEN platform = 'ios' THEN NULL ELSE ts END) AS d
FROM events GROUP BY platform ORDER BY platform;

-- name: error_percentile_without_within_group
SELECT percentile_cont(latency_ms, 0.5) FROM events;

-- name: agg_string_agg_ordered
SELECT platform, string_agg(user_id, ',' ORDER BY ts) FILTER (WHERE experiment = 'exp_004') AS users,
       listagg(event, ' | ' ORDER BY ts DESC) FILTER (WHERE experiment = 'exp_010') AS events
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_string_agg_two_keys
SELECT experiment, string_agg(variant, ';' ORDER BY variant DESC, ts) AS v, count(*) AS n
FROM events WHERE experiment IN ('exp_004', 'exp_012', 'exp_023') GROUP BY experiment ORDER BY experiment;

-- name: agg_string_agg_nulls
SELECT platform,
       string_agg(CASE WHEN latency_ms > 100 THEN user_id END, '-' ORDER BY ts) FILTER (WHERE experiment = 'exp_009') AS slow,
       string_agg(CASE WHEN platform = 'web' THEN NULL ELSE 'x' END, '' ORDER BY ts) FILTER (WHERE experiment = 'exp_009') AS xs
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_string_agg_null_keys
SELECT string_agg(user_id, ',' ORDER BY CASE WHEN latency_ms > 100 THEN ts END NULLS FIRST, ts DESC) AS u
FROM events WHERE experiment = 'exp_004';

-- name: agg_string_agg_default_separator
SELECT ts, string_agg(event) AS e, group_concat(platform, '+') AS p
FROM events WHERE experiment = 'exp_007' GROUP BY ts ORDER BY ts;

-- name: agg_string_agg_of_numbers
SELECT string_agg(latency_ms ORDER BY ts) AS l, string_agg(is_new_user, '/' ORDER BY ts DESC) AS b
FROM events WHERE experiment = 'exp_004';

-- name: agg_regr_sums_and_means
SELECT l_shipmode, regr_avgx(l_extendedprice, l_quantity) AS ax, regr_avgy(l_extendedprice, l_quantity) AS ay,
       regr_sxx(l_extendedprice, l_quantity) AS sxx, regr_syy(l_extendedprice, l_quantity) AS syy,
       regr_sxy(l_extendedprice, l_quantity) AS sxy
FROM lineitem GROUP BY l_shipmode ORDER BY l_shipmode;

-- name: agg_regr_sums_null_group
SELECT platform, regr_avgx(CASE WHEN platform = 'web' THEN NULL ELSE revenue END, latency_ms) AS ax,
       regr_sxy(revenue, latency_ms) FILTER (WHERE revenue > 0) AS sxy
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_count_distinct_rows
SELECT count(DISTINCT (platform, country)) AS pc, count(DISTINCT (experiment, variant, event)) AS eve,
       count(DISTINCT platform) AS p
FROM events;

-- name: agg_count_distinct_rows_with_nulls
SELECT platform, count(DISTINCT (CASE WHEN latency_ms > 100 THEN country END, is_new_user)) AS n,
       count(DISTINCT (CASE WHEN platform = 'web' THEN NULL ELSE event END, NULL)) FILTER (WHERE revenue > 0) AS f
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_count_distinct_rows_decimal
SELECT l_returnflag, count(DISTINCT (l_linestatus, l_quantity)) AS n FROM lineitem GROUP BY l_returnflag
ORDER BY l_returnflag;

-- name: agg_null_literal_arguments
SELECT corr(NULL, latency_ms) AS r, regr_count(latency_ms, NULL) AS n, arg_max(user_id, NULL) AS u,
       count_if(NULL) AS c, bool_or(NULL) AS b, string_agg(NULL, ',') AS s, var_pop(NULL) AS v
FROM events;

-- name: agg_arg_max_string_and_bool_keys
-- (String keys without ties: a user id can repeat, so the timestamp is appended.)
SELECT platform, arg_max(latency_ms, user_id || '/' || CAST(ts AS VARCHAR)) AS by_user,
       arg_min(user_id, user_id) AS first_user, arg_max(user_id, is_new_user::VARCHAR || CAST(ts AS VARCHAR)) AS b,
       max_by(user_id, ts) FILTER (WHERE is_new_user) AS newest
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_arg_max_decimal_key_timestamp_value
SELECT l_shipmode, arg_max(l_shipdate, l_extendedprice) AS d, arg_min(l_shipdate, l_extendedprice) AS e
FROM lineitem GROUP BY l_shipmode ORDER BY l_shipmode;

-- name: agg_new_in_subquery_and_order
SELECT platform, r FROM (
    SELECT platform, corr(latency_ms, revenue) AS r, count_if(revenue > 0) AS paying FROM events GROUP BY platform
) WHERE paying > 0 ORDER BY r DESC, platform;

-- name: agg_group_by_new_aggregate_expressions
SELECT experiment, round(stddev_pop(latency_ms) / nullif(avg(latency_ms), 0), 6) AS cv,
       regr_count(latency_ms, revenue) - count(*) AS zero
FROM events GROUP BY experiment ORDER BY experiment;

-- name: agg_percentile_within_group_desc
SELECT platform, percentile_disc(0.3) WITHIN GROUP (ORDER BY latency_ms DESC) AS d30,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY ts DESC) AS d50,
       percentile_cont(0.3) WITHIN GROUP (ORDER BY latency_ms DESC) AS c30,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY revenue DESC NULLS FIRST) AS c90
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_percentile_within_group_desc_decimal
SELECT l_returnflag, percentile_cont(0.35) WITHIN GROUP (ORDER BY l_extendedprice DESC) AS c,
       percentile_disc(0.1) WITHIN GROUP (ORDER BY l_quantity DESC) AS d,
       percentile_disc(1.0) WITHIN GROUP (ORDER BY l_quantity DESC) AS smallest,
       percentile_disc(0.0) WITHIN GROUP (ORDER BY l_quantity DESC) AS largest
FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: agg_first_last_order_by
SELECT platform, first(user_id ORDER BY ts) AS first_user, last(user_id ORDER BY ts) AS last_user,
       first(event ORDER BY ts DESC) AS latest_event,
       last(CASE WHEN latency_ms > 100 THEN latency_ms END ORDER BY ts) AS last_slow_or_null
FROM events GROUP BY platform ORDER BY platform;

-- name: agg_first_order_by_filter_and_nulls
SELECT experiment, first(revenue ORDER BY ts) FILTER (WHERE revenue > 0) AS first_revenue,
       last(user_id ORDER BY CASE WHEN is_new_user THEN NULL ELSE ts END NULLS FIRST, ts) AS u
FROM events GROUP BY experiment ORDER BY experiment;

-- name: agg_order_by_ignored_by_order_insensitive
SELECT platform, sum(latency_ms ORDER BY ts DESC) AS s, count(user_id ORDER BY ts) AS n,
       max(revenue ORDER BY user_id) AS m
FROM events GROUP BY platform ORDER BY platform;
