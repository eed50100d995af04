-- Golden queries for product(x): a DOUBLE product of the non-NULL values, NULL without one (DuckDB's).
-- A query starts with a line "-- name: NAME" and ends with ";". Every query orders its rows fully.

-- name: product_of_decimals_per_group
SELECT l_returnflag, product(1 + l_discount) AS growth, count(*) AS n FROM lineitem
GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: product_of_integers
SELECT l_orderkey, product(l_linenumber) AS p FROM lineitem WHERE l_orderkey < 200
GROUP BY l_orderkey ORDER BY l_orderkey;

-- name: product_of_doubles
SELECT variant, product(1 + revenue / 1000) AS p FROM events WHERE event = 'purchase'
GROUP BY variant ORDER BY variant;

-- name: product_skips_nulls
SELECT l_orderkey, product(nullif(l_linenumber, 1)) AS p FROM lineitem WHERE l_orderkey < 100
GROUP BY l_orderkey ORDER BY l_orderkey;

-- name: product_empty_input
SELECT product(l_quantity) AS p, typeof(product(l_quantity)) AS t FROM lineitem WHERE l_orderkey < 0;

-- name: product_whole_table
SELECT product(1 + l_tax) AS p FROM lineitem;

-- name: product_distinct
SELECT l_linestatus, product(DISTINCT l_linenumber) AS p FROM lineitem GROUP BY l_linestatus ORDER BY l_linestatus;

-- name: product_filter
SELECT l_shipmode, product(l_linenumber) FILTER (WHERE l_linenumber <= 2) AS p FROM lineitem
WHERE l_orderkey < 300 GROUP BY l_shipmode ORDER BY l_shipmode;

-- name: product_with_zero
SELECT l_returnflag, product(l_discount) AS p FROM lineitem WHERE l_orderkey < 500
GROUP BY l_returnflag ORDER BY l_returnflag;

-- name: product_in_expression_and_having
SELECT l_linestatus, round(product(1 + l_tax) - 1, 6) AS compounded FROM lineitem
GROUP BY l_linestatus HAVING product(1 + l_tax) > 2 ORDER BY l_linestatus;

-- name: product_running_window
SELECT l_orderkey, l_linenumber, product(l_linenumber) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) AS p
FROM lineitem WHERE l_orderkey < 70 ORDER BY l_orderkey, l_linenumber;

-- name: product_with_rollup
SELECT l_returnflag, l_linestatus, product(1 + l_discount) AS p FROM lineitem
GROUP BY ROLLUP (l_returnflag, l_linestatus) ORDER BY ALL;

-- name: error_product_of_string
SELECT product(country) FROM events;

-- name: error_product_of_boolean
SELECT product(is_new_user) FROM events;
