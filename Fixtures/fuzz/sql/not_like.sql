SELECT count(*) AS n FROM events WHERE app_version NOT LIKE '5.%';
