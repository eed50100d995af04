SELECT typeof(0.06 + 0.01) AS a, typeof(1.5 * 2.25) AS b, typeof(l_extendedprice * (1 - l_discount)) AS c,
       typeof(sum(l_quantity)) AS d, typeof(sum(l_orderkey)) AS e, typeof(avg(l_tax)) AS f, typeof(min(l_tax)) AS g,
       typeof(round(l_tax, 1)) AS h, typeof(CAST(1 AS DECIMAL)) AS i, typeof(9223372036854775808) AS j
FROM lineitem GROUP BY l_extendedprice, l_discount, l_tax ORDER BY l_extendedprice, l_discount, l_tax LIMIT 1;
