-- Nominal pillar scores (0-100, weighted mean of min-max scores within the pillar) for
-- every ranked inland city and rankable year: what drives each city's index.
select
    cast(city_code as {{ dbt.type_string() }}) as city_code,
    cast(year as integer) as year,
    cast(pillar as {{ dbt.type_string() }}) as pillar,
    cast(pillar_score as double) as pillar_score,
    cast(n_indicators_used as integer) as n_indicators_used,
    cast(n_indicators_imputed as integer) as n_indicators_imputed
from {{ ref('int_index__scenario_pillar_scores') }}
where scenario_id = 0
