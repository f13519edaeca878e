-- The city dimension for analysts: one row per prefecture-level unit that existed at some time
-- 2000-2023, with geography, validity, distances to the big eastern hubs and the talent and
-- policy ingredients of the Hefei model.
with located as (
    select * from {{ ref('int_cities_located') }}
),

policy_talent as (
    select * from {{ ref('int_city_policy_talent') }}
),

final as (
    select
        cast(located.city_code as {{ dbt.type_string() }})                    as city_code,
        cast(located.name_zh as {{ dbt.type_string() }})                      as name_zh,
        cast(located.name_en as {{ dbt.type_string() }})                      as name_en,
        cast(located.former_names_zh as {{ dbt.type_string() }})              as former_names_zh,
        cast(located.unit_type as {{ dbt.type_string() }})                    as unit_type,
        cast(located.province_code as {{ dbt.type_string() }})                as province_code,
        cast(located.province_name_zh as {{ dbt.type_string() }})             as province_name_zh,
        cast(located.province_name_en as {{ dbt.type_string() }})             as province_name_en,
        cast(located.region as {{ dbt.type_string() }})                       as region,
        cast(located.is_coastal_province as boolean)          as is_coastal_province,
        cast(located.is_inland as boolean)                    as is_inland,
        cast(located.admin_rank as {{ dbt.type_string() }})                   as admin_rank,
        cast(located.is_provincial_capital as boolean)        as is_provincial_capital,
        cast(located.longitude as double)                     as longitude,
        cast(located.latitude as double)                      as latitude,
        cast(located.coord_source_id as {{ dbt.type_string() }})              as coord_source_id,
        cast(located.valid_from_year as integer)              as valid_from_year,
        cast(located.valid_to_year as integer)                as valid_to_year,
        cast(located.valid_to_year is null as boolean)        as is_current_unit,
        cast(located.successor_code as {{ dbt.type_string() }})               as successor_code,
        cast(located.nearest_hub_code as {{ dbt.type_string() }})             as nearest_coastal_hub_code,
        cast(located.nearest_hub_name_en as {{ dbt.type_string() }})          as nearest_coastal_hub_name_en,
        cast(located.distance_to_nearest_hub_km as double)    as distance_to_nearest_coastal_hub_km,
        cast(located.distance_to_shanghai_km as double)       as distance_to_shanghai_km,
        cast(policy_talent.n_universities as integer)         as n_universities,
        cast(policy_talent.n_undergraduate_institutions as integer) as n_undergraduate_institutions,
        cast(policy_talent.n_elite_universities as integer)   as n_elite_universities,
        cast(policy_talent.n_project_985 as integer)          as n_project_985,
        cast(policy_talent.n_project_211 as integer)          as n_project_211,
        cast(policy_talent.n_double_first_class as integer)   as n_double_first_class,
        cast(policy_talent.science_centre_status as {{ dbt.type_string() }})  as science_centre_status,
        cast(policy_talent.science_centre_year as integer)    as science_centre_year,
        cast(policy_talent.chain_boss_level as {{ dbt.type_string() }})       as chain_boss_level,
        cast(policy_talent.chain_boss_adoption_year as integer) as chain_boss_adoption_year,
        cast(policy_talent.chain_boss_adoption_year_is_upper_bound as boolean) as chain_boss_adoption_year_is_upper_bound,
        cast(policy_talent.chain_boss_num_chains as integer)  as chain_boss_num_chains,
        cast(located.source_id as {{ dbt.type_string() }})                    as source_id
    from located
    left join policy_talent
        on located.city_code = policy_talent.city_code
)

select * from final
