-- The assumptions of each scenario, decided from its draws. A factor that the scenario
-- does not vary keeps its nominal setting (min-max, imputation on, geometric mean). In the
-- one-at-a-time switch scenarios the switched factor takes its alternative setting.
-- Dropping an indicator: only an indicator that shares its pillar with another can be
-- dropped (dropping a pillar's only indicator would empty the pillar for every city). A
-- Monte Carlo scenario drops droppable indicator k when floor(draw * 2K) = k - 1 (so half of
-- the scenarios drop one, each indicator equally often); one-at-a-time scenario
-- N + M + 3 + k drops indicator k.
{%- set n = var('index_n_scenarios', 1000) %}
{%- set m = var('index_n_weight_only_scenarios', 200) %}
with draws as (
    select * from {{ ref('int_index__scenario_draws') }}
),

droppable as (
    select
        indicator_code,
        row_number() over (order by pillar, indicator_code) as drop_position,
        count(*) over () as n_droppable
    from {{ ref('int_index__catalogue') }}
    where n_indicators_in_pillar > 1
),

per_scenario as (
    select
        scenario_id,
        design,
        varied_factor,
        max(case when factor = 'normalisation' then draw end) as normalisation_draw,
        max(case when factor = 'imputation' then draw end) as imputation_draw,
        max(case when factor = 'aggregation' then draw end) as aggregation_draw,
        max(case when factor = 'drop_indicator' then draw end) as drop_draw
    from draws
    group by scenario_id, design, varied_factor
)

select
    scenario_id,
    design,
    varied_factor,
    case
        when varied_factor = 'normalisation' then 'z_score'
        when varied_factor = 'all' and normalisation_draw >= 0.5 then 'z_score'
        else 'min_max'
    end as normalisation,
    case
        when varied_factor = 'imputation' then 'off'
        when varied_factor = 'all' and imputation_draw >= 0.5 then 'off'
        else 'on'
    end as imputation,
    case
        when varied_factor = 'aggregation' then 'arithmetic'
        when varied_factor = 'all' and aggregation_draw >= 0.5 then 'arithmetic'
        else 'geometric'
    end as aggregation,
    varied_factor in ('all', 'weights') as varies_weights,
    droppable.indicator_code as dropped_indicator
from per_scenario
left join droppable
    on (per_scenario.varied_factor = 'all'
        and droppable.drop_position = 1 + floor(per_scenario.drop_draw * 2 * droppable.n_droppable))
    or (per_scenario.varied_factor = 'drop_indicator'
        and droppable.drop_position = per_scenario.scenario_id - {{ n + m + 3 }})
