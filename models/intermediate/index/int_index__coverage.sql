-- Coverage per city and year under the nominal imputation, who may be ranked, and the
-- headline year. A city is eligible in a year when it is inland, has every pillar and at
-- least two thirds of the indicators (observed or carried forward; var
-- index_min_indicator_share). A year is rankable when at least half of the inland cities
-- are eligible. The headline year is the latest rankable year in which every indicator is
-- observed (not carried forward) for at least 90% of that year's eligible cities (var
-- index_min_observed_share); the latest rankable year is kept as the labelled "latest
-- available" variant.
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
        sum(case when grid.imputation_status = 'observed' then 1 else 0 end) as n_indicators_observed,
        sum(case when grid.is_imputed then 1 else 0 end) as n_indicators_imputed,
        max(grid.years_carried) as max_years_carried,
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
        per_city_year.n_indicators_observed,
        per_city_year.n_indicators_imputed,
        coalesce(per_city_year.max_years_carried, 0) as max_years_carried,
        catalogue.n_indicators,
        per_city_year.n_pillars_present,
        catalogue.n_pillars,
        100 * cast(per_city_year.n_indicators_present as double) / catalogue.n_indicators as coverage_pct,
        per_city_year.n_indicators_present >= {{ var('index_min_indicator_share', 0.667) }} * catalogue.n_indicators
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
),

-- per year and indicator, the share of the eligible cities whose value is observed that year
observed_shares as (
    select
        grid.year,
        grid.indicator_code,
        avg(case when grid.imputation_status = 'observed' then cast(1 as double) else 0 end) as observed_share
    from grid
    inner join judged
        on judged.city_code = grid.city_code and judged.year = grid.year
    where judged.is_inland and judged.meets_coverage
    group by grid.year, grid.indicator_code
),

headline_candidates as (
    select year
    from observed_shares
    where year in (select year from rankable_years)
    group by year
    having min(observed_share) >= {{ var('index_min_observed_share', 0.9) }}
)

select
    judged.*,
    judged.is_inland and judged.meets_coverage as is_eligible,
    judged.year in (select year from rankable_years) as is_rankable_year,
    judged.year = (select max(year) from rankable_years) as is_latest_rankable_year,
    judged.year = (select max(year) from headline_candidates) as is_headline_year
from judged
