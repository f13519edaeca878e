-- The index as it could have been computed in an earlier year (real time, no hindsight),
-- per as-of year (the back-test base year and Hefei's take-off years 2005-2008) and
-- goalpost pool (all inland cities, or all but the reference city Hefei). Every input is
-- what was known by the as-of year: values dated no later than it (carried forward at
-- most two years where the catalogue allows), no list published later (an indicator whose
-- vintage_year is after the as-of year is left out: the 2023 university lists), and the
-- outlier rule and goalposts computed from inland values dated up to the as-of year only.
-- One row per as-of year, pool, city and indicator with its min-max score.
{%- set cap = var('index_max_carry_forward_years', 2) %}
{%- set reference_city = var('index_reference_city', '340100') %}
with as_of_years as (
    select n as as_of_year
    from {{ index_integer_series(var('index_takeoff_first_year', 2005), var('index_takeoff_last_year', 2008)) }}
    union
    select {{ var('index_backtest_base_year', 2012) }}
),

pools as (
    select 'all_cities' as goalpost_pool
    union all
    select 'without_reference'
),

catalogue as (
    select * from {{ ref('int_index__catalogue') }}
),

inland as (
    select city_code from {{ ref('dim_city') }} where is_inland
),

-- indicators whose input existed by the as-of year
available as (
    select as_of_years.as_of_year, catalogue.*
    from as_of_years
    cross join catalogue
    where catalogue.vintage_year is null or catalogue.vintage_year <= as_of_years.as_of_year
),

observed as (
    select values_.*
    from {{ ref('int_index__indicator_values') }} as values_
    inner join inland on inland.city_code = values_.city_code
),

-- the pool the outlier rule and goalposts come from: values dated up to the as-of year
pool_values as (
    select pools.goalpost_pool, available.as_of_year, observed.indicator_code, observed.indicator_value
    from available
    cross join pools
    inner join observed
        on observed.indicator_code = available.indicator_code
        and observed.year <= available.as_of_year
    where pools.goalpost_pool = 'all_cities' or observed.city_code <> '{{ reference_city }}'
),

before_treatment as (
    select
        goalpost_pool,
        as_of_year,
        indicator_code,
        count(distinct indicator_value) as n_distinct_values,
        min(indicator_value) as min_value,
        {{ index_quantile('indicator_value', 0.02) }} as p02_value,
        {{ index_quantile('indicator_value', 0.98) }} as p98_value,
        {{ index_skewness('indicator_value') }} as skewness_before,
        {{ index_kurtosis('indicator_value') }} as kurtosis_before
    from pool_values
    group by goalpost_pool, as_of_year, indicator_code
),

winsorised_check as (
    select
        pool_values.goalpost_pool,
        pool_values.as_of_year,
        pool_values.indicator_code,
        {{ index_skewness(index_treat_outlier("'winsorise'", 'pool_values.indicator_value', 'b.p02_value', 'b.p98_value')) }} as skewness_winsorised,
        {{ index_kurtosis(index_treat_outlier("'winsorise'", 'pool_values.indicator_value', 'b.p02_value', 'b.p98_value')) }} as kurtosis_winsorised
    from pool_values
    inner join before_treatment as b
        on b.goalpost_pool = pool_values.goalpost_pool
        and b.as_of_year = pool_values.as_of_year
        and b.indicator_code = pool_values.indicator_code
    group by pool_values.goalpost_pool, pool_values.as_of_year, pool_values.indicator_code
),

-- the same rule as int_index__outlier_rules, applied to the real-time pool
rules as (
    select
        b.goalpost_pool,
        b.as_of_year,
        b.indicator_code,
        b.p02_value,
        b.p98_value,
        case
            when b.n_distinct_values <= 2 then 'none'
            when not {{ index_fails_outlier_rule('b.skewness_before', 'b.kurtosis_before') }} then 'none'
            when b.p98_value > b.p02_value
                 and not {{ index_fails_outlier_rule('w.skewness_winsorised', 'w.kurtosis_winsorised') }}
                then 'winsorise'
            when b.min_value >= 0 then 'log'
            else 'winsorise'
        end as treatment
    from before_treatment as b
    left join winsorised_check as w
        on w.goalpost_pool = b.goalpost_pool and w.as_of_year = b.as_of_year and w.indicator_code = b.indicator_code
),

goalposts as (
    select
        pool_values.goalpost_pool,
        pool_values.as_of_year,
        pool_values.indicator_code,
        min({{ index_treat_outlier('rules.treatment', 'pool_values.indicator_value', 'rules.p02_value', 'rules.p98_value') }}) as goalpost_min,
        max({{ index_treat_outlier('rules.treatment', 'pool_values.indicator_value', 'rules.p02_value', 'rules.p98_value') }}) as goalpost_max
    from pool_values
    inner join rules
        on rules.goalpost_pool = pool_values.goalpost_pool
        and rules.as_of_year = pool_values.as_of_year
        and rules.indicator_code = pool_values.indicator_code
    group by pool_values.goalpost_pool, pool_values.as_of_year, pool_values.indicator_code
),

-- each city's value as known in the as-of year: observed that year, or carried forward
latest as (
    select
        available.as_of_year,
        observed.city_code,
        observed.indicator_code,
        max(observed.year) as source_year
    from available
    inner join observed
        on observed.indicator_code = available.indicator_code
        and observed.year <= available.as_of_year
        and observed.year >= available.as_of_year
            - case when available.may_carry_forward then {{ cap }} else 0 end
    group by available.as_of_year, observed.city_code, observed.indicator_code
),

valued as (
    select
        latest.as_of_year,
        latest.city_code,
        latest.indicator_code,
        latest.source_year,
        observed.indicator_value
    from latest
    inner join observed
        on observed.city_code = latest.city_code
        and observed.indicator_code = latest.indicator_code
        and observed.year = latest.source_year
)

select
    pools.goalpost_pool,
    valued.as_of_year,
    valued.city_code,
    available.pillar,
    available.pillar_weight,
    valued.indicator_code,
    available.weight,
    valued.source_year,
    valued.source_year < valued.as_of_year as is_imputed,
    valued.indicator_value,
    rules.treatment,
    goalposts.goalpost_min,
    goalposts.goalpost_max,
    case
        when goalposts.goalpost_max > goalposts.goalpost_min then
            least(greatest(100.0 * case when available.direction = -1
                then goalposts.goalpost_max - {{ index_treat_outlier('rules.treatment', 'valued.indicator_value', 'rules.p02_value', 'rules.p98_value') }}
                else {{ index_treat_outlier('rules.treatment', 'valued.indicator_value', 'rules.p02_value', 'rules.p98_value') }} - goalposts.goalpost_min end
            / (goalposts.goalpost_max - goalposts.goalpost_min), 0), 100)
    end as min_max_score
from valued
cross join pools
inner join available
    on available.as_of_year = valued.as_of_year and available.indicator_code = valued.indicator_code
inner join rules
    on rules.goalpost_pool = pools.goalpost_pool
    and rules.as_of_year = valued.as_of_year
    and rules.indicator_code = valued.indicator_code
inner join goalposts
    on goalposts.goalpost_pool = pools.goalpost_pool
    and goalposts.as_of_year = valued.as_of_year
    and goalposts.indicator_code = valued.indicator_code
