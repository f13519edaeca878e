-- Claim check: Hefei's "disposable income comfortably exceeds China's urban average"
-- (The Economist, 2023). No city-level disposable-income series exists in the raw data, so the
-- claim itself is unverifiable here. The warehouse's city income measure is a PROXY: the average
-- wage of on-post staff in urban non-private units, divided by the national average wage of the
-- same year (latest year with both). The national urban disposable income the claim refers to is
-- checked against the curated release figure.
-- Output: claim, warehouse_figure, holds, note.
{% set hefei_code = '340100' %}

with wage_ratio as (
    select year, avg_wage_cny, national_avg_wage_cny, avg_wage_ratio_to_national
    from {{ ref('fct_city_year_panel') }}
    where city_code = '{{ hefei_code }}'
      and avg_wage_ratio_to_national is not null
),

latest_wage_ratio as (
    select *
    from wage_ratio
    where year = (select max(year) from wage_ratio)
),

national_urban_income_claim as (
    select claimed_value, year_to as year
    from {{ ref('stg_policy__hefei_claims') }}
    where metric_code = 'urban_residents_per_capita_disposable_income'
),

national_urban_income as (
    select c.year, c.claimed_value, n.value as warehouse_value
    from national_urban_income_claim as c
    left join {{ ref('stg_seeds__national_benchmarks') }} as n
        on n.year = c.year
        and n.indicator_code = 'urban_disposable_income_per_capita_cny'
        and n.is_primary
)

select
    'Hefei disposable income comfortably exceeds the national urban average (The Economist 2023)' as claim,
    cast(null as double) as warehouse_figure,
    'unverifiable' as holds,
    'No city-level disposable-income series in the raw data; see the average-wage proxy row.' as note

union all

select
    'Proxy: Hefei average wage above the national average wage, ' || cast(year as varchar),
    avg_wage_ratio_to_national,
    case when avg_wage_ratio_to_national > 1 then 'true' else 'false' end,
    'PROXY, not disposable income: average wage ' || cast(round(avg_wage_cny, 0) as varchar)
        || ' CNY vs national ' || cast(round(national_avg_wage_cny, 0) as varchar)
        || ' CNY (ratio ' || cast(round(avg_wage_ratio_to_national, 3) as varchar)
        || '); wages cover formal urban employees only.'
from latest_wage_ratio

union all

select
    'National urban per-capita disposable income ' || cast(year as varchar) || ' was '
        || cast(claimed_value as varchar) || ' CNY (NBS release, curated)',
    warehouse_value,
    case
        when warehouse_value is null then 'unverifiable'
        when abs(warehouse_value - claimed_value) < 0.5 then 'true'
        else 'false'
    end,
    'The benchmark the claim compares against, from the national series (CNY per person).'
from national_urban_income
