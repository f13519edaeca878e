-- Government guidance funds: national totals and announced city and provincial fund targets,
-- in billion CNY. Targets are announced sizes, not paid-in capital.
with funds as (
    select * from {{ ref('stg_policy__guidance_funds') }}
),

cities as (
    select city_code, name_zh, name_en
    from {{ ref('stg_seeds__cities') }}
),

provinces as (
    select * from {{ ref('int_provinces_aggregated') }}
)

select
    f.record_id,
    f.scope,
    f.geography,
    f.city_code,
    c.name_zh                               as city_name_zh,
    c.name_en                               as city_name_en,
    f.province_code,
    p.province_name_zh,
    p.province_name_en,
    p.is_inland,
    f.fund_name,
    f.sponsor_vehicle,
    f.year_established,
    f.announced_on,
    f.as_of,
    f.target_size_cny_bn,
    f.gov_contribution_cny_bn,
    -- how many yuan of target size each yuan of government money is meant to attract
    case
        when f.gov_contribution_cny_bn > 0
            then f.target_size_cny_bn / f.gov_contribution_cny_bn
    end                                     as target_to_gov_contribution_ratio,
    f.number_of_funds,
    f.number_of_funds_is_lower_bound,
    f.share_reaching_target_pct,
    f.source_url,
    f.source_type,
    f.verification,
    f.source_id
from funds as f
left join cities as c
    on f.city_code = c.city_code
left join provinces as p
    on f.province_code = p.province_code
