SELECT CASE platform WHEN 'ios' THEN 1 WHEN 'android' THEN 2 ELSE 3 END AS code, count(*) AS n
FROM events GROUP BY 1 ORDER BY 1;
