-- Where the reference city (Hefei) would have ranked by the real-time index before its
-- take-off (2005-2008 by default) and in the back-test base year: inputs dated up to each
-- year, goalposts with and without Hefei itself.
{%- set reference_city = var('index_reference_city', '340100') %}
select
    cast(city_code as {{ dbt.type_string() }}) as city_code,
    cast(as_of_year as integer) as as_of_year,
    cast(goalpost_pool as {{ dbt.type_string() }}) as goalpost_pool,
    cast(index_score as double) as index_score,
    cast(index_rank as integer) as realtime_position,
    cast(n_ranked as integer) as n_ranked,
    cast(n_indicators_available as integer) as n_indicators_available,
    cast(n_pillars_available as integer) as n_pillars_available
from {{ ref('int_index__realtime_index') }}
where city_code = '{{ reference_city }}'
