-- The assumptions of each scenario, decided from its draws. A factor that the scenario
-- does not vary keeps its nominal setting (min-max, imputation on, geometric mean). In the
-- one-at-a-time switch scenarios the switched factor takes its alternative setting.
with draws as (
    select * from {{ ref('int_index__scenario_draws') }}
),

per_scenario as (
    select
        scenario_id,
        design,
        varied_factor,
        max(case when factor = 'normalisation' then draw end) as normalisation_draw,
        max(case when factor = 'imputation' then draw end) as imputation_draw,
        max(case when factor = 'aggregation' then draw end) as aggregation_draw
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
    varied_factor in ('all', 'weights') as varies_weights
from per_scenario
