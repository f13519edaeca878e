-- Comprehensive national science centres, innovation centres, bids and Hefei's big science
-- facilities. Dates keep the precision the source gave; nothing is completed.
with source as (
    select * from {{ ref('science_centres') }}
)

select
    cast(record_id as varchar)        as record_id,
    cast(geography_level as varchar)  as geography_level,
    cast(city_code as varchar)        as city_code,
    cast(item_type as varchar)        as item_type,
    cast(name_zh as varchar)          as name_zh,
    cast(name_en as varchar)          as name_en,
    cast(status as varchar)           as status,
    cast(approval_date as varchar)    as approval_date_text,
    cast(date_precision as varchar)   as date_precision,
    cast(approval_year as integer)    as approval_year,
    cast(as_of as varchar)            as as_of,
    cast(metric as varchar)           as metric,
    cast(value as double)             as metric_value,
    cast(source_url as varchar)       as source_url,
    cast(source_type as varchar)      as source_type,
    cast(verification as varchar)     as verification,
    cast(source_id as varchar)        as source_id
from source
