-- Golden queries for the scalar function library (DuckDB names and semantics): strings, regular
-- expressions, math and dates. Each query orders its rows fully; queries named error_* must be refused by
-- both engines. A query starts with a line "-- name: NAME" and ends with ";".

-- name: fn_left_right
SELECT left('héllo', 2) AS a, right('héllo', 3) AS b, left('abc', -1) AS c, right('abc', -1) AS d,
       left('abc', 0) AS e, left('abc', 100) AS f, right('abc', 100) AS g, right('abc', -100) AS h;

-- name: fn_left_right_columns
SELECT app_version, left(app_version, 1) AS major, right(app_version, 3) AS tail, count(*) AS n
FROM events GROUP BY ALL ORDER BY app_version;

-- name: fn_substr_forms
SELECT substr('hello', 2) AS a, substr('hello', 2, 3) AS b, substring('hello' FROM 2 FOR 2) AS c,
       substring('hello', -3) AS d, substring('hello', 0, 2) AS e, substring('hello', 4, -2) AS f;

-- name: fn_concat
SELECT concat('a', NULL, 1, 2.5, true) AS a, concat(NULL) AS b, concat('x', DATE '2020-01-02') AS c,
       concat_ws('-', 'a', NULL, 'b', 'c') AS d, concat_ws(NULL, 'a') AS e, concat_ws(',', NULL) AS f;

-- name: fn_concat_columns
SELECT concat(country, '/', platform) AS k, concat_ws(':', country, NULL, latency_ms) AS w
FROM events ORDER BY ts, user_id LIMIT 5;

-- name: fn_concat_operator
SELECT 'a' || 'b' AS a, 'a' || 1 AS b, 'a' || NULL AS c, country || '-' || platform AS d
FROM events ORDER BY ts, user_id LIMIT 3;

-- name: fn_concat_operator_group
SELECT country || '/' || platform AS k, count(*) AS n FROM events
WHERE country || platform LIKE 'U%' GROUP BY 1 ORDER BY 1;

-- name: fn_split_part
SELECT split_part('a,b,c', ',', 2) AS a, split_part('a,b,c', ',', -1) AS b, split_part('a,b,c', ',', 0) AS c,
       split_part('a,b,c', ',', 5) AS d, split_part('a--b--c', '--', 2) AS e, split_part('abc', '', 2) AS f,
       split_part('a,,b', ',', 2) AS g, split_part('', ',', 1) AS h, split_part(NULL, ',', 1) AS i;

-- name: fn_split_part_group
SELECT split_part(app_version, '.', 1) AS major, split_part(app_version, '.', 2) AS minor, count(*) AS n
FROM events GROUP BY ALL ORDER BY major, minor;

-- name: fn_replace
SELECT replace('aaa', 'a', 'bb') AS a, replace('abc', '', 'x') AS b, replace('abc', 'z', 'x') AS c,
       replace('héllo wörld', 'ö', 'o') AS d, replace('abab', 'ab', '') AS e, replace(NULL, 'a', 'b') AS f;

-- name: fn_replace_column
SELECT event, replace(event, '_', ' ') AS spaced, count(*) AS n FROM events GROUP BY ALL ORDER BY event;

-- name: fn_trim
SELECT trim('  x  ') AS a, ltrim('  x  ') AS b, rtrim('  x  ') AS c, trim('xxaxx', 'x') AS d,
       ltrim('xyax', 'xy') AS e, rtrim('axyx', 'xy') AS f, trim('abc', '') AS g, trim(chr(9) || ' x ') AS h,
       trim(NULL) AS i, trim('abc', NULL) AS j;

-- name: fn_pad
SELECT lpad('abc', 5, 'xy') AS a, rpad('abc', 6, 'xy') AS b, lpad('abcdef', 3, 'x') AS c,
       rpad('abcdef', 3, 'x') AS d, lpad('abc', -1, 'x') AS e, lpad('abc', 0, 'x') AS f,
       rpad('abc', 2, '') AS g, lpad('é', 3, 'ö') AS h, lpad(NULL, 3, 'x') AS i;

-- name: fn_pad_column
SELECT lpad(CAST(latency_ms AS VARCHAR), 6, '0') AS padded, rpad(country, 4, '.') AS c
FROM events ORDER BY ts, user_id LIMIT 5;

-- name: error_fn_lpad_empty_fill
SELECT lpad('a', 3, '');

-- name: fn_strpos
SELECT strpos('hello', 'l') AS a, instr('hello', 'lo') AS b, position('l' IN 'hello') AS c,
       strpos('hello', '') AS d, strpos('hello', 'z') AS e, strpos('héllo', 'l') AS f,
       strpos(NULL, 'a') AS g, position('b' IN 'abc') + 1 AS h;

-- name: fn_strpos_where
SELECT app_version, count(*) AS n FROM events WHERE strpos(app_version, '.0') > 2 GROUP BY ALL ORDER BY 1;

-- name: fn_starts_ends_contains
SELECT starts_with('abc', 'ab') AS a, starts_with('abc', '') AS b, ends_with('abc', 'bc') AS c,
       ends_with('abc', 'abcd') AS d, contains('abc', 'b') AS e, contains('abc', '') AS f,
       contains('abc', CAST(NULL AS VARCHAR)) AS g, prefix('abc', 'a') AS h, suffix('abc', 'c') AS i;

-- name: fn_starts_with_filter
SELECT event, count(*) AS n FROM events
WHERE starts_with(event, 'p') OR ends_with(event, 'click') OR contains(event, 'notif')
GROUP BY event ORDER BY event;

-- name: fn_reverse_repeat
SELECT reverse('héllo') AS a, reverse('') AS b, repeat('ab', 3) AS c, repeat('ab', 0) AS d,
       repeat('ab', -1) AS e, repeat('', 5) AS f, reverse(NULL) AS g, repeat('x', NULL) AS h;

-- name: fn_reverse_column
SELECT country, reverse(country) AS r, repeat(country, 2) AS rr FROM events GROUP BY ALL ORDER BY country;

-- name: fn_md5
SELECT md5('abc') AS a, md5('') AS b, md5('héllo') AS c, md5(NULL) AS d,
       md5('The quick brown fox jumps over the lazy dog, and then some more text to pass sixty-four bytes') AS e;

-- name: fn_md5_column
SELECT country, md5(country) AS h FROM events GROUP BY ALL ORDER BY country;

-- name: fn_ascii_chr_strlen
SELECT ascii('A') AS a, ascii('é') AS b, ascii('') AS c, chr(65) AS d, chr(233) AS e, strlen('é') AS f,
       length('é') AS g, ucase('abc') AS h, lcase('ABC') AS i, char_length('héllo') AS j;

-- name: error_fn_chr_negative
SELECT chr(-1);

-- name: error_fn_left_text_count
SELECT left('abc', 'x');

-- name: error_fn_string_function_on_number
SELECT reverse(123);

-- name: fn_regexp_matches
SELECT regexp_matches('abc', 'b') AS a, regexp_matches('abc', 'B') AS b, regexp_matches('abc', 'B', 'i') AS c,
       regexp_matches('abc', '^b') AS d, regexp_matches('a.c', '^a\.c$') AS e, regexp_matches('abc', '[[:alpha:]]+') AS f,
       regexp_matches('abc', '\d') AS g, regexp_matches(NULL, 'a') AS h, regexp_matches('ABC', 'b', 'ic') AS i,
       regexp_matches(chr(10), '.') AS j, regexp_matches(chr(10), '.', 's') AS k;

-- name: fn_regexp_full_match
SELECT regexp_full_match('abc', 'b') AS a, regexp_full_match('abc', 'a.c') AS b,
       regexp_full_match('ABC', 'a.c', 'i') AS c, regexp_full_match('', '') AS d;

-- name: fn_regexp_matches_filter
SELECT app_version, count(*) AS n FROM events WHERE regexp_matches(app_version, '^[45]\.[0-9]+\.0$')
GROUP BY ALL ORDER BY app_version;

-- name: fn_regexp_replace
SELECT regexp_replace('aaa', 'a', 'b') AS a, regexp_replace('aaa', 'a', 'b', 'g') AS b,
       regexp_replace('abc', '(b)', '[\1]') AS c, regexp_replace('abc', 'b', '\0\0') AS d,
       regexp_replace('abc', 'b', '\\') AS e, regexp_replace('a.b', '.', 'x', 'g') AS f,
       regexp_replace('Abc', 'a', 'x', 'ig') AS g, regexp_replace('abc', 'x*', '-', 'g') AS h,
       regexp_replace(NULL, 'a', 'b') AS i, regexp_replace('héllo', 'é', 'e') AS j;

-- name: fn_regexp_replace_column
SELECT user_id, regexp_replace(user_id, '[0-9]', '#', 'g') AS masked, regexp_replace(user_id, '^u(\d{2})', '\1-') AS r
FROM events ORDER BY ts, user_id LIMIT 5;

-- name: fn_regexp_extract
SELECT regexp_extract('abc123', '[0-9]+') AS a, regexp_extract('abc123', '([a-z]+)([0-9]+)', 2) AS b,
       regexp_extract('abc', 'x') AS c, regexp_extract('abc', 'b', 2) AS d, regexp_extract(NULL, 'a') AS e,
       regexp_extract('key=val', '(?P<k>\w+)=(\w+)', 2) AS f, regexp_extract('aé', '\w+') AS g;

-- name: fn_regexp_extract_group
SELECT regexp_extract(app_version, '^(\d+)\.', 1) AS major, count(*) AS n FROM events GROUP BY 1 ORDER BY 1;

-- name: error_fn_regexp_backreference
SELECT regexp_matches('abab', '(a)\1');

-- name: error_fn_regexp_lookahead
SELECT regexp_matches('abab', 'a(?=b)');

-- name: error_fn_regexp_unbalanced
SELECT regexp_matches('abc', '(');

-- name: error_fn_regexp_option
SELECT regexp_matches('abc', 'b', 'q');

-- name: error_fn_regexp_global_in_matches
SELECT regexp_matches('abc', 'b', 'g');

-- name: error_fn_regexp_replace_escape
SELECT regexp_replace('abc', 'b', '\q');

-- name: error_fn_regexp_replace_group
SELECT regexp_replace('abc', 'b', '\2');

-- name: error_fn_regexp_extract_group
SELECT regexp_extract('abc', 'b', -1);

-- name: fn_log_family
SELECT log(100) AS a, log(2, 8) AS b, log(10, 1000) AS c, log2(8) AS d, log2(0.5) AS e, log10(1000) AS f,
       ln(1) AS h, log10(NULL) AS i;

-- name: fn_log_column
SELECT round(log10(latency_ms), 6) AS l, round(log2(latency_ms), 6) AS l2 FROM events
WHERE latency_ms > 0 ORDER BY ts, user_id LIMIT 5;

-- name: fn_log_nan
SELECT isnan(log10(-1)) AS a, isnan(log(-2, 4)) AS b, isinf(log(1, 5)) AS c, isfinite(log2(4)) AS d;

-- name: fn_sign
SELECT sign(-2.5) AS a, sign(0) AS b, sign(NULL) AS c, sign(3) AS d, sign(-0.0) AS e, sign(CAST(-7 AS BIGINT)) AS f;

-- name: fn_sign_group
SELECT sign(revenue - 50) AS s, count(*) AS n FROM events GROUP BY 1 ORDER BY 1;

-- name: fn_pi_trig
SELECT pi() AS a, sin(0) AS b, cos(0) AS c, tan(0) AS d, asin(1) AS e, acos(1) AS f, atan(1) AS g,
       atan2(1, 1) AS h, cot(1) AS i, degrees(pi()) AS j, radians(180) AS k, degrees(1) AS l;

-- name: fn_trunc
SELECT trunc(2.7) AS a, trunc(-2.7) AS b, trunc(CAST(-2.7 AS DOUBLE)) AS c, trunc(5) AS d,
       trunc(CAST(2.55 AS DECIMAL(15,2))) AS e, trunc(CAST(-2.55 AS DECIMAL(15,2))) AS f, trunc(NULL) AS g;

-- name: fn_trunc_decimal_column
SELECT l_quantity, trunc(l_extendedprice / 1000) AS k, trunc(l_discount * 10) AS d FROM lineitem
ORDER BY l_orderkey, l_linenumber LIMIT 6;

-- name: fn_cbrt_even
SELECT cbrt(27) AS a, cbrt(-8) AS b, even(1.5) AS c, even(2) AS d, even(-1.5) AS e, even(2.5) AS f;

-- name: fn_isnan_isinf
SELECT isnan(CAST('nan' AS DOUBLE)) AS a, isinf(CAST('inf' AS DOUBLE)) AS b, isfinite(1.0) AS c,
       isnan(1) AS d, isinf(NULL) AS e;

-- name: fn_mod
SELECT mod(7, 3) AS a, mod(-7, 3) AS b, mod(7, -3) AS c, mod(7.5, 2) AS d, mod(CAST(5.5 AS DOUBLE), 2) AS e,
       mod(NULL, 2) AS f;

-- name: error_fn_mod_by_zero
SELECT mod(7, 0);

-- name: fn_mod_column
SELECT mod(latency_ms, 7) AS r, count(*) AS n FROM events GROUP BY 1 ORDER BY 1;

-- name: fn_integer_division
SELECT 7 // 2 AS a, -7 // 2 AS b, 7 // -2 AS c, 7.5 // 2 AS d, 7 // 2.5 AS e,
       CAST(10.5 AS DECIMAL(4,1)) // 2 AS f, CAST(7 AS BIGINT) // CAST(2 AS BIGINT) AS g, NULL // 2 AS h;

-- name: fn_integer_division_group
SELECT latency_ms // 100 AS bucket, count(*) AS n FROM events GROUP BY 1 ORDER BY 1;

-- name: fn_integer_division_where
SELECT count(*) AS n FROM events WHERE latency_ms // 50 = 2;

-- name: error_fn_integer_division_by_zero
SELECT 7 // 0;

-- name: error_fn_double_integer_division_by_zero
SELECT 7.0 // 0;

-- name: fn_greatest_least
SELECT greatest(1, 2.5, NULL) AS a, least(3, 1, 2) AS b, greatest('a', 'b') AS c, least(NULL, NULL) AS d,
       greatest(DATE '2020-01-01', TIMESTAMP '2020-01-01 10:00:00') AS e;

-- name: error_fn_math_of_text
SELECT log10('x');

-- name: fn_date_part_shorthands
SELECT year(TIMESTAMP '2020-03-04 05:06:07.089') AS y, quarter(DATE '2020-03-04') AS q, month(DATE '2020-03-04') AS m,
       day(DATE '2020-03-04') AS d, dayofmonth(DATE '2020-03-04') AS dm, hour(TIMESTAMP '2020-03-04 05:06:07') AS h,
       minute(TIMESTAMP '2020-03-04 05:06:07') AS mi, second(TIMESTAMP '2020-03-04 05:06:07.5') AS s,
       millisecond(TIMESTAMP '2020-03-04 05:06:07.089') AS ms, dayofweek(DATE '2020-03-08') AS dow,
       isodow(DATE '2020-03-08') AS iso, dayofyear(DATE '2020-03-04') AS doy, week(DATE '2021-01-01') AS w,
       weekofyear(DATE '2020-12-31') AS wy, weekday(DATE '2020-03-08') AS wd, year(CAST(NULL AS DATE)) AS n;

-- name: fn_date_part_shorthands_group
SELECT hour(ts) AS h, count(*) AS n FROM events WHERE day(ts) = 2 GROUP BY 1 ORDER BY 1;

-- name: fn_dayname_monthname
SELECT dayname(DATE '2020-01-01') AS a, monthname(DATE '2020-01-01') AS b, dayname(TIMESTAMP '2020-03-08 23:59:59') AS c,
       monthname(TIMESTAMP '2020-12-31 10:00:00') AS d, dayname(NULL) AS e;

-- name: fn_dayname_group
SELECT dayname(ts) AS d, count(*) AS n FROM events GROUP BY 1 ORDER BY 1;

-- name: fn_epoch_last_day
SELECT epoch(TIMESTAMP '2020-01-01 00:00:01.5') AS a, epoch(DATE '1969-12-31') AS b,
       last_day(TIMESTAMP '2020-02-10 10:00:00') AS c, last_day(DATE '2021-02-01') AS d, last_day(DATE '2020-12-31') AS e,
       epoch_ms(TIMESTAMP '2020-01-01 00:00:01.5') AS f, last_day(NULL) AS g;

-- name: fn_last_day_group
SELECT last_day(ts) AS month_end, count(*) AS n FROM events GROUP BY 1 ORDER BY 1;

-- name: fn_date_diff_calendar
SELECT date_diff('month', DATE '2020-01-31', DATE '2020-02-01') AS a, date_diff('year', DATE '2020-12-31', DATE '2019-01-01') AS b,
       date_diff('quarter', DATE '2020-01-01', DATE '2020-04-01') AS c, datediff('day', TIMESTAMP '2020-01-01 23:00:00', TIMESTAMP '2020-01-02 01:00:00') AS d,
       date_diff('days', TIMESTAMP '2020-01-02 01:00:00', TIMESTAMP '2020-01-01 23:00:00') AS e,
       date_diff('month', DATE '2019-11-15', DATE '2020-02-14') AS f, date_diff('year', DATE '2020-01-01', NULL) AS g;

-- name: fn_date_diff_weeks_and_time
SELECT date_diff('week', DATE '2020-01-01', DATE '2020-01-08') AS a, date_diff('week', TIMESTAMP '2020-01-01 10:00:00', TIMESTAMP '2020-01-08 09:00:00') AS b,
       date_diff('week', DATE '2020-01-08', DATE '2020-01-01') AS c, date_diff('week', DATE '2020-01-08', DATE '2020-01-02') AS d,
       date_diff('hour', DATE '2020-01-01', DATE '2020-01-02') AS e, date_diff('minute', TIMESTAMP '2020-01-01 10:00:59', TIMESTAMP '2020-01-01 10:01:00') AS f,
       date_diff('second', TIMESTAMP '2020-01-01 10:00:00.9', TIMESTAMP '2020-01-01 10:00:01.1') AS g,
       date_diff('millisecond', TIMESTAMP '2020-01-01 10:00:00.9', TIMESTAMP '2020-01-01 10:00:01.1') AS h,
       date_diff('hour', TIMESTAMP '2020-01-01 23:59:00', TIMESTAMP '2020-01-02 00:01:00') AS i;

-- name: fn_date_diff_across_epoch
SELECT date_diff('hour', TIMESTAMP '1969-12-31 23:30:00', TIMESTAMP '1970-01-01 00:30:00') AS a,
       date_diff('minute', TIMESTAMP '1969-12-31 23:59:30', TIMESTAMP '1970-01-01 00:00:30') AS b,
       date_diff('day', DATE '1969-12-31', DATE '1970-01-01') AS c, date_diff('week', DATE '1969-12-25', DATE '1970-01-01') AS d,
       date_sub('hour', TIMESTAMP '1969-12-31 23:30:00', TIMESTAMP '1970-01-01 00:30:00') AS e,
       date_diff('year', DATE '0001-06-01', DATE '9999-01-01') AS f, date_diff('quarter', DATE '1969-12-31', DATE '1970-01-01') AS g,
       date_diff('second', TIMESTAMP '1960-01-01 00:00:00.5', TIMESTAMP '1960-01-01 00:00:01.2') AS h;

-- name: fn_strftime_weeks_and_early_years
SELECT strftime(TIMESTAMP '0099-01-02 03:04:05', '%Y|%y|%G|%V|%j') AS a, strftime(DATE '2021-01-03', '%U %W %V %G %w %u') AS b,
       strftime(DATE '2018-12-31', '%U %W %V %G') AS c, date_sub('month', DATE '2020-02-29', DATE '2020-03-28') AS d,
       date_sub('year', TIMESTAMP '2020-02-29 12:00:00', TIMESTAMP '2021-02-28 11:00:00') AS e;

-- name: fn_date_diff_column
SELECT date_diff('hour', TIMESTAMP '2026-10-01 00:00:00', ts) AS hours_in, count(*) AS n FROM events
WHERE date_diff('day', TIMESTAMP '2026-10-01 00:00:00', ts) < 1 GROUP BY 1 ORDER BY 1;

-- name: fn_date_sub
SELECT date_sub('month', DATE '2020-01-31', DATE '2020-02-29') AS a, date_sub('month', DATE '2020-01-31', DATE '2020-03-30') AS b,
       date_sub('month', TIMESTAMP '2020-01-15 10:00:00', TIMESTAMP '2020-02-15 09:00:00') AS c,
       date_sub('year', DATE '2020-02-29', DATE '2021-02-28') AS d, date_sub('day', TIMESTAMP '2020-01-02 01:00:00', TIMESTAMP '2020-01-01 23:00:00') AS e,
       date_sub('hour', TIMESTAMP '2020-01-01 10:30:00', TIMESTAMP '2020-01-01 12:29:00') AS f, date_sub('week', DATE '2020-01-01', DATE '2020-01-15') AS g,
       date_sub('quarter', DATE '2020-01-31', DATE '2020-04-30') AS h, date_sub('month', DATE '2020-03-31', DATE '2020-01-31') AS i,
       date_sub('month', DATE '2020-03-30', DATE '2020-02-29') AS j, date_sub('month', DATE '2020-02-28', DATE '2020-01-31') AS k;

-- name: fn_date_sub_column
SELECT date_sub('minute', TIMESTAMP '2026-10-01 00:00:00', ts) // 60 AS hours_in, count(*) AS n FROM events
WHERE ts < TIMESTAMP '2026-10-01 06:00:00' GROUP BY 1 ORDER BY 1;

-- name: error_fn_date_diff_unknown_unit
SELECT date_diff('fortnight', DATE '2020-01-01', DATE '2020-02-01');

-- name: fn_date_add
SELECT date_add(DATE '2020-01-31', INTERVAL 1 MONTH) AS a, date_add(TIMESTAMP '2020-01-01 10:00:00', INTERVAL 90 MINUTE) AS b,
       date_add(CAST(NULL AS TIMESTAMP), INTERVAL 1 DAY) AS c;

-- name: fn_strftime
SELECT strftime(TIMESTAMP '2020-03-04 05:06:07.089', '%Y-%m-%d %H:%M:%S.%g') AS a,
       strftime(TIMESTAMP '2020-03-04 15:06:07.089', '%a %A %b %B %h %j %y %p %I %-d %-m %f') AS b,
       strftime(DATE '2020-03-04', '%w %u %U %W %V %G %% %-H %-I %-M %-S %-j %-y') AS c,
       strftime(DATE '2020-03-04', '%d/%m/%Y') AS d, strftime('%Y', DATE '2020-03-04') AS e,
       strftime(DATE '2021-01-01', '%V %G %U %W') AS f, strftime(NULL, '%Y') AS g;

-- name: fn_strftime_group
SELECT strftime(ts, '%Y-%m-%d %Hh') AS hour_label, count(*) AS n FROM events
WHERE ts < TIMESTAMP '2026-10-01 05:00:00' GROUP BY 1 ORDER BY 1;

-- name: error_fn_strftime_bad_specifier
SELECT strftime(DATE '2020-01-01', '%Q');

-- name: fn_strptime
SELECT strptime('2020-03-04 05:06', '%Y-%m-%d %H:%M') AS a, strptime('04/03/2020 1:02:03 PM', '%d/%m/%Y %I:%M:%S %p') AS b,
       strptime('2020-03-04T05:06:07.123', '%Y-%m-%dT%H:%M:%S.%f') AS c, strptime('March 4, 2020', '%B %-d, %Y') AS d,
       try_strptime('x', '%Y') AS e, try_strptime('2020-02-30', '%Y-%m-%d') AS f, strptime(NULL, '%Y') AS g,
       strptime('12 AM', '%I %p') AS h, strptime('2020-060', '%Y-%j') AS i;

-- name: fn_strptime_whitespace
SELECT try_strptime(' 2020-01-05', '%Y-%m-%d') AS a, try_strptime('2020-01-05 ', '%Y-%m-%d') AS b,
       try_strptime('2020-01-05   10:00', '%Y-%m-%d %H:%M') AS c, try_strptime('2020-01-05T10:00', '%Y-%m-%d %H:%M') AS d,
       try_strptime('2020- 01-05', '%Y-%m-%d') AS e, try_strptime('2020-01-0510:00', '%Y-%m-%d %H:%M') AS f,
       try_strptime(' Jan 2020', '%b %Y') AS g, try_strptime('2020-01-05 x', '%Y-%m-%d') AS h,
       try_strptime('2020-1-5', '%Y-%m-%d') AS i, try_strptime('20200105', '%Y%m%d') AS j, try_strptime('12:30 am', '%I:%M %p') AS k,
       try_strptime('69-01-05', '%y-%m-%d') AS l, try_strptime('Sunday 2020-01-05', '%A %Y-%m-%d') AS m;

-- name: fn_strptime_roundtrip
SELECT count(*) AS n FROM events WHERE strptime(strftime(ts, '%Y-%m-%d %H:%M:%S.%g'), '%Y-%m-%d %H:%M:%S.%g') = ts;

-- name: error_fn_strptime_no_match
SELECT strptime('2020-13-04', '%Y-%m-%d');

-- name: fn_make_date_timestamp
SELECT make_date(2020, 2, 29) AS a, make_timestamp(2020, 1, 2, 3, 4, 5.5) AS b, make_timestamp(1577836800000000) AS c,
       make_date(NULL, 1, 1) AS d, make_timestamp(2020, 12, 31, 23, 59, 59) AS e;

-- name: error_fn_make_date_invalid
SELECT make_date(2020, 2, 30);

-- name: fn_to_timestamp
SELECT epoch(to_timestamp(1.5)) AS a, epoch(to_timestamp(0)) AS b, epoch(to_timestamp(1600000000)) AS c,
       year(to_timestamp(1600000000)) AS d;

-- name: fn_now_fixed_per_statement
SELECT now() = current_timestamp AS a, current_date = CAST(now() AS DATE) AS b, today() = current_date AS c,
       date_diff('day', current_date, current_date) AS d, year(current_date) >= 2024 AS e;

-- name: fn_range_integers
SELECT * FROM range(5);

-- name: fn_range_step
SELECT range AS x FROM range(1, 10, 4) UNION ALL SELECT * FROM range(5, 1, -2) ORDER BY x;

-- name: fn_generate_series
SELECT * FROM generate_series(3);

-- name: fn_generate_series_bounds
SELECT generate_series AS x, generate_series * generate_series AS sq FROM generate_series(-2, 2) ORDER BY x;

-- name: fn_range_empty
SELECT count(*) AS n FROM range(1, 5, -1);

-- name: fn_generate_series_dates
SELECT * FROM generate_series(DATE '2020-01-31', DATE '2020-04-30', INTERVAL 1 MONTH);

-- name: fn_range_hours
SELECT * FROM range(TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP '2020-01-01 03:00:00', INTERVAL 1 HOUR);

-- name: fn_date_spine_join
SELECT d.day, count(e.ts) AS events FROM generate_series(TIMESTAMP '2026-09-29', TIMESTAMP '2026-10-03', INTERVAL 1 DAY) d(day)
LEFT JOIN events e ON date_trunc('day', e.ts) = d.day GROUP BY d.day ORDER BY d.day;

-- name: fn_range_alias
SELECT t.x + 1 AS y FROM range(0, 3) t(x) ORDER BY y;

-- name: error_fn_range_zero_step
SELECT * FROM range(1, 5, 0);

-- name: fn_try_cast
SELECT try_cast('x' AS BIGINT) AS a, try_cast('12' AS BIGINT) AS b, try_cast(1.5 AS BIGINT) AS c,
       try_cast('2020-13-01' AS DATE) AS d, try_cast('2020-12-01' AS DATE) AS e, try_cast(NULL AS BIGINT) AS f,
       try_cast('3.14159' AS DECIMAL(5,2)) AS h;

-- name: fn_try_cast_column
SELECT app_version, try_cast(split_part(app_version, '.', 1) AS BIGINT) * 10 AS major10,
       try_cast(app_version AS BIGINT) AS whole FROM events GROUP BY ALL ORDER BY app_version;

-- name: fn_try_cast_where
SELECT count(*) AS n FROM events WHERE try_cast(right(user_id, 2) AS BIGINT) < 10;

-- name: fn_try_cast_impossible_type
SELECT try_cast(DATE '2020-01-01' AS BIGINT) AS a, try_cast(true AS DATE) AS b;

-- name: fn_ifnull
SELECT ifnull(NULL, 2) AS a, ifnull(1, 2) AS b, ifnull(NULL, NULL) AS c, ifnull(NULL, 'x') AS d;

-- name: fn_ifnull_column
SELECT ifnull(nullif(country, 'US'), 'home') AS c, count(*) AS n FROM events GROUP BY 1 ORDER BY 1;

-- name: fn_like_escape
SELECT 'a%c' LIKE 'a\%c' ESCAPE '\' AS a, 'abc' LIKE 'a\%c' ESCAPE '\' AS b, 'a_c' ILIKE 'A#_C' ESCAPE '#' AS c,
       'abc' NOT LIKE 'a#%' ESCAPE '#' AS d, 'a%' LIKE 'a%%' ESCAPE '%' AS e, 'a.c' LIKE 'a.c' ESCAPE '' AS f,
       'axc' LIKE 'a.c' ESCAPE '!' AS g, NULL LIKE 'a' ESCAPE '!' AS h;

-- name: fn_like_escape_column
SELECT event, count(*) AS n FROM events WHERE event LIKE '%!_%' ESCAPE '!' GROUP BY 1 ORDER BY 1;

-- name: error_fn_like_escape_two_characters
SELECT 'a' LIKE 'a' ESCAPE 'xy';

-- name: fn_similar_to
SELECT 'abc' SIMILAR TO 'a.c' AS a, 'abc' SIMILAR TO 'b' AS b, 'abc' NOT SIMILAR TO 'b' AS c,
       'abc' SIMILAR TO 'B' AS d, 'abc' SIMILAR TO '[a-c]+' AS e, NULL SIMILAR TO 'a' AS f;

-- name: fn_similar_to_filter
SELECT event, count(*) AS n FROM events WHERE event SIMILAR TO '(page|click).*' GROUP BY 1 ORDER BY 1;

-- name: fn_regexp_operator
SELECT 'abc' ~ 'b' AS a, 'abc' !~ 'b' AS b, 'abc' ~ '^b' AS c, 'abc' !~ 'x' AS d;

-- name: fn_regexp_operator_filter
SELECT country, count(*) AS n FROM events WHERE country ~ '^[A-C]' AND country !~ 'R' GROUP BY 1 ORDER BY 1;

-- name: fn_sum_boolean
SELECT sum(is_new_user) AS a, sum(NOT is_new_user) AS b, sum(DISTINCT is_new_user) AS c, sum(latency_ms > 100) AS d
FROM events;

-- name: fn_sum_boolean_group
SELECT platform, sum(is_new_user) AS new_users, sum(event = 'purchase') AS purchases FROM events GROUP BY 1 ORDER BY 1;

-- name: fn_is_distinct_from
SELECT 1 IS DISTINCT FROM NULL AS a, NULL IS NOT DISTINCT FROM NULL AS b, 1 IS DISTINCT FROM 1 AS c,
       NULL IS TRUE AS d, false IS NOT TRUE AS e, true IS FALSE AS f;

-- name: fn_select_star_exclude
SELECT * EXCLUDE (ts, user_id, event, experiment, variant, app_version) FROM events ORDER BY ALL LIMIT 3;

-- name: fn_select_star_exclude_single
SELECT e.* EXCLUDE ts FROM events e ORDER BY ts, user_id LIMIT 2;

-- name: fn_select_star_replace
SELECT * EXCLUDE (ts, user_id, experiment, variant, platform, app_version, is_new_user)
       REPLACE (upper(country) || '!' AS country, round(revenue) AS revenue)
FROM events ORDER BY latency_ms DESC, event, country LIMIT 3;

-- name: error_fn_select_star_exclude_unknown
SELECT * EXCLUDE (nope) FROM events;

-- name: fn_values_in_from
SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) t(x, y) ORDER BY x;

-- name: fn_values_default_names
SELECT col0, col1 FROM (VALUES (1, 'a'), (2, 'b')) ORDER BY col0 DESC;

-- name: fn_values_mixed_types
SELECT * FROM (VALUES (1, 'a'), (CAST(2.5 AS DOUBLE), 'b')) t(x, y) ORDER BY x;

-- name: fn_values_join
SELECT v.label, count(*) AS n FROM events e JOIN (VALUES ('US', 'home'), ('DE', 'away')) v(code, label) ON e.country = v.code
GROUP BY v.label ORDER BY v.label;

-- name: fn_values_statement
VALUES (1, 'x'), (3, NULL) ORDER BY 1 DESC;

-- name: error_fn_values_ragged
SELECT * FROM (VALUES (1), (2, 3));

-- name: fn_order_by_all
SELECT country, platform, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL LIMIT 5;

-- name: error_fn_select_star_exclude_everything
SELECT * EXCLUDE (l_shipdate, l_orderkey, l_linenumber, l_returnflag, l_linestatus, l_shipmode, l_quantity,
                  l_extendedprice, l_discount, l_tax) FROM lineitem;

-- name: fn_range_count
SELECT count(*) AS a, sum(range) AS b FROM range(0, 100000);

-- name: fn_nulls_in_text_columns
SELECT ts, concat_ws('|', nullif(country, 'US'), nullif(platform, 'ios'), event) AS a, concat(nullif(country, 'US'), '-', nullif(platform, 'web')) AS b,
       lpad(nullif(country, 'DE'), 4, '.') AS c, split_part(nullif(app_version, '4.0.1'), '.', CASE WHEN latency_ms > 100 THEN 2 END) AS d,
       regexp_replace(nullif(event, 'click'), '[aeiou]', '', 'g') AS e, strpos(nullif(user_id, 'x'), nullif(substring(user_id, 3, 1), '7')) AS f,
       starts_with(nullif(event, 'page_view'), 'p') AS g, left(nullif(country, 'FR'), CASE WHEN is_new_user THEN 1 END) AS h,
       md5(nullif(country, 'US')) AS i, reverse(nullif(platform, 'android')) || '' AS j
FROM events ORDER BY ts, user_id LIMIT 40;

-- name: fn_nulls_in_date_columns
SELECT ts, strftime(CASE WHEN latency_ms > 100 THEN ts END, '%d %b %H:%M') AS a,
       date_diff('minute', CASE WHEN is_new_user THEN ts END, TIMESTAMP '2026-10-02') AS b,
       date_sub('hour', TIMESTAMP '2026-10-01', CASE WHEN revenue > 0 THEN ts END) AS c,
       dayname(CASE WHEN latency_ms % 2 = 0 THEN ts END) AS d, last_day(CASE WHEN latency_ms % 3 = 0 THEN ts END) AS e,
       try_strptime(CASE WHEN latency_ms % 5 = 0 THEN strftime(ts, '%Y/%m/%d') ELSE 'junk' END, '%Y/%m/%d') AS f,
       make_date(2026, CASE WHEN latency_ms > 80 THEN 10 END, 1) AS g, year(CASE WHEN latency_ms > 90 THEN ts END) AS h
FROM events ORDER BY ts, user_id LIMIT 40;

-- name: fn_nulls_in_math_columns
SELECT ts, log10(nullif(latency_ms, 58)) AS a, sign(CASE WHEN is_new_user THEN revenue - 10 END) AS b,
       trunc(CASE WHEN latency_ms > 100 THEN latency_ms / 7 END) AS c, latency_ms // nullif(latency_ms % 4, 0) AS d,
       mod(nullif(latency_ms, 124), 7) AS e, log(2, nullif(latency_ms, 70)) AS f, isnan(CASE WHEN is_new_user THEN revenue END) AS g
FROM events ORDER BY ts, user_id LIMIT 40;

-- name: fn_nulls_group_by_functions
SELECT regexp_extract(nullif(app_version, '5.2.1'), '^(\d)', 1) AS major, dayname(CASE WHEN is_new_user THEN ts END) AS d, count(*) AS n
FROM events GROUP BY ALL ORDER BY major NULLS FIRST, d NULLS FIRST;

-- name: fn_random_range_and_distinct
SELECT min(r) >= 0 AND max(r) < 1 AS in_range, count(DISTINCT r) = count(*) AS every_row_differs, avg(r) BETWEEN 0.4 AND 0.6 AS centered
FROM (SELECT random() AS r FROM events);

-- name: fn_random_sample
SELECT count(*) BETWEEN 100 AND 320 AS plausible FROM events WHERE random() < 0.1;

-- name: fn_random_calls_differ
SELECT random() <> random() AS a, typeof(random()) AS t;

-- name: fn_translate_unicode_bit_length
SELECT translate('12345', '143', 'ax') AS a, translate('héllo', 'é', 'e') AS b, translate('abc', '', 'x') AS c,
       translate('aaa', 'aa', 'xy') AS d, translate('abcabc', 'cba', 'xyz') AS e, translate(NULL, 'a', 'b') AS f,
       bit_length('é') AS g, unicode('é') AS h, unicode('') AS i;

-- name: fn_translate_column
SELECT app_version, translate(app_version, '.0', '-') AS t, bit_length(app_version) AS bits FROM events GROUP BY ALL ORDER BY 1;
