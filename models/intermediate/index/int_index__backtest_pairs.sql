-- Pairs for the back-test, without hindsight: each inland city ranked by the real-time index
-- of the base year (2012 by default; int_index__realtime_index), beside what happened over
-- the next ten years and the controls. Two samples: all_cities (goalposts from every inland
-- city) and without_reference (goalposts set without Hefei, and Hefei left out of the
-- correlation: the leave-Hefei-out check). Targets, one row each:
--   real_gdp_cagr_pct          real GDP growth compounded from the published real growth
--                              rates (only cities with all ten years known)
--   secondary_share_change_pp  change of the secondary sector's share of GDP in percentage
--                              points, base year to end year: closer to the model (a city
--                              that builds industry keeps or raises its share)
-- Controls: GDP per resident in the base year (convergence) and province.
{%- set base_year = var('index_backtest_base_year', 2012) %}
{%- set horizon = var('index_backtest_horizon_years', 10) %}
{%- set reference_city = var('index_reference_city', '340100') %}
with panel as (
    select city_code, year, province_code, real_gdp_growth_pct, secondary_share_pct, gdp_per_resident_cny
    from {{ ref('fct_city_year_panel') }}
),

growth as (
    select
        city_code,
        (exp(sum(ln(1 + real_gdp_growth_pct / 100.0)) / {{ horizon }}) - 1) * 100 as real_gdp_cagr_pct,
        count(real_gdp_growth_pct) as n_growth_years
    from panel
    where year > {{ base_year }} and year <= {{ base_year + horizon }}
    group by city_code
),

base as (
    select city_code, province_code, secondary_share_pct, gdp_per_resident_cny
    from panel
    where year = {{ base_year }}
),

end_year as (
    select city_code, secondary_share_pct from panel where year = {{ base_year + horizon }}
),

targets as (
    select growth.city_code, 'real_gdp_cagr_pct' as target, growth.real_gdp_cagr_pct as target_value
    from growth
    where growth.n_growth_years = {{ horizon }}
    union all
    select base.city_code, 'secondary_share_change_pp', end_year.secondary_share_pct - base.secondary_share_pct
    from base
    inner join end_year on end_year.city_code = base.city_code
    where base.secondary_share_pct is not null and end_year.secondary_share_pct is not null
)

select
    realtime.goalpost_pool as sample,
    targets.target,
    realtime.city_code,
    base.province_code,
    realtime.as_of_year as base_year,
    realtime.index_score,
    realtime.index_rank,
    targets.target_value,
    base.gdp_per_resident_cny as initial_gdp_per_resident_cny
from {{ ref('int_index__realtime_index') }} as realtime
inner join targets on targets.city_code = realtime.city_code
inner join base on base.city_code = realtime.city_code
where realtime.as_of_year = {{ base_year }}
  and (realtime.goalpost_pool = 'all_cities' or realtime.city_code <> '{{ reference_city }}')
