-- The state-capital ledger: venture-style bets by city, provincial and district vehicles,
-- successes and failures alike. Amounts stay in the currency the source used: CNY amounts in
-- amount_cny_bn, USD amounts in amount_usd_bn; no exchange-rate conversion is made.
with source as (
    select * from {{ ref('state_investments') }}
)

select
    cast(record_id as {{ dbt.type_string() }})                  as record_id,
    cast(geography_level as {{ dbt.type_string() }})            as geography_level,
    cast(place_name as {{ dbt.type_string() }})                 as place_name,
    cast(city_code as {{ dbt.type_string() }})                  as city_code,
    cast(province_code as {{ dbt.type_string() }})              as province_code,
    cast(investor_vehicle as {{ dbt.type_string() }})           as investor_vehicle,
    cast(investor_level as {{ dbt.type_string() }})             as investor_level,
    cast(investee as {{ dbt.type_string() }})                   as investee,
    cast(industry as {{ dbt.type_string() }})                   as industry,
    cast(year as integer)                       as start_year,
    cast(year_end as integer)                   as end_year,
    cast(year_text as {{ dbt.type_string() }})                  as year_text,
    cast(currency as {{ dbt.type_string() }})                   as currency,
    cast(amount_bn as double)                   as amount_original_bn,
    cast(amount_qualifier as {{ dbt.type_string() }})           as amount_qualifier,
    cast(amount_cny_bn as double)               as amount_cny_bn,
    case when currency = 'USD' then cast(amount_bn as double) end as amount_usd_bn,
    cast(amount_basis as {{ dbt.type_string() }})               as amount_basis,
    cast(stake_pct as double)                   as stake_pct,
    cast(stake_pct_qualifier as {{ dbt.type_string() }})        as stake_pct_qualifier,
    cast(stake_pct_later as double)             as stake_pct_later,
    cast(outcome as {{ dbt.type_string() }})                    as outcome,
    cast(return_multiple as double)             as return_multiple,
    cast(return_multiple_qualifier as {{ dbt.type_string() }})  as return_multiple_qualifier,
    cast(source_url as {{ dbt.type_string() }})                 as source_url,
    cast(source_type as {{ dbt.type_string() }})                as source_type,
    cast(verification as {{ dbt.type_string() }})               as verification,
    cast(source_id as {{ dbt.type_string() }})                  as source_id
from source
