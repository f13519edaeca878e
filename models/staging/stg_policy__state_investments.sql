-- The state-capital ledger: venture-style bets by city, provincial and district vehicles,
-- successes and failures alike. Amounts stay in the currency the source used: CNY amounts in
-- amount_cny_bn, USD amounts in amount_usd_bn; no exchange-rate conversion is made.
with source as (
    select * from {{ ref('state_investments') }}
)

select
    cast(record_id as varchar)                  as record_id,
    cast(geography_level as varchar)            as geography_level,
    cast(place_name as varchar)                 as place_name,
    cast(city_code as varchar)                  as city_code,
    cast(province_code as varchar)              as province_code,
    cast(investor_vehicle as varchar)           as investor_vehicle,
    cast(investor_level as varchar)             as investor_level,
    cast(investee as varchar)                   as investee,
    cast(industry as varchar)                   as industry,
    cast(year as integer)                       as start_year,
    cast(year_end as integer)                   as end_year,
    cast(year_text as varchar)                  as year_text,
    cast(currency as varchar)                   as currency,
    cast(amount_bn as double)                   as amount_original_bn,
    cast(amount_qualifier as varchar)           as amount_qualifier,
    cast(amount_cny_bn as double)               as amount_cny_bn,
    case when currency = 'USD' then cast(amount_bn as double) end as amount_usd_bn,
    cast(amount_basis as varchar)               as amount_basis,
    cast(stake_pct as double)                   as stake_pct,
    cast(stake_pct_qualifier as varchar)        as stake_pct_qualifier,
    cast(stake_pct_later as double)             as stake_pct_later,
    cast(outcome as varchar)                    as outcome,
    cast(return_multiple as double)             as return_multiple,
    cast(return_multiple_qualifier as varchar)  as return_multiple_qualifier,
    cast(source_url as varchar)                 as source_url,
    cast(source_type as varchar)                as source_type,
    cast(verification as varchar)               as verification,
    cast(source_id as varchar)                  as source_id
from source
