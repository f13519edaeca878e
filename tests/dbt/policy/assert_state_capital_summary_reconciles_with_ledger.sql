-- Every city's bet count and CNY total in the summary must equal what the ledger holds for it
-- (aggregate rows excluded). Returns the cities where they differ.
with ledger as (
    select
        city_code,
        count(*)           as n_bets,
        sum(amount_cny_bn) as total_cny_bn
    from {{ ref('fct_state_investment') }}
    where not is_aggregate
      and city_code is not null
    group by city_code
)

select
    coalesce(l.city_code, s.city_code) as city_code,
    l.n_bets       as ledger_bets,
    s.n_bets       as summary_bets,
    l.total_cny_bn as ledger_cny_bn,
    s.total_committed_cny_bn as summary_cny_bn
from ledger as l
full outer join {{ ref('city_state_capital_summary') }} as s
    on l.city_code = s.city_code
where l.city_code is null
   or s.city_code is null
   or l.n_bets <> s.n_bets
   or abs(coalesce(l.total_cny_bn, 0) - coalesce(s.total_committed_cny_bn, 0)) > 1e-9
