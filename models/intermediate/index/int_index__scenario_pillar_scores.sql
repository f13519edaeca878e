-- Pillar scores per scenario, year and eligible city: the weighted arithmetic mean of the
-- pillar's normalised indicator scores, with the scenario's normalisation, imputation and
-- weights. The nominal scenario (0) is scored for every rankable year; the others only for
-- the latest rankable year and the back-test base year, which keeps the build fast.
with scenarios as (
    select * from {{ ref('int_index__scenarios') }}
),

weights as (
    select * from {{ ref('int_index__scenario_weights') }}
),

coverage as (
    select city_code, year, is_latest_rankable_year
    from {{ ref('int_index__coverage') }}
    where is_eligible and is_rankable_year
),

scenario_years as (
    select scenarios.scenario_id, coverage_years.year
    from scenarios
    cross join (select distinct year, is_latest_rankable_year from coverage) as coverage_years
    where scenarios.scenario_id = 0
       or coverage_years.is_latest_rankable_year
       or coverage_years.year = {{ var('index_backtest_base_year', 2012) }}
),

scores as (
    select normalised.*
    from {{ ref('int_index__normalised') }} as normalised
    inner join coverage
        on coverage.city_code = normalised.city_code
        and coverage.year = normalised.year
)

select
    scenario_years.scenario_id,
    scenario_years.year,
    scores.city_code,
    scores.pillar,
    {{ index_weighted_mean(
        "case when scenarios.normalisation = 'z_score' then scores.t_score else scores.min_max_score end",
        'weights.indicator_weight') }} as pillar_score,
    count(*) as n_indicators_used,
    sum(case when scores.is_imputed then 1 else 0 end) as n_indicators_imputed
from scenario_years
inner join scenarios on scenarios.scenario_id = scenario_years.scenario_id
inner join scores on scores.year = scenario_years.year
inner join weights
    on weights.scenario_id = scenario_years.scenario_id
    and weights.indicator_code = scores.indicator_code
where scenarios.imputation = 'on' or not scores.is_imputed
group by scenario_years.scenario_id, scenario_years.year, scores.city_code, scores.pillar
