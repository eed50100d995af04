SELECT platform, is_new_user, count(*) AS n FROM events GROUP BY 1, 2 ORDER BY 1, 2;
