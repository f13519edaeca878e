-- Analyst question: which inland provincial capitals grew fastest over 2012-2022?
-- Ranked by real GDP CAGR (revised real growth index chained over 2013-2022; null, and ranked
-- last, when a year of the chain is missing). Nominal CAGR of the as-published levels and
-- resident-population growth stand beside it. Municipalities (Chongqing) are not provincial
-- capitals and are left out. A unit that absorbed another inside the window is flagged: its
-- nominal growth includes the added territory.

with capitals as (
    select city_code, name_en, name_zh, province_name_en
    from {{ ref('dim_city') }}
    where is_inland
      and is_provincial_capital
),

growth as (
    select
        city_code,
        real_gdp_cagr_pct,
        nominal_gdp_cagr_pct,
        n_real_index_years,
        resident_population_cagr_pct,
        has_absorbed_unit_in_window
    from {{ ref('fct_city_growth') }}
    where end_year = 2022
      and window_years = 10
)

select
    rank() over (
        order by case when g.real_gdp_cagr_pct is null then 1 else 0 end, g.real_gdp_cagr_pct desc
    )                                   as real_growth_rank,
    c.city_code,
    c.name_en,
    c.name_zh,
    c.province_name_en,
    g.real_gdp_cagr_pct,
    g.nominal_gdp_cagr_pct,
    g.n_real_index_years,
    g.resident_population_cagr_pct,
    g.has_absorbed_unit_in_window
from capitals as c
left join growth as g
    on c.city_code = g.city_code
order by real_growth_rank, c.city_code
