-- The cities behind the back-test: the real-time base-year index (goalposts from every
-- inland city, inputs dated up to the base year) beside the two targets and the controls.
-- The base-year position is only the input of the correlation, not a published ranking.
with pairs as (
    select * from {{ ref('int_index__backtest_pairs') }} where sample = 'all_cities'
)

select
    cast(city_code as {{ dbt.type_string() }}) as city_code,
    cast(max(province_code) as {{ dbt.type_string() }}) as province_code,
    cast(max(base_year) as integer) as base_year,
    cast(max(index_score) as double) as index_score,
    cast(max(index_rank) as integer) as base_year_position,
    cast(max(case when target = 'real_gdp_cagr_pct' then target_value end) as double) as real_gdp_cagr_next_10y_pct,
    cast(max(case when target = 'secondary_share_change_pp' then target_value end) as double) as secondary_share_change_next_10y_pp,
    cast(max(initial_gdp_per_resident_cny) as double) as initial_gdp_per_resident_cny
from pairs
group by city_code
