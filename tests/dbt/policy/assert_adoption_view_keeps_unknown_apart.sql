-- The adoption view never turns an unknown into "not adopted", and never carries a
-- pre-adoption 0 into a year in force: a census row without evidence gives unknown in every
-- year; Nanchang and Ganzhou (Jiangxi's system from 2020-04) are in force in 2020-21 with
-- no chain count of their own (unknown, not 0).
select 'no-evidence row read as not in force' as problem, adoption.city_code, adoption.year
from {{ ref('fct_city_policy_adoption') }} as adoption
inner join {{ ref('stg_policy__chain_boss_census') }} as census
    on census.admin_level = 'city' and census.area_code = adoption.city_code
where census.status = 'no_evidence_found'
  and adoption.chain_boss_status = 'not_in_force'
union all
select 'Nanchang/Ganzhou 2020-21 not in force at province level with an unknown count', city_code, year
from {{ ref('fct_city_policy_adoption') }}
where city_code in ('360100', '360700') and year in (2020, 2021)
  and not (chain_boss_status = 'in_force' and chain_boss_record_level = 'province' and chain_boss_num_chains is null)
union all
select 'expected four Nanchang/Ganzhou rows for 2020-21', cast(count(*) as {{ dbt.type_string() }}), null
from {{ ref('fct_city_policy_adoption') }}
where city_code in ('360100', '360700') and year in (2020, 2021)
having count(*) <> 4
