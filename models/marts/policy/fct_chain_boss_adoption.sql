-- Chain-boss (链长制) adoption records, tidy: who adopted, when, with how many chains.
-- Roll-up rows (about many places at once) are kept with no place code.
with adoption as (
    select * from {{ ref('stg_policy__chain_boss_adoption') }}
),

cities as (
    select city_code, name_zh, name_en, is_inland
    from {{ ref('stg_seeds__cities') }}
),

provinces as (
    select * from {{ ref('int_provinces_aggregated') }}
)

select
    a.record_id,
    a.admin_level,
    a.geography,
    a.city_code,
    c.name_zh                                           as city_name_zh,
    c.name_en                                           as city_name_en,
    a.province_code,
    p.province_name_zh,
    p.province_name_en,
    p.is_inland,
    a.adopted_on_text,
    a.date_precision,
    a.adoption_year,
    a.adoption_year_is_upper_bound,
    a.num_chains,
    a.chain_chief_rank,
    a.top_leader_named,
    a.source_url,
    a.source_type,
    a.verification,
    a.source_id
from adoption as a
left join cities as c
    on a.city_code = c.city_code
left join provinces as p
    on a.province_code = p.province_code
