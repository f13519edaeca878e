-- Province-level series (income, R&D, patents), one row per province, year, indicator and source.
with source as (
    select * from {{ ref('province_year_values') }}
),

renamed as (
    select
        cast(province_code as {{ dbt.type_string() }})   as province_code,
        cast(year as integer)            as year,
        cast(indicator_code as {{ dbt.type_string() }})  as indicator_code,
        cast(value as double)            as value,
        cast(source_id as {{ dbt.type_string() }})       as source_id
    from source
),

final as (
    select * from renamed
)

select * from final
