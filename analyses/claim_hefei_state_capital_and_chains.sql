-- Claim check: Hefei's state-capital bets and chain-boss system as the article and the brief
-- describe them: NIO (5bn yuan in 2020, up to 5.5x back), BOE ($5.2bn in 2008), 12 chains.
-- Output: claim, warehouse_figure, holds, note.
{% set hefei_code = '340100' %}

with nio as (
    select start_year, amount_cny_bn, outcome, return_multiple, return_multiple_qualifier, verification
    from {{ ref('fct_state_investment') }}
    where city_code = '{{ hefei_code }}'
      and investee = 'NIO China'
      and amount_basis = 'pledged_for_stake'
),

boe_2008 as (
    select min(amount_cny_bn) as amount_cny_bn, count(*) as n_rows
    from {{ ref('fct_state_investment') }}
    where city_code = '{{ hefei_code }}'
      and investee like 'BOE%'
      and start_year = 2008
      and amount_cny_bn is not null
),

chains as (
    select adoption_year, num_chains
    from {{ ref('fct_chain_boss_adoption') }}
    where city_code = '{{ hefei_code }}'
      and admin_level = 'city'
)

select
    'Hefei put 5bn yuan into NIO in 2020 (The Economist 2023)' as claim,
    amount_cny_bn as warehouse_figure,
    case when amount_cny_bn = 5 and start_year = 2020 then 'true' else 'false' end as holds,
    'Ledger: ' || cast(amount_cny_bn as varchar) || ' CNY bn pledged for a 17% stake in NIO''s China business, '
        || cast(start_year as varchar) || ' (' || verification || ').' as note
from nio

union all

select
    'Hefei made up to 5.5 times its NIO investment',
    return_multiple,
    case when return_multiple = 5.5 and outcome = 'success' then 'true' else 'false' end,
    'Return multiple ' || cast(return_multiple as varchar) || ' (' || return_multiple_qualifier || '), outcome '
        || outcome || '.'
from nio

union all

select
    'Hefei bet $5.2bn on BOE in 2008 (project brief)',
    cast(null as double),
    'unverifiable',
    'No source found for $5.2bn. The ledger''s 2008-2009 BOE row has ' || coalesce(cast(amount_cny_bn as varchar), 'no')
        || ' CNY bn put in by two city platforms (single source on a weak host).'
from boe_2008

union all

select
    'Hefei runs 12 industrial chains under a chain boss (from 2020)',
    cast(num_chains as double),
    case when num_chains = 12 then 'true' else 'false' end,
    'Chain-boss system adopted ' || cast(adoption_year as varchar) || ' with '
        || cast(num_chains as varchar) || ' chains at adoption.'
from chains
