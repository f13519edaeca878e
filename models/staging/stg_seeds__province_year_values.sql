-- Province-level series (income, R&D, patents), one row per province, year, indicator and source.
with source as (
    select * from {{ ref('province_year_values') }}
),

renamed as (
    select
        cast(province_code as varchar)   as province_code,
        cast(year as integer)            as year,
        cast(indicator_code as varchar)  as indicator_code,
        cast(value as double)            as value,
        cast(source_id as varchar)       as source_id
    from source
),

final as (
    select * from renamed
)

select * from final
