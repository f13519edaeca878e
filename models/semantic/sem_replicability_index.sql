-- The replicability index history with a date for its year, for the semantic layer.
select
    city_code || '-' || cast(year as {{ dbt.type_string() }}) as city_year_key,
    city_code,
    make_date(year, 1, 1)                     as year_start,
    year,
    index_score,
    nominal_position,
    coverage_pct
from {{ ref('fct_replicability_index_history') }}
