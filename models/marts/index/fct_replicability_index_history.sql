-- The nominal replicability index for every rankable year (inland cities that meet the
-- coverage rule). Goalposts are fixed across years, so scores compare over time. The
-- nominal position is given for orientation only; the uncertainty of ranks is measured in
-- the latest year (fct_replicability_ranking) and the back-test year.
with nominal as (
    select * from {{ ref('int_index__scenario_index') }} where scenario_id = 0
),

coverage as (
    select city_code, year, coverage_pct, n_indicators_present, n_indicators_imputed
    from {{ ref('int_index__coverage') }}
)

select
    cast(nominal.city_code as {{ dbt.type_string() }}) as city_code,
    cast(nominal.year as integer) as year,
    cast(nominal.index_score as double) as index_score,
    cast(nominal.index_rank as integer) as nominal_position,
    cast(nominal.n_ranked as integer) as n_ranked,
    cast(nominal.n_pillars_used as integer) as n_pillars_used,
    cast(coverage.n_indicators_present as integer) as n_indicators_present,
    cast(coverage.n_indicators_imputed as integer) as n_indicators_imputed,
    cast(coverage.coverage_pct as double) as coverage_pct
from nominal
left join coverage on coverage.city_code = nominal.city_code and coverage.year = nominal.year
