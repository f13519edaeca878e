-- The uncertainty analysis runs at least 1,000 Monte Carlo scenarios for every ranked city.
select city_code, n_scenarios
from {{ ref('fct_replicability_ranking') }}
where n_scenarios < 1000
