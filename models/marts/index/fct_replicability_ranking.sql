-- The replicability ranking of inland cities in the latest rankable year. Every rank comes
-- with its uncertainty: the median rank and the 5th-95th percentile interval over the Monte
-- Carlo scenarios (weights, normalisation, imputation and aggregation varied together).
with scenario_ranks as (
    select scenario_index.*
    from {{ ref('int_index__scenario_index') }} as scenario_index
    inner join {{ ref('int_index__scenarios') }} as scenarios
        on scenarios.scenario_id = scenario_index.scenario_id
    where scenarios.design = 'monte_carlo'
),

latest as (
    select distinct year from {{ ref('int_index__coverage') }} where is_headline_year
),

nominal as (
    select scenario_index.*
    from {{ ref('int_index__scenario_index') }} as scenario_index
    where scenario_index.scenario_id = 0
      and scenario_index.year in (select year from latest)
),

intervals as (
    select
        city_code,
        year,
        count(*) as n_scenarios,
        {{ index_quantile('index_rank', 0.5) }} as median_rank,
        {{ index_quantile_disc('index_rank', 0.05) }} as rank_p05,
        {{ index_quantile_disc('index_rank', 0.95) }} as rank_p95
    from scenario_ranks
    where year in (select year from latest)
    group by city_code, year
),

coverage as (
    select city_code, year, coverage_pct, n_indicators_imputed from {{ ref('int_index__coverage') }}
),

city as (
    select city_code, name_zh, name_en, province_code from {{ ref('dim_city') }}
)

select
    cast(nominal.city_code as {{ dbt.type_string() }}) as city_code,
    cast(city.name_en as {{ dbt.type_string() }}) as name_en,
    cast(city.name_zh as {{ dbt.type_string() }}) as name_zh,
    cast(city.province_code as {{ dbt.type_string() }}) as province_code,
    cast(nominal.year as integer) as year,
    cast(nominal.index_score as double) as index_score,
    cast(nominal.index_rank as integer) as nominal_rank,
    cast(intervals.median_rank as double) as median_rank,
    cast(intervals.rank_p05 as integer) as rank_p05,
    cast(intervals.rank_p95 as integer) as rank_p95,
    cast(intervals.rank_p95 - intervals.rank_p05 as integer) as rank_interval_width,
    cast(nominal.n_ranked as integer) as n_ranked,
    cast(intervals.n_scenarios as integer) as n_scenarios,
    cast(nominal.n_pillars_used as integer) as n_pillars_used,
    cast(coverage.coverage_pct as double) as coverage_pct,
    cast(coverage.n_indicators_imputed as integer) as n_indicators_imputed,
    nominal.city_code = '{{ var("index_reference_city", "340100") }}' as is_reference_city
from nominal
inner join intervals on intervals.city_code = nominal.city_code and intervals.year = nominal.year
left join coverage on coverage.city_code = nominal.city_code and coverage.year = nominal.year
left join city on city.city_code = nominal.city_code
