-- One row per year 2000-2023 with the national figures the city marts compare against: the
-- national average wage (benchmark for the city income proxy) and a national GDP price level
-- chained from the yearly deflator growth, expressed with 2023 = 1 so that city GDP per head of
-- different years can be put in 2023 prices. Primary national rows only.
{% set first_year = 2000 %}
{% set last_year = 2023 %}

with years as (
    select cast(generated_number + {{ first_year - 1 }} as integer) as year
    from ({{ dbt.generate_series(last_year - first_year + 1) }}) as series
),

national as (
    select
        year,
        indicator_code,
        value
    from {{ ref('stg_seeds__national_benchmarks') }}
    where is_primary
),

pivoted as (
    select
        years.year,
        max(case when national.indicator_code = 'avg_wage_cny' then national.value end)            as national_avg_wage_cny,
        max(case when national.indicator_code = 'gdp_deflator_growth_pct' then national.value end) as gdp_deflator_growth_pct
    from years
    left join national
        on years.year = national.year
    group by years.year
),

-- price level with the first year = 1: the product of (1 + growth) over the later years, taken
-- as a sum of logs; a gap in the growth series makes that year's and every later level null
chained as (
    select
        year,
        national_avg_wage_cny,
        gdp_deflator_growth_pct,
        sum(case when year > {{ first_year }} and gdp_deflator_growth_pct is not null then 1 else 0 end) over (
            order by year rows between unbounded preceding and current row
        ) as n_growth_years,
        sum(case when year > {{ first_year }} then ln(1 + gdp_deflator_growth_pct / 100) else 0 end) over (
            order by year rows between unbounded preceding and current row
        ) as log_price_level
    from pivoted
),

price_levels as (
    select
        year,
        national_avg_wage_cny,
        gdp_deflator_growth_pct,
        case
            when n_growth_years = year - {{ first_year }} then exp(log_price_level)
        end as price_level_first_year_eq_1
    from chained
),

final as (
    select
        year,
        national_avg_wage_cny,
        gdp_deflator_growth_pct,
        price_level_first_year_eq_1 / max(case when year = {{ last_year }} then price_level_first_year_eq_1 end) over ()
            as gdp_price_level_2023_eq_1
    from price_levels
)

select * from final
