-- Government guidance funds: national totals from published research and announced targets
-- of individual city and provincial funds (targets, not paid-in capital).
with source as (
    select * from {{ ref('guidance_funds') }}
)

select
    cast(record_id as {{ dbt.type_string() }})                  as record_id,
    cast(scope as {{ dbt.type_string() }})                      as scope,
    cast(geography as {{ dbt.type_string() }})                  as geography,
    cast(city_code as {{ dbt.type_string() }})                  as city_code,
    cast(province_code as {{ dbt.type_string() }})              as province_code,
    cast(fund_name as {{ dbt.type_string() }})                  as fund_name,
    cast(sponsor_vehicle as {{ dbt.type_string() }})            as sponsor_vehicle,
    cast(year_established as integer)           as year_established,
    cast(announced_on as {{ dbt.type_string() }})               as announced_on,
    cast(as_of as {{ dbt.type_string() }})                      as as_of,
    cast(target_size_cny_bn as double)          as target_size_cny_bn,
    cast(gov_contribution_cny_bn as double)     as gov_contribution_cny_bn,
    cast(number_of_funds as integer)            as number_of_funds,
    cast(number_is_lower_bound as boolean)      as number_of_funds_is_lower_bound,
    cast(share_reaching_target_pct as double)   as share_reaching_target_pct,
    cast(source_url as {{ dbt.type_string() }})                 as source_url,
    cast(source_type as {{ dbt.type_string() }})                as source_type,
    cast(verification as {{ dbt.type_string() }})               as verification,
    cast(source_id as {{ dbt.type_string() }})                  as source_id
from source
