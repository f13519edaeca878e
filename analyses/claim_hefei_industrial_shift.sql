-- Claim check: strategic emerging industries (SEI) are "over 56% of Hefei's industrial output,
-- compared with less than 27% in 2013" (The Economist, 2023). No city panel of SEI shares exists;
-- the only official figure found is 54.9% for 2022 (share of output of industrial enterprises
-- above designated size), kept in the curated claims.
-- Output: claim, warehouse_figure (percent), holds, note.
{% set hefei_code = '340100' %}

with sei as (
    select year_to as year, claimed_value, value_qualifier, second_value
    from {{ ref('stg_policy__hefei_claims') }}
    where city_code = '{{ hefei_code }}'
      and metric_code = 'strategic_emerging_industries_share_industrial_output'
)

select
    'SEI are over ' || cast(claimed_value as varchar) || '% of Hefei industrial output, '
        || cast(year as varchar) || ' (The Economist 2023)' as claim,
    second_value as warehouse_figure,
    case
        when second_value is null then 'unverifiable'
        when value_qualifier = 'lower_bound' and second_value > claimed_value then 'true'
        else 'false'
    end as holds,
    'Official figure ' || cast(second_value as varchar)
        || '% (above-size industrial output, 2022); the claim may use another base or a later year.' as note
from sei
where value_qualifier = 'lower_bound'

union all

select
    'SEI were under ' || cast(claimed_value as varchar) || '% of Hefei industrial output in '
        || cast(year as varchar) || ' (The Economist 2023)',
    second_value,
    case
        when second_value is null then 'unverifiable'
        when second_value < claimed_value then 'true'
        else 'false'
    end,
    'No official SEI share for that year was found, and no city SEI series exists in the raw data.'
from sei
where value_qualifier = 'upper_bound'
