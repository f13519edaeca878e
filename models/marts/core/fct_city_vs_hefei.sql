-- Every city-year beside Hefei: Hefei's figures for the same year with the gaps, and the
-- same-stage comparison (the Hefei year whose GDP per resident in 2023 prices was closest to the
-- city's, Hefei's figures in that year, and how many years behind Hefei the city is).
-- Gaps: percent for levels ((city / Hefei - 1) x 100), percentage points for shares and growth.
{% set hefei_code = '340100' %}

with panel as (
    select * from {{ ref('int_city_years_pivoted') }}
),

cities as (
    select * from {{ ref('stg_seeds__cities') }}
),

same_stage as (
    select * from {{ ref('int_city_years_same_stage_matched') }}
),

hefei as (
    select * from panel
    where city_code = '{{ hefei_code }}'
),

final as (
    select
        cast(panel.city_code as {{ dbt.type_string() }})                          as city_code,
        cast(panel.year as integer)                               as year,
        cast(cities.name_en as {{ dbt.type_string() }})                           as name_en,
        cast(cities.name_zh as {{ dbt.type_string() }})                           as name_zh,
        cast(cities.province_name_en as {{ dbt.type_string() }})                  as province_name_en,
        cast(cities.region as {{ dbt.type_string() }})                            as region,
        cast(cities.is_inland as boolean)                         as is_inland,
        cast(cities.admin_rank as {{ dbt.type_string() }})                        as admin_rank,
        cast(panel.unit_status as {{ dbt.type_string() }})                        as unit_status,

        -- same year
        cast(panel.gdp_cny_100m as double)                        as gdp_cny_100m,
        cast(hefei.gdp_cny_100m as double)                        as hefei_gdp_cny_100m,
        cast({{ pct_gap('panel.gdp_cny_100m', 'hefei.gdp_cny_100m') }} as double)
                                                                  as gdp_gap_pct,
        cast(panel.gdp_per_resident_cny as double)                as gdp_per_resident_cny,
        cast(hefei.gdp_per_resident_cny as double)                as hefei_gdp_per_resident_cny,
        cast({{ pct_gap('panel.gdp_per_resident_cny', 'hefei.gdp_per_resident_cny') }} as double)
                                                                  as gdp_per_resident_gap_pct,
        cast(panel.resident_population_10k as double)             as resident_population_10k,
        cast(hefei.resident_population_10k as double)             as hefei_resident_population_10k,
        cast({{ pct_gap('panel.resident_population_10k', 'hefei.resident_population_10k') }} as double)
                                                                  as resident_population_gap_pct,
        cast(panel.secondary_share_pct as double)                 as secondary_share_pct,
        cast(hefei.secondary_share_pct as double)                 as hefei_secondary_share_pct,
        cast(panel.secondary_share_pct - hefei.secondary_share_pct as double)
                                                                  as secondary_share_gap_pp,
        cast(panel.tertiary_share_pct as double)                  as tertiary_share_pct,
        cast(hefei.tertiary_share_pct as double)                  as hefei_tertiary_share_pct,
        cast(panel.tertiary_share_pct - hefei.tertiary_share_pct as double)
                                                                  as tertiary_share_gap_pp,
        cast(panel.real_gdp_growth_pct as double)                 as real_gdp_growth_pct,
        cast(hefei.real_gdp_growth_pct as double)                 as hefei_real_gdp_growth_pct,
        cast(panel.real_gdp_growth_pct - hefei.real_gdp_growth_pct as double)
                                                                  as real_gdp_growth_gap_pp,
        cast(panel.avg_wage_ratio_to_national as double)          as avg_wage_ratio_to_national,
        cast(hefei.avg_wage_ratio_to_national as double)          as hefei_avg_wage_ratio_to_national,
        cast(panel.avg_wage_ratio_to_national - hefei.avg_wage_ratio_to_national as double)
                                                                  as avg_wage_ratio_gap,
        cast(panel.fiscal_revenue_per_capita_cny as double)       as fiscal_revenue_per_capita_cny,
        cast(hefei.fiscal_revenue_per_capita_cny as double)       as hefei_fiscal_revenue_per_capita_cny,
        cast({{ pct_gap('panel.fiscal_revenue_per_capita_cny', 'hefei.fiscal_revenue_per_capita_cny') }} as double)
                                                                  as fiscal_revenue_per_capita_gap_pct,

        -- same stage
        cast(panel.gdp_per_resident_2023_prices_cny as double)    as gdp_per_resident_2023_prices_cny,
        cast(same_stage.hefei_same_stage_year as integer)         as hefei_same_stage_year,
        cast(same_stage.years_behind_hefei as integer)            as years_behind_hefei,
        cast(same_stage.same_stage_position as {{ dbt.type_string() }})           as same_stage_position,
        cast(same_stage.same_stage_log_distance as double)        as same_stage_log_distance,
        cast(same_stage.hefei_same_stage_gdp_per_resident_2023_prices_cny as double)
                                                                  as hefei_same_stage_gdp_per_resident_2023_prices_cny,
        cast(hefei_then.gdp_cny_100m as double)                   as hefei_same_stage_gdp_cny_100m,
        cast(hefei_then.resident_population_10k as double)        as hefei_same_stage_resident_population_10k,
        cast(hefei_then.secondary_share_pct as double)            as hefei_same_stage_secondary_share_pct,
        cast(hefei_then.tertiary_share_pct as double)             as hefei_same_stage_tertiary_share_pct,
        cast(hefei_then.real_gdp_growth_pct as double)            as hefei_same_stage_real_gdp_growth_pct,
        cast(hefei_then.avg_wage_ratio_to_national as double)     as hefei_same_stage_avg_wage_ratio_to_national,
        cast(hefei_then.fiscal_revenue_per_capita_cny as double)  as hefei_same_stage_fiscal_revenue_per_capita_cny
    from panel
    inner join cities
        on panel.city_code = cities.city_code
    left join hefei
        on panel.year = hefei.year
    left join same_stage
        on panel.city_code = same_stage.city_code
        and panel.year = same_stage.year
    left join hefei as hefei_then
        on same_stage.hefei_same_stage_year = hefei_then.year
)

select * from final
