-- One outlier treatment in every normalisation: min-max scores lie in [0, 100] and T-scores
-- (z capped at +/-3) in [20, 80], for every indicator, and therefore every pillar score of
-- every scenario stays inside the band of its normalisation.
{%- set cap = var('index_z_cap', 3) %}
select 'indicator score outside its band' as problem, indicator_code as item, min(t_score) as low, max(t_score) as high
from {{ ref('int_index__normalised') }}
group by indicator_code
having min(t_score) < 50 - 10 * {{ cap }} or max(t_score) > 50 + 10 * {{ cap }}
    or min(min_max_score) < 0 or max(min_max_score) > 100
union all
select 'pillar score outside its band', {{ dbt.concat(["cast(pillar_scores.scenario_id as " ~ dbt.type_string() ~ ")", "':'", "pillar_scores.pillar"]) }},
    min(pillar_scores.pillar_score), max(pillar_scores.pillar_score)
from {{ ref('int_index__scenario_pillar_scores') }} as pillar_scores
inner join {{ ref('int_index__scenarios') }} as scenarios on scenarios.scenario_id = pillar_scores.scenario_id
group by pillar_scores.scenario_id, pillar_scores.pillar, scenarios.normalisation
having (scenarios.normalisation = 'z_score'
        and (min(pillar_scores.pillar_score) < 50 - 10 * {{ cap }} - 1e-9 or max(pillar_scores.pillar_score) > 50 + 10 * {{ cap }} + 1e-9))
    or (scenarios.normalisation = 'min_max'
        and (min(pillar_scores.pillar_score) < -1e-9 or max(pillar_scores.pillar_score) > 100 + 1e-9))
