-- The indicator grid (every city, every year, every indicator) with the nominal imputation:
-- a missing value is carried forward from the same city's latest observation at most two
-- years earlier (var index_max_carry_forward_years), and flagged. Only indicators the
-- catalogue allows (may_carry_forward) are carried: a dated fact that is missing in a year
-- is unknown in that year, never its earlier value (a pre-adoption 0 must not reach a year
-- in which the policy is in force). Nothing else is filled; a longer gap stays a gap.
with observed as (
    select * from {{ ref('int_index__indicator_values') }}
),

catalogue as (
    select indicator_code, pillar, may_carry_forward from {{ ref('int_index__catalogue') }}
),

years as (
    select distinct year from observed
),

cities as (
    select distinct city_code from observed
),

grid as (
    select cities.city_code, years.year, catalogue.indicator_code, catalogue.pillar, catalogue.may_carry_forward
    from cities cross join years cross join catalogue
),

latest_within_two_years as (
    select
        grid.city_code,
        grid.year,
        grid.indicator_code,
        max(observed.year) as source_year
    from grid
    inner join observed
        on observed.city_code = grid.city_code
        and observed.indicator_code = grid.indicator_code
        and observed.year between
            grid.year - case when grid.may_carry_forward then {{ var('index_max_carry_forward_years', 2) }} else 0 end
            and grid.year
    group by grid.city_code, grid.year, grid.indicator_code
)

select
    grid.city_code,
    grid.year,
    grid.indicator_code,
    grid.pillar,
    observed.indicator_value,
    latest.source_year,
    case
        when latest.source_year is null then 'missing'
        when latest.source_year = grid.year then 'observed'
        else 'carried_forward'
    end as imputation_status,
    latest.source_year is not null and latest.source_year < grid.year as is_imputed,
    grid.year - latest.source_year as years_carried
from grid
left join latest_within_two_years as latest
    on latest.city_code = grid.city_code
    and latest.year = grid.year
    and latest.indicator_code = grid.indicator_code
left join observed
    on observed.city_code = grid.city_code
    and observed.year = latest.source_year
    and observed.indicator_code = grid.indicator_code
