SELECT count(*) AS n FROM events WHERE platform ILIKE 'IO%';
