-- Golden queries for GROUPING SETS, ROLLUP, CUBE and grouping()/grouping_id (DuckDB's semantics). The fixture
-- tables have no NULLs, so NULL keys in the data come from nullif(…): grouping() tells them from rolled-up keys.
-- A query starts with a line "-- name: NAME" and ends with ";". Every query orders its rows fully.

-- name: grouping_sets_basic
SELECT variant, platform, count(*) AS n FROM events
GROUP BY GROUPING SETS ((variant, platform), (variant), ())
ORDER BY variant NULLS LAST, platform NULLS LAST;

-- name: grouping_sets_single_keys
SELECT variant, platform, count(*) AS n FROM events
GROUP BY GROUPING SETS (variant, platform)
ORDER BY variant NULLS FIRST, platform NULLS FIRST;

-- name: grouping_sets_nested_rollup
SELECT l_returnflag, l_linestatus, count(*) AS n FROM lineitem
GROUP BY GROUPING SETS (l_shipmode, ROLLUP (l_returnflag, l_linestatus))
ORDER BY ALL;

-- name: grouping_sets_duplicates_kept
SELECT l_returnflag, count(*) AS n FROM lineitem
GROUP BY GROUPING SETS ((l_returnflag), (l_returnflag), ())
ORDER BY ALL;

-- name: grouping_sets_only_empty
SELECT count(*) AS n, sum(latency_ms) AS total FROM events GROUP BY GROUPING SETS (());

-- name: group_by_empty_parens
SELECT count(*) AS n, max(latency_ms) AS hi FROM events GROUP BY ();

-- name: rollup_two_keys
SELECT l_returnflag, l_linestatus, count(*) AS n, sum(l_quantity) AS qty FROM lineitem
GROUP BY ROLLUP (l_returnflag, l_linestatus)
ORDER BY l_returnflag, l_linestatus;

-- name: rollup_three_keys
SELECT experiment, variant, platform, count(*) AS n FROM events
WHERE experiment IN ('exp_000', 'exp_001')
GROUP BY ROLLUP (experiment, variant, platform)
ORDER BY ALL;

-- name: rollup_composite_item
SELECT l_returnflag, l_linestatus, l_shipmode, count(*) AS n FROM lineitem
GROUP BY ROLLUP ((l_returnflag, l_linestatus), l_shipmode)
ORDER BY ALL;

-- name: rollup_with_plain_key
SELECT l_returnflag, l_shipmode, count(*) AS n FROM lineitem
GROUP BY l_returnflag, ROLLUP (l_shipmode)
ORDER BY ALL;

-- name: rollup_expression_key
SELECT date_trunc('week', ts) AS week, platform, count(*) AS n FROM events
GROUP BY ROLLUP (date_trunc('week', ts), platform)
ORDER BY ALL;

-- name: rollup_ordinals
SELECT l_linestatus, l_returnflag, count(*) AS n FROM lineitem
GROUP BY ROLLUP (1, 2)
ORDER BY ALL;

-- name: rollup_aliases
SELECT l_linestatus AS status, l_returnflag AS flag, count(*) AS n FROM lineitem
GROUP BY ROLLUP (status, flag)
ORDER BY ALL;

-- name: cube_two_keys
SELECT variant, platform, count(*) AS n, count(DISTINCT user_id) AS users FROM events
GROUP BY CUBE (variant, platform)
ORDER BY variant NULLS FIRST, platform NULLS FIRST;

-- name: cube_three_keys_grouping
SELECT l_returnflag, l_linestatus, l_shipmode, grouping(l_returnflag, l_linestatus, l_shipmode) AS g,
       count(*) AS n
FROM lineitem
GROUP BY CUBE (l_returnflag, l_linestatus, l_shipmode)
ORDER BY g, l_returnflag, l_linestatus, l_shipmode;

-- name: cube_with_plain_key
SELECT variant, is_new_user, platform, count(*) AS n FROM events
GROUP BY variant, CUBE (is_new_user, platform)
ORDER BY ALL;

-- name: cross_product_of_sets
SELECT l_returnflag, l_linestatus, l_shipmode, count(*) AS n FROM lineitem
GROUP BY GROUPING SETS (l_returnflag, l_linestatus), GROUPING SETS (l_shipmode, ())
ORDER BY ALL;

-- name: rollup_times_cube
SELECT l_returnflag, l_linestatus, l_shipmode, count(*) AS n FROM lineitem
GROUP BY ROLLUP (l_returnflag), CUBE (l_linestatus, l_shipmode)
ORDER BY ALL;

-- name: grouping_bit_order
SELECT l_returnflag, l_linestatus, grouping(l_returnflag) AS gf, grouping(l_linestatus) AS gs,
       grouping(l_returnflag, l_linestatus) AS g_fs, grouping(l_linestatus, l_returnflag) AS g_sf, count(*) AS n
FROM lineitem
GROUP BY CUBE (l_returnflag, l_linestatus)
ORDER BY ALL;

-- name: grouping_id_alias
SELECT variant, platform, grouping_id(variant, platform) AS gid, count(*) AS n FROM events
GROUP BY ROLLUP (variant, platform)
ORDER BY gid, variant, platform;

-- name: grouping_plain_group_by
SELECT variant, grouping(variant) AS g, count(*) AS n FROM events GROUP BY variant ORDER BY variant;

-- name: grouping_expression_key
SELECT latency_ms % 5 AS bucket, grouping(latency_ms % 5) AS g, count(*) AS n FROM events
GROUP BY ROLLUP (latency_ms % 5)
ORDER BY g, bucket;

-- name: null_keys_in_data_told_apart
SELECT nullif(l_shipmode, 'AIR') AS mode, grouping(nullif(l_shipmode, 'AIR')) AS rolled_up, count(*) AS n
FROM lineitem
GROUP BY ROLLUP (nullif(l_shipmode, 'AIR'))
ORDER BY rolled_up, mode NULLS FIRST;

-- name: null_keys_from_subquery
SELECT c, p, grouping(c, p) AS g, count(*) AS n
FROM (SELECT nullif(country, 'US') AS c, nullif(platform, 'ios') AS p FROM events WHERE country IN ('US', 'DE', 'FR'))
GROUP BY CUBE (c, p)
ORDER BY g, c NULLS FIRST, p NULLS FIRST;

-- name: null_keys_label_with_case
SELECT CASE WHEN grouping(l_shipmode) = 1 THEN '(all)' ELSE coalesce(nullif(l_shipmode, 'MAIL'), '(none)') END
         AS label,
       count(*) AS n
FROM lineitem
GROUP BY ROLLUP (l_shipmode)
ORDER BY label;

-- name: having_on_rollup
SELECT variant, platform, count(*) AS n FROM events
GROUP BY ROLLUP (variant, platform)
HAVING count(*) > 150
ORDER BY ALL;

-- name: having_on_grouping
SELECT l_returnflag, l_linestatus, count(*) AS n FROM lineitem
GROUP BY CUBE (l_returnflag, l_linestatus)
HAVING grouping(l_returnflag, l_linestatus) IN (1, 2)
ORDER BY ALL;

-- name: having_on_rolled_up_key
SELECT l_returnflag, l_linestatus, count(*) AS n FROM lineitem
GROUP BY ROLLUP (l_returnflag, l_linestatus)
HAVING l_linestatus IS NULL
ORDER BY l_returnflag NULLS LAST;

-- name: order_by_grouping_then_aggregate
SELECT platform, sum(latency_ms) AS total FROM events
GROUP BY ROLLUP (platform)
ORDER BY grouping(platform) DESC, total DESC;

-- name: order_by_aggregate_limit
SELECT l_shipmode, l_returnflag, sum(l_quantity) AS qty FROM lineitem
GROUP BY CUBE (l_shipmode, l_returnflag)
ORDER BY qty DESC, l_shipmode NULLS FIRST, l_returnflag NULLS FIRST
LIMIT 7;

-- name: rollup_with_where_and_aggregates
SELECT event, platform, count(*) AS n, min(latency_ms) AS lo, max(latency_ms) AS hi,
       round(avg(latency_ms), 3) AS mean
FROM events
WHERE event IN ('click', 'purchase')
GROUP BY ROLLUP (event, platform)
ORDER BY ALL;

-- name: rollup_filtered_aggregate
SELECT l_returnflag, count(*) FILTER (WHERE l_discount > 0.05) AS discounted, count(*) AS n FROM lineitem
GROUP BY ROLLUP (l_returnflag)
ORDER BY ALL;

-- name: rollup_expression_over_keys_and_aggregates
SELECT l_returnflag, coalesce(l_returnflag, 'total') || ':' || count(*) AS label FROM lineitem
GROUP BY ROLLUP (l_returnflag)
ORDER BY label;

-- name: rollup_empty_input
SELECT variant, count(*) AS n, sum(latency_ms) AS total FROM events WHERE latency_ms < 0
GROUP BY ROLLUP (variant)
ORDER BY ALL;

-- name: grouping_sets_empty_input_no_empty_set
SELECT variant, count(*) AS n FROM events WHERE latency_ms < 0
GROUP BY GROUPING SETS ((variant), (variant, platform))
ORDER BY ALL;

-- name: rollup_in_subquery
SELECT count(*) AS groups, sum(n) AS rows_counted
FROM (SELECT l_returnflag, l_linestatus, count(*) AS n FROM lineitem GROUP BY ROLLUP (l_returnflag, l_linestatus));

-- name: rollup_in_cte_then_join
WITH totals AS (SELECT l_returnflag AS flag, count(*) AS n FROM lineitem GROUP BY ROLLUP (l_returnflag))
SELECT t.flag, t.n, a.n AS whole FROM totals t, totals a WHERE a.flag IS NULL ORDER BY t.flag NULLS LAST;

-- name: rollup_with_window
SELECT l_returnflag, count(*) AS n, rank() OVER (ORDER BY count(*) DESC) AS r FROM lineitem
GROUP BY ROLLUP (l_returnflag)
ORDER BY r, l_returnflag;

-- name: rollup_union_all
SELECT l_returnflag AS k, count(*) AS n FROM lineitem GROUP BY ROLLUP (l_returnflag)
UNION ALL
SELECT l_linestatus, count(*) FROM lineitem GROUP BY CUBE (l_linestatus)
ORDER BY k NULLS FIRST, n;

-- name: cube_distinct_select
SELECT DISTINCT grouping(l_returnflag, l_linestatus) AS g FROM lineitem
GROUP BY CUBE (l_returnflag, l_linestatus)
ORDER BY g;

-- name: error_grouping_without_group_by
SELECT grouping(variant), count(*) FROM events;

-- name: error_grouping_not_a_key
SELECT variant, grouping(platform) FROM events GROUP BY ROLLUP (variant);

-- name: error_grouping_in_where
SELECT variant, count(*) FROM events WHERE grouping(variant) = 0 GROUP BY ROLLUP (variant);

-- name: error_rollup_column_not_grouped
SELECT variant, platform, count(*) FROM events GROUP BY ROLLUP (variant);

-- name: error_grouping_sets_aggregate_key
SELECT count(*) FROM events GROUP BY GROUPING SETS ((count(*)));

-- name: grouping_in_window_and_qualify
SELECT platform, count(*) AS n, rank() OVER (ORDER BY grouping(platform), count(*)) AS r FROM events
GROUP BY ROLLUP (platform)
QUALIFY grouping(platform) = 0
ORDER BY r;

-- name: grouping_in_having_with_alias
SELECT l_shipmode, grouping(l_shipmode) AS level, count(*) AS n FROM lineitem
GROUP BY CUBE (l_shipmode)
HAVING level = 1 OR n > 72
ORDER BY level, l_shipmode;
