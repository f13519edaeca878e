-- One row per higher-education institution, placed in its prefecture-level city.
-- Tier flags come from the 985/211 lists and the 2017 Double-First-Class round.
with source as (
    select * from {{ ref('universities') }}
)

select
    cast(institution_code as {{ dbt.type_string() }})             as institution_code,
    cast(name_zh as {{ dbt.type_string() }})                      as institution_name_zh,
    cast(level as {{ dbt.type_string() }})                        as education_level,
    cast(city_code as {{ dbt.type_string() }})                    as city_code,
    cast(city_resolution as {{ dbt.type_string() }})              as city_resolution,
    cast(province_code as {{ dbt.type_string() }})                as province_code,
    cast(listed_province_code as {{ dbt.type_string() }})         as listed_province_code,
    coalesce(cast(is_985 as boolean), false)      as is_project_985,
    coalesce(cast(is_211 as boolean), false)      as is_project_211,
    coalesce(cast(is_double_first_class as boolean), false) as is_double_first_class,
    cast(double_first_class_category as {{ dbt.type_string() }})  as double_first_class_category,
    -- "elite" in this warehouse means a member of Project 985 or Project 211
    coalesce(cast(is_985 as boolean), false)
        or coalesce(cast(is_211 as boolean), false) as is_elite,
    cast(in_chsi_2021_list as boolean)            as in_chsi_2021_list,
    cast(list_year as integer)                    as list_year,
    cast(flag_round_year as integer)              as flag_round_year,
    cast(source_id as {{ dbt.type_string() }})                    as source_id
from source
