-- A pillar's weight is written on every indicator row of the catalogue; they must agree.
select pillar, count(distinct pillar_weight) as n_weights
from {{ ref('int_index__catalogue') }}
group by pillar
having count(distinct pillar_weight) > 1
