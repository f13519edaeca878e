-- For every city-year with a GDP per resident, the year in which Hefei was at the most similar
-- level. Rule: levels are compared in 2023 prices (national GDP deflator), distance is the
-- absolute difference of natural logs (so 10% above and 10% below count alike), the closest
-- Hefei year 2000-2023 wins and a tie goes to the earlier year. years_behind_hefei =
-- year - hefei_same_stage_year: positive means the city is where Hefei was that many years
-- earlier; zero or negative means it is level with or ahead of Hefei's path.
{% set hefei_code = '340100' %}

with city_years as (
    select
        city_code,
        year,
        gdp_per_resident_2023_prices_cny
    from {{ ref('int_city_years_pivoted') }}
    where gdp_per_resident_2023_prices_cny > 0
),

hefei_years as (
    select
        year                              as hefei_year,
        gdp_per_resident_2023_prices_cny  as hefei_gdp_per_resident_2023_prices_cny
    from city_years
    where city_code = '{{ hefei_code }}'
),

hefei_range as (
    select
        min(hefei_gdp_per_resident_2023_prices_cny) as lowest,
        max(hefei_gdp_per_resident_2023_prices_cny) as highest
    from hefei_years
),

candidates as (
    select
        city_years.city_code,
        city_years.year,
        city_years.gdp_per_resident_2023_prices_cny,
        hefei_years.hefei_year,
        hefei_years.hefei_gdp_per_resident_2023_prices_cny,
        abs(ln(city_years.gdp_per_resident_2023_prices_cny) - ln(hefei_years.hefei_gdp_per_resident_2023_prices_cny))
            as log_distance
    from city_years
    cross join hefei_years
),

closest as (
    select *
    from (
        select
            candidates.*,
            row_number() over (
                partition by city_code, year
                order by log_distance, hefei_year
            ) as closeness_rank
        from candidates
    ) as ranked
    where closeness_rank = 1
),

final as (
    select
        closest.city_code,
        closest.year,
        closest.hefei_year                                 as hefei_same_stage_year,
        closest.year - closest.hefei_year                  as years_behind_hefei,
        closest.hefei_gdp_per_resident_2023_prices_cny     as hefei_same_stage_gdp_per_resident_2023_prices_cny,
        closest.log_distance                               as same_stage_log_distance,
        case
            when closest.gdp_per_resident_2023_prices_cny < hefei_range.lowest then 'below_hefei_range'
            when closest.gdp_per_resident_2023_prices_cny > hefei_range.highest then 'above_hefei_range'
            else 'within_hefei_range'
        end                                                as same_stage_position
    from closest
    cross join hefei_range
)

select * from final
