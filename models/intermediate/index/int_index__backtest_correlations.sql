-- Spearman rank correlation between the base-year index and later real growth, per
-- scenario: Pearson correlation of average ranks (ties share their mean rank).
with pairs as (
    select * from {{ ref('int_index__backtest_pairs') }}
),

-- A tied group's average rank is the mean of its first position (rank) and its last
-- (count up to and including the peers, the default frame); one sort per ordering.
ranked as (
    select
        scenario_id,
        (rank() over (partition by scenario_id order by index_score)
            + count(*) over (partition by scenario_id order by index_score)) / 2.0 as index_avg_rank,
        (rank() over (partition by scenario_id order by real_gdp_cagr_pct)
            + count(*) over (partition by scenario_id order by real_gdp_cagr_pct)) / 2.0 as growth_avg_rank
    from pairs
)

select
    scenario_id,
    count(*) as n_cities,
    corr(index_avg_rank, growth_avg_rank) as spearman_rho
from ranked
group by scenario_id
