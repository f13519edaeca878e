-- One row per city with at least one known state-capital bet. Aggregate ledger rows (which
-- summarise many bets) are left out so no bet is counted twice. County-level bets count for the
-- prefecture that contains them. Only CNY amounts are summed; USD rows are counted apart.
with bets as (
    select *
    from {{ ref('stg_policy__state_investments') }}
    where outcome <> 'aggregate'
      and city_code is not null
),

cities as (
    select city_code, name_zh, name_en, province_code, province_name_en, is_inland
    from {{ ref('stg_seeds__cities') }}
),

per_city as (
    select
        city_code,
        count(*)                                                        as n_bets,
        sum(amount_cny_bn)                                              as total_committed_cny_bn,
        sum(case when amount_cny_bn is not null then 1 else 0 end)      as n_bets_with_cny_amount,
        sum(case when currency is not null and currency <> 'CNY' then 1 else 0 end) as n_bets_non_cny,
        sum(case when amount_original_bn is null then 1 else 0 end)     as n_bets_without_amount,
        sum(case when outcome = 'success' then 1 else 0 end)            as n_successes,
        sum(case when outcome = 'failure' then 1 else 0 end)            as n_failures,
        sum(case when outcome = 'ongoing' then 1 else 0 end)            as n_ongoing,
        sum(case when outcome = 'unknown' then 1 else 0 end)            as n_outcome_unknown,
        min(start_year)                                                 as first_bet_year,
        max(start_year)                                                 as last_bet_year
    from bets
    group by city_code
)

select
    p.city_code,
    c.name_zh                                         as city_name_zh,
    c.name_en                                         as city_name_en,
    c.province_code,
    c.province_name_en,
    c.is_inland,
    cast(p.n_bets as integer)                         as n_bets,
    cast(p.total_committed_cny_bn as double)         as total_committed_cny_bn,
    cast(p.n_bets_with_cny_amount as integer)         as n_bets_with_cny_amount,
    cast(p.n_bets_non_cny as integer)                 as n_bets_non_cny,
    cast(p.n_bets_without_amount as integer)          as n_bets_without_amount,
    -- an outcome is known once a bet has succeeded or failed; ongoing bets are still open
    cast(p.n_successes + p.n_failures as integer)     as n_known_outcome,
    cast(p.n_successes as integer)                    as n_successes,
    cast(p.n_failures as integer)                     as n_failures,
    cast(p.n_ongoing as integer)                      as n_ongoing,
    cast(p.n_outcome_unknown as integer)              as n_outcome_unknown,
    case
        when p.n_successes + p.n_failures > 0
            then 100 * cast(p.n_failures as double) / (p.n_successes + p.n_failures)
    end                                               as failure_share_pct,
    cast(p.first_bet_year as integer)                 as first_bet_year,
    cast(p.last_bet_year as integer)                  as last_bet_year
from per_city as p
inner join cities as c
    on p.city_code = c.city_code
