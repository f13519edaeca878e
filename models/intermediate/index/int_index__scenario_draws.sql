-- One pseudo-random number in [0, 1) per scenario and uncertain factor, from a hash of the
-- pair, so every build draws exactly the same scenarios. Factors: the normalisation method,
-- the missing-data treatment (carry-forward on/off), the aggregation method, which indicator
-- (if any) is dropped, and one weight per indicator and per pillar. Scenario 0 is the
-- nominal index; 1..N vary everything at once (Monte Carlo); the ids after N vary one factor
-- only (weights in M draws, each switch once, then each droppable indicator dropped once)
-- to measure its own effect.
{%- set n = var('index_n_scenarios', 1000) %}
{%- set m = var('index_n_weight_only_scenarios', 200) %}
with catalogue as (
    select indicator_code, pillar, n_indicators_in_pillar from {{ ref('int_index__catalogue') }}
),

scenario_ids as (
    select n as scenario_id
    from {{ index_integer_series(0, (n + m + 3) ~ ' + (select count(*) from ' ~ ref('int_index__catalogue') ~ ' where n_indicators_in_pillar > 1)') }}
),

factors as (
    select 'normalisation' as factor
    union all select 'imputation'
    union all select 'aggregation'
    union all select 'drop_indicator'
    union all select distinct 'weight:' || indicator_code from catalogue
    union all select distinct 'pillar_weight:' || pillar from catalogue
)

select
    scenario_ids.scenario_id,
    case
        when scenario_ids.scenario_id = 0 then 'nominal'
        when scenario_ids.scenario_id <= {{ n }} then 'monte_carlo'
        else 'one_at_a_time'
    end as design,
    case
        when scenario_ids.scenario_id = 0 then 'none'
        when scenario_ids.scenario_id <= {{ n }} then 'all'
        when scenario_ids.scenario_id <= {{ n + m }} then 'weights'
        when scenario_ids.scenario_id = {{ n + m + 1 }} then 'normalisation'
        when scenario_ids.scenario_id = {{ n + m + 2 }} then 'imputation'
        when scenario_ids.scenario_id = {{ n + m + 3 }} then 'aggregation'
        else 'drop_indicator'
    end as varied_factor,
    factors.factor,
    {{ index_uniform('scenario_ids.scenario_id', 'factors.factor') }} as draw
from scenario_ids
cross join factors
