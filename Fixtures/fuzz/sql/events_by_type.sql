SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY n DESC, event;
