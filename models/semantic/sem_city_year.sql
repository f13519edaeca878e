-- The city-year panel with a date for its year (1 January), so the semantic layer can use the
-- year as a time dimension. No figures are changed or added.
select
    city_code || '-' || cast(year as {{ dbt.type_string() }}) as city_year_key,
    city_code,
    make_date(year, 1, 1)                     as year_start,
    year,
    region,
    is_inland,
    admin_rank,
    is_provincial_capital,
    province_name_en,
    unit_status,
    gdp_cny_100m,
    resident_population_10k,
    real_gdp_growth_pct,
    avg_wage_ratio_to_national
from {{ ref('fct_city_year_panel') }}
