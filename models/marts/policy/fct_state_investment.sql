-- The state-capital ledger with city names: every known bet, successes and failures side by
-- side, plus a few aggregate rows (flagged) that summarise many bets at once.
with investments as (
    select * from {{ ref('stg_policy__state_investments') }}
),

cities as (
    select city_code, name_zh, name_en, province_name_zh, province_name_en, is_inland
    from {{ ref('stg_seeds__cities') }}
)

select
    i.record_id,
    i.city_code,
    c.name_zh                                   as city_name_zh,
    c.name_en                                   as city_name_en,
    i.province_code,
    c.province_name_zh,
    c.province_name_en,
    c.is_inland,
    i.geography_level,
    i.place_name,
    i.investor_vehicle,
    i.investor_level,
    i.investee,
    i.industry,
    i.start_year,
    i.end_year,
    i.year_text,
    i.currency,
    i.amount_original_bn,
    i.amount_qualifier,
    i.amount_cny_bn,
    i.amount_usd_bn,
    i.amount_basis,
    i.stake_pct,
    i.stake_pct_qualifier,
    i.stake_pct_later,
    i.outcome,
    i.outcome = 'aggregate'                     as is_aggregate,
    i.return_multiple,
    i.return_multiple_qualifier,
    i.source_url,
    i.source_type,
    i.verification,
    i.source_id
from investments as i
left join cities as c
    on i.city_code = c.city_code
