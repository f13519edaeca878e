{{ config(materialized='view') }}
-- Pillar scores per scenario, year and eligible city: the weighted arithmetic mean of the
-- pillar's normalised indicator scores, with the scenario's normalisation, imputation and
-- weights. A view, because only the nominal scenario is read from it (the index scores
-- every scenario from the lists directly); storing all scenarios would mean units x
-- scenarios x pillars rows. A pillar with no indicator row under the scenario's
-- imputation setting has no row.
with city_years as (
    select * from {{ ref('int_index__scenario_city_years') }}
),

pillars as (
    select
        city_years.scenario_id,
        city_years.year,
        city_years.city_code,
        city_years.imputation,
        position.n as pillar_position,
        city_years.pillars,
        city_years.pillar_scores,
        city_years.n_rows,
        city_years.n_imputed
    from city_years
    -- every list has one entry per catalogue pillar
    cross join {{ index_integer_series(1, '(select count(distinct pillar) from ' ~ ref('int_index__catalogue') ~ ')') }} as position
)

select
    scenario_id,
    year,
    city_code,
    {{ index_list_element('pillars', 'pillar_position') }} as pillar,
    {{ index_list_element('pillar_scores', 'pillar_position') }} as pillar_score,
    {{ index_list_element('n_rows', 'pillar_position') }} as n_indicators_used,
    case when imputation = 'off' then 0 else {{ index_list_element('n_imputed', 'pillar_position') }} end as n_indicators_imputed
from pillars
where {{ index_list_element('n_rows', 'pillar_position') }} > 0
