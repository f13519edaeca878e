-- One row per prefecture-level unit that existed at some time 2000-2023 (the city dimension seed).
-- Types are fixed here so every later model can rely on them; no units to convert.
with source as (
    select * from {{ ref('cities') }}
),

renamed as (
    select
        cast(city_code as {{ dbt.type_string() }})              as city_code,
        cast(name_zh as {{ dbt.type_string() }})                as name_zh,
        cast(name_en as {{ dbt.type_string() }})                as name_en,
        cast(name_en_source as {{ dbt.type_string() }})         as name_en_source,
        cast(former_names_zh as {{ dbt.type_string() }})        as former_names_zh,
        cast(unit_type as {{ dbt.type_string() }})              as unit_type,
        cast(province_code as {{ dbt.type_string() }})          as province_code,
        cast(province_name_zh as {{ dbt.type_string() }})       as province_name_zh,
        cast(province_name_en as {{ dbt.type_string() }})       as province_name_en,
        cast(region as {{ dbt.type_string() }})                 as region,
        cast(is_coastal_province as boolean)    as is_coastal_province,
        cast(is_inland as boolean)              as is_inland,
        cast(admin_rank as {{ dbt.type_string() }})             as admin_rank,
        cast(is_provincial_capital as boolean)  as is_provincial_capital,
        cast(longitude as double)               as longitude,
        cast(latitude as double)                as latitude,
        cast(coord_source_id as {{ dbt.type_string() }})        as coord_source_id,
        cast(valid_from_year as integer)        as valid_from_year,
        cast(valid_to_year as integer)          as valid_to_year,
        cast(successor_code as {{ dbt.type_string() }})         as successor_code,
        cast(change_note as {{ dbt.type_string() }})            as change_note,
        cast(source_id as {{ dbt.type_string() }})              as source_id
    from source
),

final as (
    select * from renamed
)

select * from final
