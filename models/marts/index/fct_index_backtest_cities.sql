-- The cities behind the back-test: base-year index and rank (with the 5th-95th percentile
-- rank interval over the Monte Carlo scenarios) beside real GDP growth over the next ten years.
-- Built after the back-test correlations: run side by side at county scale, the two
-- per-scenario passes over the same pairs exhaust memory and spill space together.
-- depends_on: {{ ref('int_index__backtest_correlations') }}
with pairs as (
    select pairs.*, scenarios.design
    from {{ ref('int_index__backtest_pairs') }} as pairs
    inner join {{ ref('int_index__scenarios') }} as scenarios on scenarios.scenario_id = pairs.scenario_id
),

intervals as (
    select
        city_code,
        {{ index_quantile('index_rank', 0.5) }} as median_rank,
        {{ index_quantile_disc('index_rank', 0.05) }} as rank_p05,
        {{ index_quantile_disc('index_rank', 0.95) }} as rank_p95
    from pairs
    where design = 'monte_carlo'
    group by city_code
)

select
    cast(pairs.city_code as {{ dbt.type_string() }}) as city_code,
    cast(pairs.base_year as integer) as base_year,
    cast(pairs.index_score as double) as index_score,
    cast(pairs.index_rank as integer) as nominal_rank,
    cast(intervals.median_rank as double) as median_rank,
    cast(intervals.rank_p05 as integer) as rank_p05,
    cast(intervals.rank_p95 as integer) as rank_p95,
    cast(pairs.real_gdp_cagr_pct as double) as real_gdp_cagr_next_10y_pct,
    cast(rank() over (order by pairs.real_gdp_cagr_pct desc) as integer) as growth_rank
from pairs
inner join intervals on intervals.city_code = pairs.city_code
where pairs.scenario_id = 0
