-- Headline claims about Hefei (mostly from The Economist, 2023) with the figures found when
-- checking them. A check list, not a statistical series.
with source as (
    select * from {{ ref('hefei_claims') }}
)

select
    cast(record_id as varchar)             as record_id,
    cast(geography_level as varchar)       as geography_level,
    cast(city_code as varchar)             as city_code,
    cast(metric_code as varchar)           as metric_code,
    cast(year_text as varchar)             as year_text,
    cast(year_from as integer)             as year_from,
    cast(year_to as integer)               as year_to,
    cast(claimed_value as double)          as claimed_value,
    cast(value_qualifier as varchar)       as value_qualifier,
    cast(unit as varchar)                  as unit,
    cast(second_value as double)           as second_value,
    cast(second_unit as varchar)           as second_unit,
    cast(claim_source as varchar)          as claim_source,
    cast(status as varchar)                as status,
    cast(verifying_source_url as varchar)  as verifying_source_url,
    cast(source_id as varchar)             as source_id
from source
