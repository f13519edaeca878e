-- Rule family: accounting identities, checked within each source (so a failure points at the
-- source, not at a mix of sources). One row per city, year, source and identity:
--   shares_sum_to_100     the three sector shares add up to 100 (within 1 point: three shares
--                         rounded to 0.01 can miss by 0.03 at most)
--   sectors_sum_to_gdp    the three sectors' value added add up to GDP (within 1%: rounding of
--                         four figures to 0.01 of 100m CNY)
--   per_capita_population GDP per capita times population gives GDP. Yearbooks divide by the
--                         year's mean resident population, which differs from the year-end count
--                         by half a year's growth (rarely over 2.5%), so a 3% tolerance; the test
--                         tells resident from registered only where the two populations differ
--                         by more than twice that.
{% set share_tolerance_points = 1 %}
{% set sector_tolerance_pct = 1 %}
{% set per_capita_tolerance_pct = 3 %}

with city_year_values as {{ read_again() }} (
    select * from {{ ref('stg_seeds__city_year_values') }}
),

shares as (
    select
        city_code,
        year,
        source_id,
        sum(value) as share_sum_pct
    from city_year_values
    where indicator_code in ('primary_share_pct', 'secondary_share_pct', 'tertiary_share_pct')
    group by city_code, year, source_id
    having count(*) = 3
),

sectors as (
    select
        city_code,
        year,
        source_id,
        sum(case when indicator_code <> 'gdp_cny_100m' then value end) as sector_sum_cny_100m,
        max(case when indicator_code = 'gdp_cny_100m' then value end) as gdp_cny_100m
    from city_year_values
    where indicator_code in ('gdp_cny_100m', 'gdp_primary_cny_100m', 'gdp_secondary_cny_100m', 'gdp_tertiary_cny_100m')
    group by city_code, year, source_id
    having count(*) = 4
),

-- per capita: the source's own GDP, and the primary resident and registered populations
per_capita as (
    select
        pc.city_code,
        pc.year,
        pc.source_id,
        pc.value as gdp_per_capita_cny,
        gdp.value * 10000 / nullif(resident.value, 0) as gdp_per_resident_cny,
        gdp.value * 10000 / nullif(registered.value, 0) as gdp_per_registered_cny,
        abs(resident.value - registered.value) / nullif(resident.value, 0) * 100 as population_gap_pct
    from city_year_values as pc
    inner join city_year_values as gdp
        on pc.city_code = gdp.city_code
        and pc.year = gdp.year
        and pc.source_id = gdp.source_id
        and gdp.indicator_code = 'gdp_cny_100m'
    left join city_year_values as resident
        on pc.city_code = resident.city_code
        and pc.year = resident.year
        and resident.indicator_code = 'resident_population_10k'
        and resident.is_primary
    left join city_year_values as registered
        on pc.city_code = registered.city_code
        and pc.year = registered.year
        and registered.indicator_code = 'registered_population_10k'
        and registered.is_primary
    where pc.indicator_code = 'gdp_per_capita_cny'
),

identities as (
    select
        city_code,
        year,
        source_id,
        'shares_sum_to_100' as identity_code,
        share_sum_pct as computed_value,
        cast(100 as double) as expected_value,
        abs(share_sum_pct - 100) as identity_gap,
        abs(share_sum_pct - 100) <= {{ share_tolerance_points }} as identity_holds,
        cast(null as {{ dbt.type_string() }}) as per_capita_denominator
    from shares

    union all

    select
        city_code,
        year,
        source_id,
        'sectors_sum_to_gdp',
        sector_sum_cny_100m,
        gdp_cny_100m,
        abs(sector_sum_cny_100m - gdp_cny_100m) / nullif(gdp_cny_100m, 0) * 100,
        abs(sector_sum_cny_100m - gdp_cny_100m) / nullif(gdp_cny_100m, 0) * 100 <= {{ sector_tolerance_pct }},
        cast(null as {{ dbt.type_string() }})
    from sectors

    union all

    select
        city_code,
        year,
        source_id,
        'per_capita_population',
        gdp_per_capita_cny,
        gdp_per_resident_cny,
        abs(gdp_per_capita_cny / nullif(gdp_per_resident_cny, 0) - 1) * 100,
        abs(gdp_per_capita_cny / nullif(gdp_per_resident_cny, 0) - 1) * 100 <= {{ per_capita_tolerance_pct }},
        case
            when gdp_per_resident_cny is null then null
            when abs(gdp_per_capita_cny / gdp_per_resident_cny - 1) * 100 <= {{ per_capita_tolerance_pct }}
                then 'resident'
            when population_gap_pct > {{ 2 * per_capita_tolerance_pct }}
                and abs(gdp_per_capita_cny / nullif(gdp_per_registered_cny, 0) - 1) * 100 <= {{ per_capita_tolerance_pct }}
                then 'registered'
            else 'neither'
        end
    from per_capita
    where gdp_per_resident_cny is not null
)

select * from identities
