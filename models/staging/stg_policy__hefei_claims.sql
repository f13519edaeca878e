-- Headline claims about Hefei (mostly from The Economist, 2023) with the figures found when
-- checking them. A check list, not a statistical series.
with source as (
    select * from {{ ref('hefei_claims') }}
)

select
    cast(record_id as {{ dbt.type_string() }})             as record_id,
    cast(geography_level as {{ dbt.type_string() }})       as geography_level,
    cast(city_code as {{ dbt.type_string() }})             as city_code,
    cast(metric_code as {{ dbt.type_string() }})           as metric_code,
    cast(year_text as {{ dbt.type_string() }})             as year_text,
    cast(year_from as integer)             as year_from,
    cast(year_to as integer)               as year_to,
    cast(claimed_value as double)          as claimed_value,
    cast(value_qualifier as {{ dbt.type_string() }})       as value_qualifier,
    cast(unit as {{ dbt.type_string() }})                  as unit,
    cast(second_value as double)           as second_value,
    cast(second_unit as {{ dbt.type_string() }})           as second_unit,
    cast(claim_source as {{ dbt.type_string() }})          as claim_source,
    cast(status as {{ dbt.type_string() }})                as status,
    cast(verifying_source_url as {{ dbt.type_string() }})  as verifying_source_url,
    cast(source_id as {{ dbt.type_string() }})             as source_id
from source
