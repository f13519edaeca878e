-- Every input the indicator catalogue can draw on, one row per city and year: the panel's
-- columns as published (read through the panel, so screened values flow in), the city's
-- distances and university counts (complete registries), and the inputs that need a time
-- window (growth over five years). Policy facts, collected unevenly, are not inputs of the
-- composite; they are published in the adoption view (fct_city_policy_adoption).
with panel as (
    select * from {{ ref('fct_city_year_panel') }}
),

city as (
    select city_code, distance_to_nearest_coastal_hub_km, distance_to_shanghai_km
    from {{ ref('dim_city') }}
),

policy as (
    select * from {{ ref('int_city_policy_talent') }}
),

growth_windows as (
    select
        city_code,
        year,
        -- real growth compounded over the five years ending in this year, only when all five are known
        sum(ln(1 + real_gdp_growth_pct / 100.0)) over five_years as log_real_growth_5y,
        count(real_gdp_growth_pct) over five_years as n_growth_years_5y
    from panel
    window five_years as (partition by city_code order by year range between 4 preceding and current row)
),

population_5y_ago as (
    select city_code, year + 5 as year, resident_population_10k as resident_population_10k_5y_ago
    from panel
)

select
    panel.*,
    city.distance_to_nearest_coastal_hub_km,
    city.distance_to_shanghai_km,
    policy.n_universities,
    policy.n_elite_universities,
    policy.n_double_first_class,
    case
        when growth_windows.n_growth_years_5y = 5
            then (exp(growth_windows.log_real_growth_5y / 5.0) - 1) * 100
    end as real_gdp_cagr_5y_pct,
    {{ cagr_pct('population_5y_ago.resident_population_10k_5y_ago', 'panel.resident_population_10k', 5) }}
        as resident_population_cagr_5y_pct
from panel
inner join city on city.city_code = panel.city_code
left join policy on policy.city_code = panel.city_code
left join growth_windows on growth_windows.city_code = panel.city_code and growth_windows.year = panel.year
left join population_5y_ago on population_5y_ago.city_code = panel.city_code and population_5y_ago.year = panel.year
