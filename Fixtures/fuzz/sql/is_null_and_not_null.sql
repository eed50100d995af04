SELECT count(*) AS all_rows, count(nullif(country, 'US')) AS not_us, count(*) FILTER (WHERE country IS NULL) AS null_country,
       count(*) FILTER (WHERE country IS NOT NULL) AS with_country
FROM events;
