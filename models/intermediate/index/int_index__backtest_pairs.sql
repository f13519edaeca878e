-- Pairs for the back-test: each inland city ranked in the base year (2012 by default), its
-- index in that year under every scenario scored for it, and its real GDP growth over the
-- following ten years (compounded from the published real growth rates; only cities with
-- all ten years known). Inputs of the base-year index come from years up to the base year,
-- except the one-off snapshots and the goalposts, which use later data.
{%- set base_year = var('index_backtest_base_year', 2012) %}
{%- set horizon = var('index_backtest_horizon_years', 10) %}
with growth as (
    select
        city_code,
        (exp(sum(ln(1 + real_gdp_growth_pct / 100.0)) / {{ horizon }}) - 1) * 100 as real_gdp_cagr_pct,
        count(real_gdp_growth_pct) as n_growth_years
    from {{ ref('fct_city_year_panel') }}
    where year > {{ base_year }} and year <= {{ base_year + horizon }}
    group by city_code
)

select
    scenario_index.scenario_id,
    scenario_index.city_code,
    scenario_index.year as base_year,
    scenario_index.index_score,
    scenario_index.index_rank,
    growth.real_gdp_cagr_pct
from {{ ref('int_index__scenario_index') }} as scenario_index
inner join growth on growth.city_code = scenario_index.city_code
where scenario_index.year = {{ base_year }}
  and growth.n_growth_years = {{ horizon }}
