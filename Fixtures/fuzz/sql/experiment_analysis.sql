SELECT * FROM experiment_analysis('events', 'exp_000', 'converted=binomial(event = ''purchase'')', 'revenue=mean(revenue)');
