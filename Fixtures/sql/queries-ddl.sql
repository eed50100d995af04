-- Golden DDL/DML entries: CREATE TABLE, CREATE TABLE … AS, DROP TABLE, INSERT, CREATE/DROP VIEW, DELETE, TRUNCATE, each answered as DuckDB answers.
-- An entry holds one statement or several separated by ";" on one line (the entry ends at a line ending with
-- ";"); the answer is the last statement's. Strata runs every entry that changes tables on its own new copy of
-- the fixture database (SQLGoldenTests.answer), so each entry creates the tables it uses, under names of its own.

-- name: ddl_create_returns_nothing
CREATE TABLE ddl_t0 (a BIGINT, b VARCHAR);

-- name: ddl_create_insert_values
CREATE TABLE ddl_t1 (a INTEGER, b VARCHAR, c DOUBLE); INSERT INTO ddl_t1 VALUES (1, 'x', 1.5), (2, NULL, NULL), (3, 'z', -2); SELECT * FROM ddl_t1 ORDER BY a;

-- name: ddl_insert_returns_count
CREATE TABLE ddl_t2 (a BIGINT); INSERT INTO ddl_t2 VALUES (1), (2), (3);

-- name: ddl_insert_column_list
CREATE TABLE ddl_t4 (a BIGINT, b VARCHAR, c DOUBLE); INSERT INTO ddl_t4 (c, a) VALUES (2.5, 1), (NULL, 2); SELECT * FROM ddl_t4 ORDER BY a;

-- name: ddl_insert_casts_each_value
CREATE TABLE ddl_t5 (a INTEGER, b VARCHAR, ts TIMESTAMP, d DATE, m DECIMAL(10,2)); INSERT INTO ddl_t5 VALUES (1.7, 2, '2024-01-01 10:00', '2024-02-03', 3.14159), ('-2', 'x', '2024-03-01', '2024-03-01', '7'); SELECT * FROM ddl_t5 ORDER BY a;

-- name: ddl_insert_booleans
CREATE TABLE ddl_t5b (f BOOLEAN, n BIGINT); INSERT INTO ddl_t5b VALUES (true, 1), (false, 2), (NULL, 3); SELECT * FROM ddl_t5b ORDER BY n;

-- name: ddl_ctas_group_by
CREATE TABLE ddl_t6 AS SELECT country, count(*) AS n, avg(revenue) AS avg_revenue FROM events GROUP BY country; SELECT * FROM ddl_t6 ORDER BY country;

-- name: ddl_ctas_returns_count
CREATE TABLE ddl_t7 AS SELECT * FROM events WHERE country = 'US';

-- name: ddl_ctas_whole_table
CREATE TABLE ddl_t8 AS SELECT * FROM events; SELECT count(*), count(DISTINCT user_id), sum(revenue), min(ts), max(ts), sum(latency_ms) FROM ddl_t8;

-- name: ddl_ctas_whole_table_columns
CREATE TABLE ddl_t8b AS SELECT * FROM events; SELECT * FROM ddl_t8b ORDER BY ts, user_id, event LIMIT 5;

-- name: ddl_ctas_decimals
CREATE TABLE ddl_t9 AS SELECT l_returnflag, l_quantity, l_extendedprice FROM lineitem; SELECT l_returnflag, sum(l_quantity), max(l_extendedprice), count(*) FROM ddl_t9 GROUP BY 1 ORDER BY 1;

-- name: ddl_ctas_from_ctas
CREATE TABLE ddl_t10 AS SELECT country, variant, count(*) AS n FROM events GROUP BY ALL; CREATE TABLE ddl_t10b AS SELECT country, count(*) AS variants, max(n) AS top FROM ddl_t10 GROUP BY country; SELECT * FROM ddl_t10b ORDER BY country;

-- name: ddl_create_or_replace
CREATE TABLE ddl_t11 AS SELECT 1 AS a; CREATE OR REPLACE TABLE ddl_t11 AS SELECT 'x' AS b, 2 AS c; SELECT * FROM ddl_t11;

-- name: ddl_create_or_replace_columns
CREATE TABLE ddl_t11b (a BIGINT); INSERT INTO ddl_t11b VALUES (1); CREATE OR REPLACE TABLE ddl_t11b (z VARCHAR); SELECT count(*) FROM ddl_t11b;

-- name: ddl_create_if_not_exists
CREATE TABLE ddl_t12 (a BIGINT); INSERT INTO ddl_t12 VALUES (5); CREATE TABLE IF NOT EXISTS ddl_t12 (b VARCHAR); SELECT * FROM ddl_t12;

-- name: ddl_drop_and_recreate
CREATE TABLE ddl_t13 (a BIGINT); INSERT INTO ddl_t13 VALUES (1); DROP TABLE ddl_t13; CREATE TABLE ddl_t13 (a VARCHAR); INSERT INTO ddl_t13 VALUES ('new'); SELECT * FROM ddl_t13;

-- name: ddl_drop_if_exists
DROP TABLE IF EXISTS ddl_nonexistent;

-- name: ddl_drop_returns_nothing
CREATE TABLE ddl_t14 (a BIGINT); DROP TABLE ddl_t14;

-- name: ddl_insert_select_group_by
CREATE TABLE ddl_t15 (country VARCHAR, n BIGINT); INSERT INTO ddl_t15 SELECT country, count(*) FROM events GROUP BY country; INSERT INTO ddl_t15 SELECT 'ZZ', 0; SELECT * FROM ddl_t15 ORDER BY country;

-- name: ddl_insert_select_from_itself
CREATE TABLE ddl_t16 (a BIGINT); INSERT INTO ddl_t16 VALUES (1), (2); INSERT INTO ddl_t16 SELECT a + 10 FROM ddl_t16; INSERT INTO ddl_t16 SELECT a * 100 FROM ddl_t16; SELECT a FROM ddl_t16 ORDER BY a;

-- name: ddl_insert_select_returns_count
CREATE TABLE ddl_t17 AS SELECT * FROM events LIMIT 0; INSERT INTO ddl_t17 SELECT * FROM events WHERE variant = 'treatment';

-- name: ddl_insert_select_then_aggregate
CREATE TABLE ddl_t17b AS SELECT * FROM events LIMIT 0; INSERT INTO ddl_t17b SELECT * FROM events WHERE variant = 'control'; INSERT INTO ddl_t17b SELECT * FROM events WHERE variant = 'control' AND country = 'US'; SELECT country, count(*), sum(revenue) FROM ddl_t17b GROUP BY 1 ORDER BY 1;

-- name: ddl_ctas_constants
CREATE TABLE ddl_t18 AS SELECT DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts, true AS b, 1.25 AS m, 'x' AS s, NULL AS n; SELECT * FROM ddl_t18;

-- name: ddl_insert_missing_columns_null
CREATE TABLE ddl_t19 (a BIGINT, b VARCHAR, c DATE); INSERT INTO ddl_t19 (b) SELECT DISTINCT country FROM events; SELECT count(*), count(a), count(b), count(c) FROM ddl_t19;

-- name: ddl_ctas_window
CREATE TABLE ddl_t20 AS SELECT country, user_id, revenue, row_number() OVER (PARTITION BY country ORDER BY revenue DESC, user_id, ts) AS rn FROM events; SELECT country, count(*), sum(revenue) FROM ddl_t20 WHERE rn <= 3 GROUP BY 1 ORDER BY 1;

-- name: ddl_schema_qualified_names
CREATE TABLE main.ddl_t21 (a BIGINT); INSERT INTO main.ddl_t21 VALUES (7); SELECT * FROM ddl_t21;

-- name: ddl_describe_created_table
CREATE TABLE ddl_t22 (a BIGINT, b VARCHAR, d DECIMAL(12,4), ts TIMESTAMP, f BOOLEAN, x DOUBLE, dt DATE); DESCRIBE ddl_t22;

-- name: ddl_ctas_union_then_insert
CREATE TABLE ddl_t23 AS SELECT 'a' AS k, 1 AS v UNION ALL SELECT 'b', 2; INSERT INTO ddl_t23 VALUES ('c', 3); SELECT * FROM ddl_t23 ORDER BY k;

-- name: ddl_information_schema_columns
CREATE TABLE ddl_t24 (a BIGINT, b VARCHAR); SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name = 'ddl_t24' ORDER BY ordinal_position;

-- name: ddl_quoted_names_and_strings
CREATE TABLE "ddl_T25" ("Col" VARCHAR); INSERT INTO ddl_t25 VALUES ('it''s; here'); SELECT * FROM ddl_T25;

-- name: ddl_not_null_column
CREATE TABLE ddl_t26 (a BIGINT NOT NULL, b VARCHAR); INSERT INTO ddl_t26 VALUES (1, NULL); SELECT * FROM ddl_t26;

-- name: ddl_ctas_join
CREATE TABLE ddl_t27 AS SELECT country, count(*) AS n FROM events GROUP BY country; CREATE TABLE ddl_t27b AS SELECT e.variant, sum(c.n) AS total FROM events e JOIN ddl_t27 c ON e.country = c.country GROUP BY e.variant; SELECT variant, total::BIGINT FROM ddl_t27b ORDER BY variant;

-- name: ddl_insert_expressions
CREATE TABLE ddl_t28 (a BIGINT, b VARCHAR); INSERT INTO ddl_t28 VALUES (1 + 2 * 3, upper('abc') || '!'), (abs(-4), NULL); SELECT * FROM ddl_t28 ORDER BY a;

-- name: ddl_view_basic
CREATE VIEW ddl_v1 AS SELECT country, count(*) AS n FROM events GROUP BY country; SELECT * FROM ddl_v1 ORDER BY country;

-- name: ddl_view_returns_nothing
CREATE VIEW ddl_v2 AS SELECT 1 AS a;

-- name: ddl_view_sees_later_inserts
CREATE TABLE ddl_v3t (a BIGINT); CREATE VIEW ddl_v3 AS SELECT sum(a) AS s, count(*) AS n FROM ddl_v3t; INSERT INTO ddl_v3t VALUES (1), (2); INSERT INTO ddl_v3t SELECT a * 10 FROM ddl_v3t; SELECT * FROM ddl_v3;

-- name: ddl_view_of_view_join
CREATE VIEW ddl_v4 AS SELECT user_id, sum(revenue) AS revenue FROM events GROUP BY user_id; CREATE VIEW ddl_v4b AS SELECT e.variant, count(*) AS n, sum(v.revenue) AS r FROM events e JOIN ddl_v4 v ON e.user_id = v.user_id GROUP BY e.variant; SELECT * FROM ddl_v4b ORDER BY variant;

-- name: ddl_view_or_replace
CREATE VIEW ddl_v5 AS SELECT 1 AS a; CREATE OR REPLACE VIEW ddl_v5 AS SELECT 'x' AS b; SELECT * FROM ddl_v5;

-- name: ddl_view_information_schema
CREATE VIEW ddl_v6 AS SELECT 1 AS a; CREATE TABLE ddl_v6t (a BIGINT); SELECT table_name, table_type, is_insertable_into FROM information_schema.tables WHERE table_name LIKE 'ddl_v6%' ORDER BY 1;

-- name: ddl_view_drop
CREATE VIEW ddl_v7 AS SELECT 1 AS a; DROP VIEW ddl_v7;

-- name: ddl_view_drop_if_exists
DROP VIEW IF EXISTS ddl_nov;

-- name: ddl_view_into_table
CREATE VIEW ddl_v8 AS SELECT platform, count(*) AS n FROM events GROUP BY 1; CREATE TABLE ddl_v8t AS SELECT * FROM ddl_v8 WHERE n > 100; SELECT * FROM ddl_v8t ORDER BY platform;

-- name: ddl_view_with_cte_and_filter
CREATE VIEW ddl_v9 AS WITH c AS (SELECT country, revenue FROM events WHERE revenue > 0) SELECT country, count(*) AS buyers FROM c GROUP BY country; SELECT * FROM ddl_v9 WHERE buyers > 1 ORDER BY buyers DESC, country;

-- name: error_ddl_view_missing_table
CREATE VIEW ddl_ve1 AS SELECT * FROM ddl_nosuch;

-- name: error_ddl_view_name_taken_by_table
CREATE TABLE ddl_ve2 (a BIGINT); CREATE VIEW ddl_ve2 AS SELECT 1;

-- name: error_ddl_table_name_taken_by_view
CREATE VIEW ddl_ve3 AS SELECT 1 AS a; CREATE TABLE ddl_ve3 (a BIGINT);

-- name: error_ddl_drop_table_is_view
CREATE VIEW ddl_ve4 AS SELECT 1 AS a; DROP TABLE ddl_ve4;

-- name: error_ddl_drop_view_is_table
CREATE TABLE ddl_ve5 (a BIGINT); DROP VIEW ddl_ve5;

-- name: error_ddl_insert_into_view
CREATE VIEW ddl_ve6 AS SELECT 1 AS a; INSERT INTO ddl_ve6 VALUES (1);

-- name: error_ddl_view_exists
CREATE VIEW ddl_ve7 AS SELECT 1 AS a; CREATE VIEW ddl_ve7 AS SELECT 2 AS a;

-- name: ddl_delete_returns_count
CREATE TABLE ddl_d1 AS SELECT * FROM events; DELETE FROM ddl_d1 WHERE country = 'US';

-- name: ddl_delete_then_aggregate
CREATE TABLE ddl_d2 AS SELECT * FROM events; DELETE FROM ddl_d2 WHERE revenue = 0 OR variant = 'control'; SELECT variant, count(*), sum(revenue) FROM ddl_d2 GROUP BY 1 ORDER BY 1;

-- name: ddl_delete_keeps_null_conditions
CREATE TABLE ddl_d3 (a BIGINT, b VARCHAR); INSERT INTO ddl_d3 VALUES (1, 'x'), (2, NULL), (3, 'y'); DELETE FROM ddl_d3 WHERE b <> 'x'; SELECT * FROM ddl_d3 ORDER BY a;

-- name: ddl_delete_subquery
CREATE TABLE ddl_d4 AS SELECT * FROM events; DELETE FROM ddl_d4 WHERE user_id IN (SELECT user_id FROM events WHERE event = 'purchase'); SELECT count(*), count(DISTINCT user_id) FROM ddl_d4;

-- name: ddl_delete_all
CREATE TABLE ddl_d5 AS SELECT * FROM lineitem; DELETE FROM ddl_d5;

-- name: ddl_delete_nothing
CREATE TABLE ddl_d6 (a BIGINT); INSERT INTO ddl_d6 VALUES (1); DELETE FROM ddl_d6 WHERE a > 5;

-- name: ddl_truncate_returns_count
CREATE TABLE ddl_d7 AS SELECT * FROM lineitem; TRUNCATE ddl_d7;

-- name: ddl_truncate_then_insert
CREATE TABLE ddl_d8 (a BIGINT); INSERT INTO ddl_d8 VALUES (1), (2); TRUNCATE TABLE ddl_d8; INSERT INTO ddl_d8 VALUES (3); SELECT * FROM ddl_d8;

-- name: ddl_delete_seen_by_view
CREATE TABLE ddl_d9 AS SELECT * FROM events; CREATE VIEW ddl_d9v AS SELECT count(*) AS n FROM ddl_d9; DELETE FROM ddl_d9 WHERE platform = 'ios'; SELECT * FROM ddl_d9v;

-- name: ddl_delete_decimals
CREATE TABLE ddl_d10 AS SELECT * FROM lineitem; DELETE FROM ddl_d10 WHERE l_quantity > 25 AND l_returnflag = 'N'; SELECT l_returnflag, count(*), sum(l_extendedprice) FROM ddl_d10 GROUP BY 1 ORDER BY 1;

-- name: ddl_delete_twice_then_insert
CREATE TABLE ddl_d11 AS SELECT user_id, revenue FROM events; DELETE FROM ddl_d11 WHERE revenue > 10; INSERT INTO ddl_d11 VALUES ('new', 99); DELETE FROM ddl_d11 WHERE user_id < 'u3'; SELECT count(*), sum(revenue), max(user_id) FROM ddl_d11;

-- name: error_ddl_delete_unknown_table
DELETE FROM ddl_nosuch;

-- name: error_ddl_delete_unknown_column
CREATE TABLE ddl_de2 (a BIGINT); DELETE FROM ddl_de2 WHERE b = 1;

-- name: error_ddl_truncate_unknown_table
TRUNCATE ddl_nosuch;

-- name: error_ddl_duplicate_table
CREATE TABLE ddl_e1 (a BIGINT); CREATE TABLE ddl_e1 (b BIGINT);

-- name: error_ddl_insert_unknown_table
INSERT INTO ddl_nosuch VALUES (1);

-- name: error_ddl_insert_wrong_count
CREATE TABLE ddl_e3 (a BIGINT, b VARCHAR); INSERT INTO ddl_e3 VALUES (1);

-- name: error_ddl_insert_bad_value
CREATE TABLE ddl_e4 (a INTEGER); INSERT INTO ddl_e4 VALUES ('abc');

-- name: error_ddl_insert_unknown_column
CREATE TABLE ddl_e5 (a BIGINT); INSERT INTO ddl_e5 (zz) VALUES (1);

-- name: error_ddl_drop_missing
DROP TABLE ddl_nosuch;

-- name: error_ddl_ctas_existing
CREATE TABLE ddl_e7 AS SELECT 1 AS a; CREATE TABLE ddl_e7 AS SELECT 2 AS a;

-- name: error_ddl_not_null_violated
CREATE TABLE ddl_e8 (a BIGINT NOT NULL); INSERT INTO ddl_e8 VALUES (NULL);

-- name: error_ddl_insert_select_bad_cast
CREATE TABLE ddl_e9 (ts TIMESTAMP); INSERT INTO ddl_e9 SELECT true;

-- name: error_ddl_insert_bad_date
CREATE TABLE ddl_e11 (d DATE); INSERT INTO ddl_e11 VALUES ('2024-13-45');

-- name: error_ddl_insert_select_wrong_count
CREATE TABLE ddl_e12 (a BIGINT, b VARCHAR); INSERT INTO ddl_e12 SELECT 1, 'x', 2;

-- The fixture tables themselves, last: DuckDB runs a file's entries on one connection, so nothing after these
-- may read events or lineitem. Their time columns (TIMESTAMP, DATE) partition them into day chunks, which DELETE
-- rewrites.

-- name: ddl_delete_from_date_partitioned_lineitem
DELETE FROM lineitem WHERE l_shipmode = 'AIR' OR l_shipdate < DATE '1993-01-01'; SELECT l_shipmode, count(*), sum(l_quantity), min(l_shipdate) FROM lineitem GROUP BY 1 ORDER BY 1;

-- name: ddl_delete_from_time_partitioned_events
DELETE FROM events WHERE country = 'DE' OR ts < TIMESTAMP '2026-10-03 12:00'; SELECT count(*), count(DISTINCT country), min(ts), sum(revenue) FROM events;
