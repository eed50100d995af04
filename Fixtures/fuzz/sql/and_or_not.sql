SELECT count(*) AS n FROM events
WHERE (platform = 'ios' OR platform = 'web') AND NOT (event = 'page_view') AND country <> 'US' AND variant != 'control';
