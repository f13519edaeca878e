-- One row per province, derived from the city seed (the province names and the inland flag
-- are set per province there), for marts that describe province-level records.
with cities as (
    select * from {{ ref('stg_seeds__cities') }}
),

final as (
    select
        province_code,
        min(province_name_zh) as province_name_zh,
        min(province_name_en) as province_name_en,
        min(region) as region,
        -- every city of a province carries the same flag, so min = max
        min(case when is_inland then 1 else 0 end) = 1 as is_inland
    from cities
    group by province_code
)

select * from final
