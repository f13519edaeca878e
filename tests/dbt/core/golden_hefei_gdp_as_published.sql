-- Golden figures: Hefei's GDP as first published, 4,164.32 (2012) and 12,013.0 (2022) in 100m CNY,
-- in both the long and the wide fact. Returns a row for every figure that is missing or different.
with expected as (
    select '340100' as city_code, 2012 as year, cast(4164.32 as double) as gdp_cny_100m
    union all
    select '340100', 2022, cast(12013.0 as double)
),

long_fact as (
    select city_code, year, value as gdp_cny_100m
    from {{ ref('fct_city_year_indicator') }}
    where indicator_code = 'gdp_cny_100m'
),

wide_fact as (
    select city_code, year, gdp_cny_100m
    from {{ ref('fct_city_year_panel') }}
),

final as (
    select
        expected.city_code,
        expected.year,
        expected.gdp_cny_100m as expected_gdp_cny_100m,
        long_fact.gdp_cny_100m as long_fact_gdp_cny_100m,
        wide_fact.gdp_cny_100m as panel_gdp_cny_100m
    from expected
    left join long_fact
        on expected.city_code = long_fact.city_code
        and expected.year = long_fact.year
    left join wide_fact
        on expected.city_code = wide_fact.city_code
        and expected.year = wide_fact.year
    where long_fact.gdp_cny_100m is null
       or wide_fact.gdp_cny_100m is null
       or long_fact.gdp_cny_100m <> expected.gdp_cny_100m
       or wide_fact.gdp_cny_100m <> expected.gdp_cny_100m
)

select * from final
