-- Government guidance funds: national totals from published research and announced targets
-- of individual city and provincial funds (targets, not paid-in capital).
with source as (
    select * from {{ ref('guidance_funds') }}
)

select
    cast(record_id as varchar)                  as record_id,
    cast(scope as varchar)                      as scope,
    cast(geography as varchar)                  as geography,
    cast(city_code as varchar)                  as city_code,
    cast(province_code as varchar)              as province_code,
    cast(fund_name as varchar)                  as fund_name,
    cast(sponsor_vehicle as varchar)            as sponsor_vehicle,
    cast(year_established as integer)           as year_established,
    cast(announced_on as varchar)               as announced_on,
    cast(as_of as varchar)                      as as_of,
    cast(target_size_cny_bn as double)          as target_size_cny_bn,
    cast(gov_contribution_cny_bn as double)     as gov_contribution_cny_bn,
    cast(number_of_funds as integer)            as number_of_funds,
    cast(number_is_lower_bound as boolean)      as number_of_funds_is_lower_bound,
    cast(share_reaching_target_pct as double)   as share_reaching_target_pct,
    cast(source_url as varchar)                 as source_url,
    cast(source_type as varchar)                as source_type,
    cast(verification as varchar)               as verification,
    cast(source_id as varchar)                  as source_id
from source
