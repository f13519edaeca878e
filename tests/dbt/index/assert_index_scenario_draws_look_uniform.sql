-- The hash-based draws behave like uniform numbers: per factor, mean near 0.5 and each
-- half of [0, 1) holding 40-60% of the draws, over the Monte Carlo scenarios.
select factor, avg(draw) as mean_draw, avg(case when draw < 0.5 then 1.0 else 0.0 end) as share_low
from {{ ref('int_index__scenario_draws') }}
where design = 'monte_carlo'
group by factor
having avg(draw) not between 0.45 and 0.55
    or avg(case when draw < 0.5 then 1.0 else 0.0 end) not between 0.4 and 0.6
