SELECT 1 + 2 * 3 AS a, 7 / 2 AS b, 7 % 3 AS c, 'a' || 'b' AS d, 2.5 * 2 AS e, -(3 - 5) AS f,
       CAST(TIMESTAMP '2026-10-01 12:34:56.789' AS DATE) AS g, date_trunc('hour', TIMESTAMP '2026-10-01 12:34:56') AS h;
