-- Each scenario's assumptions with its weights packed as lists in the same order as
-- int_index__scenario_pillar_inputs (pillar, then indicator code): one row per scenario.
with weights as (
    select scenario_id, pillar, indicator_code, indicator_weight, pillar_weight
    from {{ ref('int_index__scenario_weights') }}
),

per_pillar as (
    select
        scenario_id,
        pillar,
        {{ index_list_agg('indicator_weight', 'indicator_code') }} as indicator_weights,
        max(pillar_weight) as pillar_weight
    from weights
    group by scenario_id, pillar
),

per_scenario as (
    select
        scenario_id,
        {{ index_list_agg('indicator_weights', 'pillar') }} as indicator_weights,
        {{ index_list_agg('pillar_weight', 'pillar') }} as pillar_weights
    from per_pillar
    group by scenario_id
)

select
    scenarios.scenario_id,
    scenarios.normalisation,
    scenarios.imputation,
    scenarios.aggregation,
    per_scenario.indicator_weights,
    per_scenario.pillar_weights
from {{ ref('int_index__scenarios') }} as scenarios
inner join per_scenario on per_scenario.scenario_id = scenarios.scenario_id
