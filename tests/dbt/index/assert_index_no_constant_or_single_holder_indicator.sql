-- No composite indicator is constant or held by a single ranked city in the headline year
-- (such an indicator ranks one city by construction).
select indicator_code, headline_n_distinct_values, headline_n_cities_above_minimum
from {{ ref('dim_index_indicator') }}
where coalesce(headline_n_distinct_values, 0) < 2
   or coalesce(headline_n_cities_above_minimum, 0) < {{ var('index_min_cities_holding', 2) }}
