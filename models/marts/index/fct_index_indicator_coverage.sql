-- Coverage of every composite indicator in every year among the cities eligible that year:
-- how many values are observed in that very year, carried forward (and from how far back),
-- or missing. The headline year is the latest year in which every indicator is observed
-- for at least 90% of the eligible cities (int_index__coverage).
with grid as (
    select * from {{ ref('int_index__imputed') }}
),

coverage as (
    select city_code, year, is_headline_year, is_latest_rankable_year
    from {{ ref('int_index__coverage') }}
    where is_eligible
)

select
    cast(grid.indicator_code as {{ dbt.type_string() }}) as indicator_code,
    cast(grid.pillar as {{ dbt.type_string() }}) as pillar,
    cast(grid.year as integer) as year,
    cast(count(*) as integer) as n_eligible_cities,
    cast(sum(case when grid.imputation_status = 'observed' then 1 else 0 end) as integer) as n_observed,
    cast(sum(case when grid.imputation_status = 'carried_forward' then 1 else 0 end) as integer) as n_carried_forward,
    cast(sum(case when grid.imputation_status = 'missing' then 1 else 0 end) as integer) as n_missing,
    cast(100.0 * avg(case when grid.imputation_status = 'observed' then cast(1 as double) else 0 end) as double) as observed_share_pct,
    cast(min(grid.source_year) as integer) as oldest_source_year,
    cast(coalesce(max(grid.years_carried), 0) as integer) as max_years_carried,
    cast(100.0 * avg(case when grid.imputation_status = 'observed' then cast(1 as double) else 0 end)
        >= 100.0 * {{ var('index_min_observed_share', 0.9) }} as boolean) as meets_observed_rule,
    cast(max(case when coverage.is_headline_year then 1 else 0 end) = 1 as boolean) as is_headline_year,
    cast(max(case when coverage.is_latest_rankable_year then 1 else 0 end) = 1 as boolean) as is_latest_rankable_year
from grid
inner join coverage on coverage.city_code = grid.city_code and coverage.year = grid.year
group by grid.indicator_code, grid.pillar, grid.year
