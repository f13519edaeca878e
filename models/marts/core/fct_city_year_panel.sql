-- Wide panel: one row per city and year (2000-2023, every unit and every year, gaps as nulls)
-- with the main economic figures side by side and the city attributes used for filtering.
with pivoted as (
    select * from {{ ref('int_city_years_pivoted') }}
),

cities as (
    select * from {{ ref('stg_seeds__cities') }}
),

final as (
    select
        cast(pivoted.city_code as {{ dbt.type_string() }})                       as city_code,
        cast(pivoted.year as integer)                            as year,
        cast(cities.name_en as {{ dbt.type_string() }})                          as name_en,
        cast(cities.name_zh as {{ dbt.type_string() }})                          as name_zh,
        cast(cities.province_code as {{ dbt.type_string() }})                    as province_code,
        cast(cities.province_name_en as {{ dbt.type_string() }})                 as province_name_en,
        cast(cities.region as {{ dbt.type_string() }})                           as region,
        cast(cities.is_inland as boolean)                        as is_inland,
        cast(cities.admin_rank as {{ dbt.type_string() }})                       as admin_rank,
        cast(cities.is_provincial_capital as boolean)            as is_provincial_capital,
        cast(pivoted.unit_status as {{ dbt.type_string() }})                     as unit_status,
        cast(pivoted.gdp_cny_100m as double)                     as gdp_cny_100m,
        cast(pivoted.gdp_per_capita_cny as double)               as gdp_per_capita_cny,
        cast(pivoted.gdp_per_resident_cny as double)             as gdp_per_resident_cny,
        cast(pivoted.gdp_per_resident_2023_prices_cny as double) as gdp_per_resident_2023_prices_cny,
        cast(pivoted.gdp_primary_cny_100m as double)             as gdp_primary_cny_100m,
        cast(pivoted.gdp_secondary_cny_100m as double)           as gdp_secondary_cny_100m,
        cast(pivoted.gdp_tertiary_cny_100m as double)            as gdp_tertiary_cny_100m,
        cast(pivoted.primary_share_pct as double)                as primary_share_pct,
        cast(pivoted.secondary_share_pct as double)              as secondary_share_pct,
        cast(pivoted.tertiary_share_pct as double)               as tertiary_share_pct,
        cast(pivoted.real_gdp_index_prev_year_eq_100 as double)  as real_gdp_index_prev_year_eq_100,
        cast(pivoted.real_gdp_growth_pct as double)              as real_gdp_growth_pct,
        cast(pivoted.real_gdp_growth_published_pct as double)    as real_gdp_growth_published_pct,
        cast(pivoted.gdp_revised_cny_100m as double)             as gdp_revised_cny_100m,
        cast(pivoted.real_gdp_2000_prices_cny_100m as double)    as real_gdp_2000_prices_cny_100m,
        cast(pivoted.resident_population_10k as double)          as resident_population_10k,
        cast(pivoted.registered_population_10k as double)        as registered_population_10k,
        cast(pivoted.census_population_10k as double)            as census_population_10k,
        cast(pivoted.employment_10k as double)                   as employment_10k,
        cast(pivoted.avg_wage_cny as double)                     as avg_wage_cny,
        cast(pivoted.national_avg_wage_cny as double)            as national_avg_wage_cny,
        cast(pivoted.avg_wage_ratio_to_national as double)       as avg_wage_ratio_to_national,
        cast(pivoted.city_median_avg_wage_cny as double)         as city_median_avg_wage_cny,
        cast(pivoted.avg_wage_ratio_to_city_median as double)    as avg_wage_ratio_to_city_median,
        cast(pivoted.wage_bill_cny_100m as double)               as wage_bill_cny_100m,
        cast(pivoted.employment_tertiary_share_pct as double)    as employment_tertiary_share_pct,
        cast(pivoted.census_urban_share_pct as double)           as census_urban_share_pct,
        cast(pivoted.census_age_65_plus_share_pct as double)     as census_age_65_plus_share_pct,
        cast(pivoted.fiscal_expenditure_cny_100m as double)      as fiscal_expenditure_cny_100m,
        cast(pivoted.household_deposits_cny_100m as double)      as household_deposits_cny_100m,
        cast(pivoted.fiscal_revenue_cny_100m as double)          as fiscal_revenue_cny_100m,
        cast(pivoted.fiscal_revenue_per_capita_cny as double)    as fiscal_revenue_per_capita_cny,
        cast(pivoted.fdi_usd_m as double)                        as fdi_usd_m,
        cast(pivoted.avg_wage_is_suspect as boolean)             as avg_wage_is_suspect,
        cast(pivoted.suspect_indicators as {{ dbt.type_string() }})              as suspect_indicators
    from pivoted
    inner join cities
        on pivoted.city_code = cities.city_code
)

select * from final
