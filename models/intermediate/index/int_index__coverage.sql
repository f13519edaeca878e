-- Coverage per city and year under the nominal imputation, and who may be ranked: an
-- inland city with at least two thirds of the indicators and every pillar present. A year
-- is rankable when at least half of the inland cities are eligible; the latest rankable
-- year is the one the uncertainty analysis and the ranking use.
with grid as (
    select * from {{ ref('int_index__imputed') }}
),

catalogue as (
    select count(*) as n_indicators, count(distinct pillar) as n_pillars
    from {{ ref('int_index__catalogue') }}
),

inland as (
    select city_code, is_inland from {{ ref('dim_city') }}
),

per_city_year as (
    select
        grid.city_code,
        grid.year,
        count(grid.indicator_value) as n_indicators_present,
        sum(case when grid.is_imputed then 1 else 0 end) as n_indicators_imputed,
        count(distinct case when grid.indicator_value is not null then grid.pillar end) as n_pillars_present
    from grid
    group by grid.city_code, grid.year
),

judged as (
    select
        per_city_year.city_code,
        per_city_year.year,
        coalesce(inland.is_inland, false) as is_inland,
        per_city_year.n_indicators_present,
        per_city_year.n_indicators_imputed,
        catalogue.n_indicators,
        per_city_year.n_pillars_present,
        catalogue.n_pillars,
        100 * cast(per_city_year.n_indicators_present as double) / catalogue.n_indicators as coverage_pct,
        per_city_year.n_indicators_present * 3 >= catalogue.n_indicators * 2
            and per_city_year.n_pillars_present = catalogue.n_pillars as meets_coverage
    from per_city_year
    cross join catalogue
    left join inland on inland.city_code = per_city_year.city_code
),

years as (
    select
        year,
        sum(case when is_inland and meets_coverage then 1 else 0 end) as n_eligible_inland,
        sum(case when is_inland then 1 else 0 end) as n_inland
    from judged
    group by year
),

rankable_years as (
    select year from years where 2 * n_eligible_inland >= n_inland and n_eligible_inland > 0
)

select
    judged.*,
    judged.is_inland and judged.meets_coverage as is_eligible,
    judged.year in (select year from rankable_years) as is_rankable_year,
    judged.year = (select max(year) from rankable_years) as is_latest_rankable_year
from judged
