-- The median rank of every city lies inside its 5th-95th percentile rank interval.
select city_code, median_rank, rank_p05, rank_p95
from {{ ref('fct_replicability_ranking') }}
where median_rank < rank_p05 or median_rank > rank_p95
