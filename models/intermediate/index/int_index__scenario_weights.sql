-- Indicator and pillar weights of each scenario: the catalogue's nominal weight, multiplied
-- in scenarios that vary weights by a factor drawn uniformly in [1 - noise, 1 + noise]
-- (noise 0.25 by default, var index_weight_noise). The indicator a scenario drops weighs 0.
{%- set noise = var('index_weight_noise', 0.25) %}
with scenarios as (
    select scenario_id, varies_weights, dropped_indicator from {{ ref('int_index__scenarios') }}
),

draws as (
    select scenario_id, factor, draw from {{ ref('int_index__scenario_draws') }}
),

catalogue as (
    select indicator_code, pillar, weight, pillar_weight from {{ ref('int_index__catalogue') }}
)

select
    scenarios.scenario_id,
    catalogue.indicator_code,
    catalogue.pillar,
    case
        when scenarios.dropped_indicator = catalogue.indicator_code then 0
        when scenarios.varies_weights
            then catalogue.weight * (1 + {{ noise }} * (2 * indicator_draw.draw - 1))
        else catalogue.weight
    end as indicator_weight,
    case when scenarios.varies_weights
        then catalogue.pillar_weight * (1 + {{ noise }} * (2 * pillar_draw.draw - 1))
        else catalogue.pillar_weight
    end as pillar_weight
from scenarios
cross join catalogue
inner join draws as indicator_draw
    on indicator_draw.scenario_id = scenarios.scenario_id
    and indicator_draw.factor = 'weight:' || catalogue.indicator_code
inner join draws as pillar_draw
    on pillar_draw.scenario_id = scenarios.scenario_id
    and pillar_draw.factor = 'pillar_weight:' || catalogue.pillar
