-- Adoption of the chain-chief system (链长制) by provinces, cities and districts.
with source as (
    select * from {{ ref('chain_boss_adoption') }}
)

select
    cast(record_id as {{ dbt.type_string() }})                      as record_id,
    cast(geography as {{ dbt.type_string() }})                      as geography,
    cast(admin_level as {{ dbt.type_string() }})                    as admin_level,
    cast(city_code as {{ dbt.type_string() }})                      as city_code,
    cast(province_code as {{ dbt.type_string() }})                  as province_code,
    cast(adopted_on as {{ dbt.type_string() }})                     as adopted_on_text,
    cast(date_precision as {{ dbt.type_string() }})                 as date_precision,
    cast(adoption_year as integer)                  as adoption_year,
    cast(adoption_year_is_upper_bound as boolean)   as adoption_year_is_upper_bound,
    cast(num_chains as integer)                     as num_chains,
    cast(chain_chief_rank as {{ dbt.type_string() }})               as chain_chief_rank,
    cast(top_leader_named as boolean)               as top_leader_named,
    cast(source_url as {{ dbt.type_string() }})                     as source_url,
    cast(source_type as {{ dbt.type_string() }})                    as source_type,
    cast(verification as {{ dbt.type_string() }})                   as verification,
    cast(source_id as {{ dbt.type_string() }})                      as source_id
from source
