-- The ledger must keep the well-documented failed bets, not only the successes: returns each
-- expected failure that is missing or not recorded as a failure.
with expected as (
    select 'SI040' as record_id, 'Wuhan HSMC' as bet
    union all select 'SI041', 'Huai''an Dehuai'
    union all select 'SI043', 'Guizhou Huaxintong'
    union all select 'SI044', 'GlobalFoundries Chengdu'
)

select e.record_id, e.bet, f.outcome
from expected as e
left join {{ ref('fct_state_investment') }} as f
    on e.record_id = f.record_id
where f.outcome is null or f.outcome <> 'failure'
