SELECT platform, count(*) AS n FROM events WHERE event NOT IN ('page_view', 'click') GROUP BY platform ORDER BY platform;
