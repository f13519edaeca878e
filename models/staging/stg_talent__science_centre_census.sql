-- Comprehensive national science centres from the 2026 census, one row per city named.
select
    cast(city_code as {{ dbt.type_string() }})   as city_code,
    cast(item_type as {{ dbt.type_string() }})   as item_type,
    cast(status as {{ dbt.type_string() }})      as status,
    cast(approval_year as integer)               as approval_year,
    cast(approval_month as integer)              as approval_month,
    cast(source_url as {{ dbt.type_string() }})  as source_url,
    cast(source_id as {{ dbt.type_string() }})   as source_id
from {{ ref('science_centre_census') }}
