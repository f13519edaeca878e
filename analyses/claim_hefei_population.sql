-- Claim check: "Home to about 9.6m people" (The Economist, 2023).
-- Compared with the resident population (常住人口, year end, 10k persons) in the city panel,
-- for the claim's reference year and for the latest year in the warehouse. "About" is read as
-- within 5% of the claimed figure. The claim's million persons are converted to 10k persons once.
-- Output: claim, warehouse_figure (10k persons), holds ('true' / 'false' / 'unverifiable'), note.
{% set hefei_code = '340100' %}

with claim as (
    select
        claimed_value * 100 as claimed_population_10k,
        year_to             as claim_year
    from {{ ref('stg_policy__hefei_claims') }}
    where city_code = '{{ hefei_code }}'
      and metric_code = 'population'
),

population as (
    select year, resident_population_10k
    from {{ ref('fct_city_year_panel') }}
    where city_code = '{{ hefei_code }}'
      and resident_population_10k is not null
),

checked_years as (
    select claim.claim_year as year, 'claim year' as which_year
    from claim
    union all
    select max(year), 'latest year in the warehouse'
    from population
),

checks as (
    select
        checked_years.year,
        checked_years.which_year,
        claim.claimed_population_10k,
        population.resident_population_10k
    from checked_years
    cross join claim
    left join population
        on checked_years.year = population.year
)

select
    'Hefei has about 9.6m residents (The Economist 2023); ' || which_year || ' ' || cast(year as varchar)
        as claim,
    resident_population_10k as warehouse_figure,
    case
        when resident_population_10k is null then 'unverifiable'
        when abs(resident_population_10k / claimed_population_10k - 1) <= 0.05 then 'true'
        else 'false'
    end as holds,
    case
        when resident_population_10k is null
            then 'No resident population in the panel for this year.'
        else 'Resident population (year end) ' || cast(round(resident_population_10k, 1) as varchar)
            || ' x10k persons, ' || cast(round((resident_population_10k / claimed_population_10k - 1) * 100, 1) as varchar)
            || '% from the claimed 960 x10k; "about" taken as within 5%.'
    end as note
from checks
order by year
