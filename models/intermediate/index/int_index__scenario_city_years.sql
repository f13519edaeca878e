{{ config(materialized='view') }}
-- Pillar scores of every scenario, scored year and eligible city, one row per combination
-- with the pillars as a list. A view, never stored: the index and the pillar-score view
-- read it as it streams. The nominal scenario (0) is scored for every rankable year; the
-- others only for the headline year (the back-test has its own real-time index).
with inputs as (
    select * from {{ ref('int_index__scenario_pillar_inputs') }}
),

assumptions as (
    select * from {{ ref('int_index__scenario_assumptions') }}
),

paired as (
    select
        assumptions.scenario_id,
        inputs.year,
        inputs.city_code,
        assumptions.aggregation,
        assumptions.indicator_weights,
        assumptions.pillar_weights,
        inputs.pillars,
        case when assumptions.imputation = 'off' then inputs.n_rows_off else inputs.n_rows_on end as n_rows,
        assumptions.imputation,
        inputs.n_imputed,
        case
            when assumptions.normalisation = 'z_score' and assumptions.imputation = 'off' then inputs.t_score_off
            when assumptions.normalisation = 'z_score' then inputs.t_score_on
            when assumptions.imputation = 'off' then inputs.min_max_off
            else inputs.min_max_on
        end as scores,
        case
            when assumptions.normalisation = 'z_score' and assumptions.imputation = 'off' then inputs.t_score_off_included
            when assumptions.normalisation = 'z_score' then inputs.t_score_on_included
            when assumptions.imputation = 'off' then inputs.min_max_off_included
            else inputs.min_max_on_included
        end as included
    from assumptions
    cross join inputs
    where assumptions.scenario_id = 0
       or inputs.is_headline_year
)

select
    scenario_id,
    year,
    city_code,
    aggregation,
    pillar_weights,
    pillars,
    n_rows,
    -- imputed indicators count only where imputation is on
    imputation,
    n_imputed,
    {{ index_list_pillar_scores('indicator_weights', 'scores', 'included') }} as pillar_scores
from paired
