-- Claim check: Hefei is "about 470 km from Shanghai" (project brief; the sources found say
-- 250-300 miles). Compared with the great-circle distance between the two city seats from the
-- city dimension's coordinates. Road and rail distances are longer than great-circle ones.
-- A claim holds when it is within 10% of the great-circle distance.
-- Output: claim, warehouse_figure (km), holds, note.
{% set hefei_code = '340100' %}

with distance as (
    select distance_to_shanghai_km
    from {{ ref('dim_city') }}
    where city_code = '{{ hefei_code }}'
),

claims as (
    select 'Hefei is about 470 km from Shanghai (project brief)' as claim, 470.0 as claimed_km
    union all
    select 'Hefei is about ' || cast(claimed_value as varchar) || ' km from Shanghai (250-300 miles in the sources found)',
        claimed_value
    from {{ ref('stg_policy__hefei_claims') }}
    where city_code = '{{ hefei_code }}'
      and metric_code = 'distance_to_shanghai'
)

select
    claims.claim,
    distance.distance_to_shanghai_km as warehouse_figure,
    case
        when distance.distance_to_shanghai_km is null then 'unverifiable'
        when abs(claims.claimed_km / distance.distance_to_shanghai_km - 1) <= 0.10 then 'true'
        else 'false'
    end as holds,
    'Great-circle distance between the city seats: ' || cast(round(distance.distance_to_shanghai_km, 0) as varchar)
        || ' km; the claim is ' || cast(round((claims.claimed_km / distance.distance_to_shanghai_km - 1) * 100, 0) as varchar)
        || '% off (within 10% counts as holding).' as note
from claims
cross join distance
order by claims.claimed_km desc
