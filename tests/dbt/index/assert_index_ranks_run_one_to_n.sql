-- In every scenario and year the ranks are exactly 1..n, each used once.
select scenario_id, year, count(*) as n_rows, count(distinct index_rank) as n_ranks,
       min(index_rank) as min_rank, max(index_rank) as max_rank, max(n_ranked) as n_ranked
from {{ ref('int_index__scenario_index') }}
group by scenario_id, year
having min(index_rank) <> 1
    or max(index_rank) <> count(*)
    or count(distinct index_rank) <> count(*)
    or max(n_ranked) <> count(*)
