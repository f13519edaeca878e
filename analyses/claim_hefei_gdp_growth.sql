-- Claim check: Hefei's "GDP grew by more than 8% a year on average from 2012 to 2022"
-- (The Economist, 2023), read as real growth. The real rate chains the revised real growth
-- index (previous year = 100) over 2013-2022; the nominal CAGR of the as-published current-price
-- levels stands beside it, and the curated nominal CAGR for 2012-2023 is re-computed from the panel.
-- Output: claim, warehouse_figure (percent a year), holds, note.
{% set hefei_code = '340100' %}

with growth_2012_2022 as (
    select real_gdp_cagr_pct, nominal_gdp_cagr_pct, n_real_index_years, has_absorbed_unit_in_window
    from {{ ref('fct_city_growth') }}
    where city_code = '{{ hefei_code }}'
      and end_year = 2022
      and window_years = 10
),

curated_nominal as (
    select claimed_value, year_from, year_to
    from {{ ref('stg_policy__hefei_claims') }}
    where city_code = '{{ hefei_code }}'
      and metric_code = 'gdp_nominal_cagr'
),

panel_levels as (
    select year, gdp_cny_100m
    from {{ ref('fct_city_year_panel') }}
    where city_code = '{{ hefei_code }}'
),

nominal_recomputed as (
    select
        c.claimed_value,
        c.year_from,
        c.year_to,
        {{ cagr_pct('s.gdp_cny_100m', 'e.gdp_cny_100m', 'c.year_to - c.year_from') }} as nominal_cagr_pct
    from curated_nominal as c
    left join panel_levels as s on s.year = c.year_from
    left join panel_levels as e on e.year = c.year_to
)

select
    'Hefei real GDP grew more than 8% a year on average, 2012-2022 (The Economist 2023)' as claim,
    real_gdp_cagr_pct as warehouse_figure,
    case
        when real_gdp_cagr_pct is null then 'unverifiable'
        when real_gdp_cagr_pct > 8 then 'true'
        else 'false'
    end as holds,
    'Real CAGR from the revised real growth index chained over ' || cast(n_real_index_years as varchar)
        || ' years (2013-2022); ' || cast(round(real_gdp_cagr_pct, 2) as varchar) || '% a year.' as note
from growth_2012_2022

union all

select
    'For comparison: Hefei nominal GDP grew more than 8% a year, 2012-2022',
    nominal_gdp_cagr_pct,
    case
        when nominal_gdp_cagr_pct is null then 'unverifiable'
        when nominal_gdp_cagr_pct > 8 then 'true'
        else 'false'
    end,
    'Nominal CAGR of as-published current-price GDP (includes inflation, so not the measure the claim means); '
        || cast(round(nominal_gdp_cagr_pct, 2) as varchar) || '% a year.'
from growth_2012_2022

union all

select
    'Hefei nominal GDP CAGR ' || cast(year_from as varchar) || '-' || cast(year_to as varchar)
        || ' about ' || cast(claimed_value as varchar) || '% (derived from Global Times levels)',
    nominal_cagr_pct,
    case
        when nominal_cagr_pct is null then 'unverifiable'
        when abs(nominal_cagr_pct - claimed_value) <= 0.5 then 'true'
        else 'false'
    end,
    'Re-computed from the panel''s as-published GDP of both end years; agreement taken as within 0.5 percentage points.'
from nominal_recomputed
