-- City-year values in long form, one row per city, year, indicator and source. Units were
-- converted once at ingest (the unit is part of indicator_code), so this view only fixes types.
with source as (
    select * from {{ ref('city_year_values') }}
),

renamed as (
    select
        cast(city_code as {{ dbt.type_string() }})       as city_code,
        cast(year as integer)            as year,
        cast(indicator_code as {{ dbt.type_string() }})  as indicator_code,
        cast(value as double)            as value,
        cast(source_id as {{ dbt.type_string() }})       as source_id,
        cast(is_primary as boolean)      as is_primary
    from source
),

final as (
    select * from renamed
)

select * from final
