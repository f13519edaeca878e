-- Comprehensive national science centres, innovation centres, bids and Hefei's big science
-- facilities. Dates keep the precision the source gave; nothing is completed.
with source as (
    select * from {{ ref('science_centres') }}
)

select
    cast(record_id as {{ dbt.type_string() }})        as record_id,
    cast(geography_level as {{ dbt.type_string() }})  as geography_level,
    cast(city_code as {{ dbt.type_string() }})        as city_code,
    cast(item_type as {{ dbt.type_string() }})        as item_type,
    cast(name_zh as {{ dbt.type_string() }})          as name_zh,
    cast(name_en as {{ dbt.type_string() }})          as name_en,
    cast(status as {{ dbt.type_string() }})           as status,
    cast(approval_date as {{ dbt.type_string() }})    as approval_date_text,
    cast(date_precision as {{ dbt.type_string() }})   as date_precision,
    cast(approval_year as integer)    as approval_year,
    cast(as_of as {{ dbt.type_string() }})            as as_of,
    cast(metric as {{ dbt.type_string() }})           as metric,
    cast(value as double)             as metric_value,
    cast(source_url as {{ dbt.type_string() }})       as source_url,
    cast(source_type as {{ dbt.type_string() }})      as source_type,
    cast(verification as {{ dbt.type_string() }})     as verification,
    cast(source_id as {{ dbt.type_string() }})        as source_id
from source
