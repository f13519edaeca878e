-- National series for China, one row per year, indicator and source (one primary per year and indicator).
with source as (
    select * from {{ ref('national_benchmarks') }}
),

renamed as (
    select
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
