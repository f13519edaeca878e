-- A city marked as adopting the chain-boss system itself must have a city-level row in the
-- adoption mart with the same year, and the other way round.
with city_rows as (
    select city_code, min(adoption_year) as first_year
    from {{ ref('fct_chain_boss_adoption') }}
    where admin_level = 'city'
    group by city_code
)

select p.city_code, p.chain_boss_level, p.chain_boss_adoption_year, r.first_year
from {{ ref('int_city_policy_talent') }} as p
full outer join city_rows as r
    on p.city_code = r.city_code
where (p.chain_boss_level = 'city') <> (r.city_code is not null)
   or (r.city_code is not null and coalesce(p.chain_boss_adoption_year, -1) <> coalesce(r.first_year, -1))
