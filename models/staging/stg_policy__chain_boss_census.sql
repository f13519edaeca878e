-- The 2026 chain-boss census, typed. no_evidence_found stays a status of its own (an
-- unknown); a missing year stays null.
select
    cast(admin_level as {{ dbt.type_string() }})  as admin_level,
    cast(area_code as {{ dbt.type_string() }})    as area_code,
    cast(name_zh as {{ dbt.type_string() }})      as name_zh,
    cast(status as {{ dbt.type_string() }})       as status,
    cast(adoption_year as integer)                as adoption_year,
    cast(adoption_month as integer)               as adoption_month,
    cast(date_basis as {{ dbt.type_string() }})   as date_basis,
    cast(num_chains as integer)                   as num_chains,
    cast(source_url as {{ dbt.type_string() }})   as source_url,
    cast(source_id as {{ dbt.type_string() }})    as source_id
from {{ ref('chain_boss_census') }}
